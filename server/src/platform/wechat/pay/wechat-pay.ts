import type { Logger } from 'pino';
import type { Clock } from '../../clock/clock';
import { FakeWeChatPay } from './fake-wechat-pay';
import { HttpWeChatPay } from './http-wechat-pay';
import { UnconfiguredWeChatPay } from './unconfigured-wechat-pay';

/**
 * WeChat Pay APIv3 for paid conversion offers: JSAPI (mini program) orders and payment
 * notifications, behind one interface with a real client and an offline fake.
 */

export interface JsapiOrder {
  outTradeNo: string;
  description: string;
  amountFen: number;
  payerOpenid: string;
  expiresAt?: Date;
}

/** Exactly what `wx.requestPayment` takes. */
export interface ClientPaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

/** The transaction a verified, decrypted notification carries. */
export interface PaymentNotice {
  outTradeNo: string;
  transactionId: string;
  /** SUCCESS, REFUND, NOTPAY, CLOSED, REVOKED, USERPAYING, PAYERROR. Only SUCCESS means paid. */
  tradeState: string;
  amountFen: number;
  payerOpenid: string;
  /** RFC 3339 (`2018-06-08T10:34:56+08:00`), null unless paid. */
  successTime: string | null;
}

/** A notification as WeChat Pay posts it: the headers and the raw body. */
export interface SignedNotification {
  headers: Record<string, string>;
  body: string;
}

export interface WeChatPay {
  /** `off`: no payment settings with real WeChat login; orders answer 503 PAYMENT_NOT_CONFIGURED. */
  readonly mode: 'fake' | 'real' | 'off';
  /** Creates the JSAPI prepay order and returns what wx.requestPayment needs. */
  createJsapiPayment(order: JsapiOrder): Promise<ClientPaymentParams>;
  /** Verifies the signature over the raw body and decrypts the resource; throws AppError on anything wrong. */
  parseNotification(headers: Record<string, string | string[] | undefined>, rawBody: string): PaymentNotice;
}

export interface WeChatPayConfig {
  appId: string;
  mchId: string;
  /** The merchant API certificate's serial number (Authorization serial_no). */
  merchantSerialNo: string;
  /** apiclient_key.pem. */
  merchantPrivateKeyPem: string;
  /** The WeChat Pay public key PEM, or a platform certificate PEM. */
  platformPublicKeyPem: string;
  /** Its serial (`PUB_KEY_ID_…` or the certificate serial): notifications must name it in Wechatpay-Serial. */
  platformSerialNo: string;
  /** 32 characters, set in the merchant platform. */
  apiV3Key: string;
  /** https, no query string. */
  notifyUrl: string;
  /** `https://api.mch.weixin.qq.com` in production. */
  apiBase: string;
  timeoutMs: number;
}

export { FakeWeChatPay, jsapiOrderProblem, type FakeOrder, type FakeWeChatPayOptions } from './fake-wechat-pay';
export { HttpWeChatPay, JSAPI_PATH, type HttpWeChatPayDeps } from './http-wechat-pay';
export {
  NOTIFICATION_MAX_SKEW_SECONDS,
  notificationAnswer,
  notificationBody,
  parsePaymentNotification,
  signAsWeChatPay,
  type NotificationAnswer,
  type NotificationVerifierOptions,
  type NotifiedTransaction,
} from './notification';
export {
  buildAuthorization,
  clientPaymentParams,
  decryptResource,
  encryptResource,
  newApiV3Key,
  newNonce,
  parseAuthorization,
  paySignFor,
  requestSignatureMessage,
  signMessage,
  toWeChatTime,
  verifySignature,
  wechatpaySignatureMessage,
  type EncryptedResource,
  type ParsedAuthorization,
} from './pay-crypto';
export { paymentNotConfigured, paymentNoticeInvalid, paymentRefused, paymentSignatureInvalid, paymentUnavailable } from './pay-errors';
export { UnconfiguredWeChatPay } from './unconfigured-wechat-pay';

/**
 * Real mode needs the full configuration; fake mode makes up its own keys (using the mchid when one
 * is configured); `off` refuses every payment.
 */
export function createWeChatPay(
  mode: 'fake' | 'real' | 'off',
  config: WeChatPayConfig | null,
  deps: { clock: Clock; logger: Logger; appId: string },
): WeChatPay {
  if (mode === 'off') return new UnconfiguredWeChatPay();
  if (mode === 'fake') return new FakeWeChatPay({ appId: deps.appId, clock: deps.clock, logger: deps.logger, mchId: config?.mchId });
  if (!config) throw new Error('WeChat Pay in real mode needs its configuration (mchid, keys, serials, APIv3 key, notify URL)');
  return new HttpWeChatPay(config, { clock: deps.clock, logger: deps.logger });
}
