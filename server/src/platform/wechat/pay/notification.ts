import type { Logger } from 'pino';
import type { Clock } from '../../clock/clock';
import { AppError } from '../../http/errors';
import {
  decryptResource,
  encryptResource,
  newNonce,
  RESOURCE_ALGORITHM,
  SIGNATURE_SCHEME,
  signMessage,
  toWeChatTime,
  unixSeconds,
  verifySignature,
  wechatpaySignatureMessage,
  type EncryptedResource,
  type KeyInput,
} from './pay-crypto';
import { paymentNoticeInvalid, paymentSignatureInvalid } from './pay-errors';
import type { PaymentNotice, SignedNotification } from './wechat-pay';

/** Notifications (and responses) whose Wechatpay-Timestamp is further than this from now are refused as replays. */
export const NOTIFICATION_MAX_SKEW_SECONDS = 5 * 60;

export interface NotificationVerifierOptions {
  /** WeChat Pay's public key (or platform certificate) that signs notifications. */
  platformPublicKey: KeyInput;
  /** Its serial: `Wechatpay-Serial` must be exactly this. */
  platformSerialNo: string;
  apiV3Key: string;
  clock: Clock;
  logger?: Logger;
  /** When given, a decrypted transaction of another merchant or app is refused. */
  mchId?: string;
  appId?: string;
}

type HeaderBag = Record<string, string | string[] | undefined>;

/** A header by case-insensitive name; a header repeated with several values counts as missing. */
function headerOf(headers: HeaderBag, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    if (typeof value === 'string') return value;
    if (Array.isArray(value) && value.length === 1) return value[0];
    return undefined;
  }
  return undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isFilledString = (value: unknown): value is string => typeof value === 'string' && value !== '';

/**
 * Checks a payment notification exactly as WeChat Pay sent it and returns the transaction in it.
 * `rawBody` must be the body's bytes as received (decoded as UTF-8), not a re-serialised object.
 *
 * 401 PAYMENT_SIGNATURE_INVALID: a Wechatpay-* header missing, a serial other than the platform's,
 * a timestamp more than 5 minutes from the clock, or a signature that does not verify.
 * 400 PAYMENT_NOTICE_INVALID: a signed body that is not the notification JSON, a resource that does
 * not decrypt (wrong APIv3 key, tampered ciphertext/nonce/AAD), or a transaction missing its fields.
 */
export function parsePaymentNotification(headers: HeaderBag, rawBody: string, options: NotificationVerifierOptions): PaymentNotice {
  const refuse = (reason: string, error: AppError): never => {
    options.logger?.warn({ reason, code: error.code }, 'WeChat Pay notification refused');
    throw error;
  };
  const signatureInvalid = (reason: string) => refuse(reason, paymentSignatureInvalid(reason));
  const noticeInvalid = (reason: string) => refuse(reason, paymentNoticeInvalid(reason));

  const timestamp = headerOf(headers, 'Wechatpay-Timestamp');
  const nonce = headerOf(headers, 'Wechatpay-Nonce');
  const signature = headerOf(headers, 'Wechatpay-Signature');
  const serial = headerOf(headers, 'Wechatpay-Serial');
  if (!timestamp || !nonce || !signature || !serial) return signatureInvalid('missing Wechatpay-Timestamp/Nonce/Signature/Serial header');
  const signatureType = headerOf(headers, 'Wechatpay-Signature-Type');
  if (signatureType !== undefined && signatureType !== SIGNATURE_SCHEME) return signatureInvalid(`unknown signature type ${signatureType}`);
  if (serial.trim().toUpperCase() !== options.platformSerialNo.trim().toUpperCase()) {
    return signatureInvalid('Wechatpay-Serial is not the configured platform serial');
  }
  if (!/^\d{1,12}$/.test(timestamp)) return signatureInvalid('Wechatpay-Timestamp is not unix seconds');
  const skew = Math.abs(Math.floor(options.clock.now().getTime() / 1000) - Number(timestamp));
  if (skew > NOTIFICATION_MAX_SKEW_SECONDS) return signatureInvalid(`Wechatpay-Timestamp is ${skew} s away from now`);
  if (!verifySignature(wechatpaySignatureMessage(timestamp, nonce, rawBody), signature, options.platformPublicKey)) {
    return signatureInvalid('Wechatpay-Signature does not verify with the platform key');
  }

  let envelope: unknown;
  try {
    envelope = JSON.parse(rawBody);
  } catch {
    return noticeInvalid('the body is not JSON');
  }
  const resource = isObject(envelope) ? envelope.resource : undefined;
  if (!isObject(resource)) return noticeInvalid('the body has no resource object');
  if (resource.algorithm !== RESOURCE_ALGORITHM) return noticeInvalid(`unsupported resource algorithm ${String(resource.algorithm)}`);
  if (resource.original_type !== undefined && resource.original_type !== 'transaction') {
    return noticeInvalid(`the resource is a ${String(resource.original_type)}, not a transaction`);
  }
  const associatedData = resource.associated_data ?? '';
  if (!isFilledString(resource.ciphertext) || !isFilledString(resource.nonce) || typeof associatedData !== 'string') {
    return noticeInvalid('the resource lacks ciphertext/nonce/associated_data');
  }

  let plaintext: string;
  try {
    plaintext = decryptResource({ ciphertext: resource.ciphertext, nonce: resource.nonce, associated_data: associatedData }, options.apiV3Key);
  } catch {
    return noticeInvalid('the resource does not decrypt with the APIv3 key');
  }
  let transaction: unknown;
  try {
    transaction = JSON.parse(plaintext);
  } catch {
    return noticeInvalid('the decrypted resource is not JSON');
  }
  if (!isObject(transaction)) return noticeInvalid('the decrypted resource is not an object');

  const { out_trade_no, transaction_id, trade_state, success_time, amount, payer, mchid, appid } = transaction;
  const total = isObject(amount) ? amount.total : undefined;
  const openid = isObject(payer) ? payer.openid : undefined;
  if (
    !isFilledString(out_trade_no) ||
    !isFilledString(transaction_id) ||
    !isFilledString(trade_state) ||
    typeof total !== 'number' ||
    !Number.isSafeInteger(total) ||
    total < 0 ||
    !isFilledString(openid) ||
    (success_time !== undefined && success_time !== null && typeof success_time !== 'string')
  ) {
    return noticeInvalid('the transaction lacks out_trade_no/transaction_id/trade_state/amount.total/payer.openid');
  }
  if (options.mchId !== undefined && mchid !== undefined && mchid !== options.mchId) return noticeInvalid('the transaction is for another mchid');
  if (options.appId !== undefined && appid !== undefined && appid !== options.appId) return noticeInvalid('the transaction is for another appid');

  return {
    outTradeNo: out_trade_no,
    transactionId: transaction_id,
    tradeState: trade_state,
    amountFen: total,
    payerOpenid: openid,
    successTime: typeof success_time === 'string' && success_time !== '' ? success_time : null,
  };
}

