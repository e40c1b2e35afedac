import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../clock/clock';
import { parsePaymentNotification } from './notification';
import {
  buildAuthorization,
  certificateSerialOf,
  clientPaymentParams,
  loadPrivateKey,
  loadPublicKey,
  newNonce,
  toWeChatTime,
  unixSeconds,
  verifySignature,
  wechatpaySignatureMessage,
} from './pay-crypto';
import { paymentRefused, paymentUnavailable } from './pay-errors';
import type { ClientPaymentParams, JsapiOrder, PaymentNotice, WeChatPay, WeChatPayConfig } from './wechat-pay';

export interface HttpWeChatPayDeps {
  clock: Clock;
  logger: Logger;
}

export const JSAPI_PATH = '/v3/pay/transactions/jsapi';

/** WeChat Pay's error codes that point at this server's configuration rather than at the order. */
const refusalHints: Record<string, string> = {
  SIGN_ERROR: 'WECHAT_PAY merchant private key or merchant serial number is wrong',
  MCH_NOT_EXISTS: 'WECHAT_PAY mchid is wrong',
  APPID_MCHID_NOT_MATCH: 'the AppID is not bound to this mchid in the merchant platform',
  NO_AUTH: 'the merchant has no permission for JSAPI payments',
  PARAM_ERROR: 'a field of the order is malformed (out_trade_no 6-32 chars of [0-9A-Za-z_-|*], description <= 127 chars)',
  INVALID_REQUEST: 'out_trade_no was already used with different parameters, or the order is closed',
  ORDERPAID: 'this out_trade_no is already paid',
  ORDER_CLOSED: 'this out_trade_no is closed; create the order with a new out_trade_no',
};

/** WeChat Pay's JSON error answer. */
interface WeChatPayErrorAnswer {
  code?: unknown;
  message?: unknown;
}

/**
 * The real WeChat Pay APIv3 client for a direct merchant (直连商户): JSAPI/mini program orders and
 * payment notifications. Keys are loaded once at construction (a bad PEM fails at start-up).
 */
export class HttpWeChatPay implements WeChatPay {
  readonly mode = 'real' as const;
  private readonly merchantKey: KeyObject;
  private readonly platformKey: KeyObject;
  private readonly apiBase: string;

  constructor(
    private readonly config: WeChatPayConfig,
    private readonly deps: HttpWeChatPayDeps,
  ) {
    if (Buffer.byteLength(config.apiV3Key, 'utf8') !== 32) throw new Error('WeChat Pay APIv3 key must be 32 bytes');
    this.merchantKey = loadPrivateKey(config.merchantPrivateKeyPem, 'WeChat Pay merchant private key');
    this.platformKey = loadPublicKey(config.platformPublicKeyPem, 'WeChat Pay platform public key');
    const certificateSerial = certificateSerialOf(config.platformPublicKeyPem);
    if (certificateSerial !== null && certificateSerial !== config.platformSerialNo.trim().toUpperCase()) {
      throw new Error(`WeChat Pay platform serial ${config.platformSerialNo} is not the serial of the platform certificate (${certificateSerial})`);
    }
    this.apiBase = config.apiBase.replace(/\/+$/, '');
  }

  async createJsapiPayment(order: JsapiOrder): Promise<ClientPaymentParams> {
    const { config, deps } = this;
    const context = { outTradeNo: order.outTradeNo, amountFen: order.amountFen };
    const body = JSON.stringify({
      appid: config.appId,
      mchid: config.mchId,
      description: order.description,
      out_trade_no: order.outTradeNo,
      ...(order.expiresAt ? { time_expire: toWeChatTime(order.expiresAt) } : {}),
      notify_url: config.notifyUrl,
      amount: { total: order.amountFen, currency: 'CNY' },
      payer: { openid: order.payerOpenid },
    });
    const url = new URL(`${this.apiBase}${JSAPI_PATH}`);
    const authorization = buildAuthorization({
      mchId: config.mchId,
      serialNo: config.merchantSerialNo,
      privateKey: this.merchantKey,
      method: 'POST',
      pathWithQuery: `${url.pathname}${url.search}`,
      timestamp: unixSeconds(deps.clock.now()),
      nonce: newNonce(),
      body,
    });

    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          Authorization: authorization,
          Accept: 'application/json',
          'Content-Type': 'application/json',
          'User-Agent': 'checkin-points (WeChat Pay APIv3; node fetch)',
        },
        body,
        signal: AbortSignal.timeout(config.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      deps.logger.warn({ ...context, err: error }, 'WeChat Pay jsapi order: request failed or timed out');
      throw paymentUnavailable();
    }
    const requestId = response.headers.get('request-id') ?? undefined;

