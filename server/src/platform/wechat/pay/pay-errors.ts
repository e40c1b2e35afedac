import { AppError } from '../../http/errors';

/** WeChat Pay did not answer in time, could not be reached, answered 5xx/429, or answered something unusable. */
export const paymentUnavailable = () =>
  new AppError(503, 'PAYMENT_UNAVAILABLE', 'WeChat Pay is not answering right now; nothing was charged. Try again in a moment.');

/** WeChat Pay refused the order (4xx): `details` carries WeChat's own `code` and `message`. */
export const paymentRefused = (details: { httpStatus: number; wechatCode: string | null; wechatMessage: string | null }) =>
  new AppError(502, 'PAYMENT_REFUSED', 'WeChat Pay refused to create this payment.', details);

/** A notification whose headers, serial, timestamp or signature do not check out. */
export const paymentSignatureInvalid = (reason: string) =>
  new AppError(401, 'PAYMENT_SIGNATURE_INVALID', 'The payment notification is not signed by WeChat Pay.', { reason });

/** A correctly signed notification whose body or encrypted resource cannot be read. */
export const paymentNoticeInvalid = (reason: string) =>
  new AppError(400, 'PAYMENT_NOTICE_INVALID', 'The payment notification could not be read.', { reason });

/** Real WeChat login without WECHATPAY_* settings: nothing can be sold (and nothing is faked). */
export const paymentNotConfigured = () =>
  new AppError(503, 'PAYMENT_NOT_CONFIGURED', 'Paid offers are not available: this server has no WeChat Pay settings. Nothing was charged.');