/** Signs `body` the way WeChat Pay signs a notification (or a response): the Wechatpay-* headers. */
export function signAsWeChatPay(
  body: string,
  signer: { platformPrivateKey: KeyInput; platformSerialNo: string },
  now: Date,
  nonce: string = newNonce(),
): SignedNotification {
  const timestamp = unixSeconds(now);
  return {
    headers: {
      'Content-Type': 'application/json',
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Serial': signer.platformSerialNo,
      'Wechatpay-Signature': signMessage(wechatpaySignatureMessage(timestamp, nonce, body), signer.platformPrivateKey),
      'Wechatpay-Signature-Type': SIGNATURE_SCHEME,
      'Wechatpay-Timestamp': timestamp,
    },
    body,
  };
}

/** The transaction WeChat Pay encrypts into a payment notification. */
export interface NotifiedTransaction {
  appid: string;
  mchid: string;
  out_trade_no: string;
  transaction_id: string;
  trade_type: 'JSAPI';
  trade_state: string;
  trade_state_desc: string;
  bank_type: string;
  attach: string;
  success_time?: string;
  payer: { openid: string };
  amount: { total: number; payer_total: number; currency: 'CNY'; payer_currency: 'CNY' };
}

/** The notification body WeChat Pay posts (`TRANSACTION.SUCCESS`), with the transaction encrypted under the APIv3 key. */
export function notificationBody(transaction: NotifiedTransaction, apiV3Key: string, now: Date, id: string): string {
  const succeeded = transaction.trade_state === 'SUCCESS';
  const resource: EncryptedResource = encryptResource(JSON.stringify(transaction), apiV3Key, { associatedData: 'transaction' });
  return JSON.stringify({
    id,
    create_time: toWeChatTime(now),
    resource_type: 'encrypt-resource',
    event_type: succeeded ? 'TRANSACTION.SUCCESS' : 'TRANSACTION.FAIL',
    summary: succeeded ? '支付成功' : '支付未成功',
    resource,
  });
}

/** What the notify route answers WeChat Pay: 204 with no body when handled, else 4xx/5xx with `{code: 'FAIL', message}`. */
export interface NotificationAnswer {
  status: number;
  body?: { code: 'FAIL'; message: string };
}

/**
 * WeChat Pay treats 200/204 as "received" and retries on 4xx/5xx (the body is only logged by WeChat).
 * Answer success only once the payment is recorded; an AppError keeps its 4xx status, anything else is 500.
 */
export function notificationAnswer(error?: unknown): NotificationAnswer {
  if (error === undefined) return { status: 204 };
  if (error instanceof AppError && error.status >= 400 && error.status < 500) {
    return { status: error.status, body: { code: 'FAIL', message: error.message } };
  }
  return { status: 500, body: { code: 'FAIL', message: 'The notification could not be processed; please send it again.' } };
}