    if (response.status >= 500 || response.status === 429) {
      const answer = parseErrorAnswer(text);
      deps.logger.warn({ ...context, status: response.status, requestId, ...answer }, 'WeChat Pay jsapi order: WeChat Pay is busy or failing');
      throw paymentUnavailable();
    }
    if (response.status >= 400) {
      const answer = parseErrorAnswer(text);
      deps.logger.error(
        { ...context, status: response.status, requestId, ...answer, hint: answer.wechatCode ? refusalHints[answer.wechatCode] : undefined },
        'WeChat Pay refused the jsapi order',
      );
      throw paymentRefused({ httpStatus: response.status, ...answer });
    }
    if (response.status < 200 || response.status >= 300) {
      deps.logger.warn({ ...context, status: response.status, requestId }, 'WeChat Pay jsapi order: unexpected HTTP status');
      throw paymentUnavailable();
    }

    const unsigned = this.responseSignatureProblem(response.headers, text);
    if (unsigned) {
      deps.logger.error({ ...context, requestId, reason: unsigned }, 'WeChat Pay jsapi order: the answer is not signed by WeChat Pay; ignoring it');
      throw paymentUnavailable();
    }
    let prepayId: unknown;
    try {
      prepayId = (JSON.parse(text) as { prepay_id?: unknown }).prepay_id;
    } catch {
      prepayId = undefined;
    }
    if (typeof prepayId !== 'string' || prepayId === '') {
      deps.logger.error({ ...context, requestId }, 'WeChat Pay jsapi order: answered without prepay_id');
      throw paymentUnavailable();
    }
    deps.logger.info({ ...context, requestId }, 'WeChat Pay jsapi order created');
    return clientPaymentParams(config.appId, prepayId, this.merchantKey, deps.clock.now());
  }

  parseNotification(headers: Record<string, string | string[] | undefined>, rawBody: string): PaymentNotice {
    return parsePaymentNotification(headers, rawBody, {
      platformPublicKey: this.platformKey,
      platformSerialNo: this.config.platformSerialNo,
      apiV3Key: this.config.apiV3Key,
      clock: this.deps.clock,
      logger: this.deps.logger,
      mchId: this.config.mchId,
      appId: this.config.appId,
    });
  }

  /**
   * WeChat Pay signs every successful answer ("timestamp\nnonce\nbody\n", platform key); an unsigned
   * or badly signed 2xx must be treated as forged. Returns why it does not verify, or null.
   */
  private responseSignatureProblem(headers: Headers, body: string): string | null {
    const timestamp = headers.get('wechatpay-timestamp');
    const nonce = headers.get('wechatpay-nonce');
    const signature = headers.get('wechatpay-signature');
    const serial = headers.get('wechatpay-serial');
    if (!timestamp || !nonce || !signature || !serial) return 'missing Wechatpay-* headers';
    if (serial.trim().toUpperCase() !== this.config.platformSerialNo.trim().toUpperCase()) {
      return `Wechatpay-Serial ${serial} is not the configured platform serial (has WeChat Pay rotated its key?)`;
    }
    if (!verifySignature(wechatpaySignatureMessage(timestamp, nonce, body), signature, this.platformKey)) return 'bad Wechatpay-Signature';
    return null;
  }
}

/** `{code, message}` of a WeChat Pay error answer, as far as it is readable. */
function parseErrorAnswer(text: string): { wechatCode: string | null; wechatMessage: string | null } {
  try {
    const parsed = JSON.parse(text) as WeChatPayErrorAnswer;
    return {
      wechatCode: typeof parsed.code === 'string' ? parsed.code : null,
      wechatMessage: typeof parsed.message === 'string' ? parsed.message : null,
    };
  } catch {
    return { wechatCode: null, wechatMessage: text === '' ? null : text.slice(0, 200) };
  }
}
