import { generateKeyPairSync, randomBytes, randomInt, randomUUID, type KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../clock/clock';
import { notificationBody, parsePaymentNotification, signAsWeChatPay, type NotifiedTransaction } from './notification';
import { clientPaymentParams, newApiV3Key, toWeChatTime } from './pay-crypto';
import { paymentRefused } from './pay-errors';
import type { ClientPaymentParams, JsapiOrder, PaymentNotice, SignedNotification, WeChatPay } from './wechat-pay';

export interface FakeWeChatPayOptions {
  appId: string;
  clock: Clock;
  logger?: Logger;
  /** Defaults to a made-up merchant number. */
  mchId?: string;
}

/** A JSAPI order the fake accepted, with the prepay id it made up. */
export interface FakeOrder extends JsapiOrder {
  prepayId: string;
}

/** What WeChat Pay accepts for out_trade_no: 6-32 of digits, letters, `_-|*`. */
const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;

/** Why WeChat Pay would answer PARAM_ERROR for this order, or null. */
export function jsapiOrderProblem(order: JsapiOrder): string | null {
  if (!OUT_TRADE_NO.test(order.outTradeNo)) return 'out_trade_no must be 6-32 characters of [0-9A-Za-z_-|*]';
  if (Array.from(order.description).length < 1 || Array.from(order.description).length > 127) return 'description must have 1-127 characters';
  if (!Number.isSafeInteger(order.amountFen) || order.amountFen < 1) return 'amount.total must be a whole number of fen, at least 1';
  if (order.payerOpenid === '') return 'payer.openid is required';
  if (order.expiresAt && Number.isNaN(order.expiresAt.getTime())) return 'time_expire is not a valid time';
  return null;
}

const rsaPair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const hexSerial = () => randomBytes(20).toString('hex').toUpperCase();

/**
 * WeChat Pay for fake mode (demo, local development, tests), with no network: it has its own
 * merchant and "platform" RSA key pairs and APIv3 key, signs payment params exactly like the real
 * one, and `simulatePaid` produces genuine notifications (encrypted resource, signed headers) that
 * go through the same verification as real ones.
 */
export class FakeWeChatPay implements WeChatPay {
  readonly mode = 'fake' as const;
  readonly appId: string;
  readonly mchId: string;
  readonly merchantSerialNo = hexSerial();
  readonly platformSerialNo = `PUB_KEY_ID_${randomBytes(12).toString('hex').toUpperCase()}`;
  readonly apiV3Key = newApiV3Key();
  /** For checking paySign (tests) the way WeChat does. */
  readonly merchantPublicKeyPem: string;
  readonly platformPublicKeyPem: string;
  /** Every order accepted, oldest first. */
  readonly orders: FakeOrder[] = [];

  private readonly merchantPrivateKey: KeyObject;
  private readonly platformPrivateKey: KeyObject;
  private readonly platformPublicKey: KeyObject;
  private readonly transactionIds = new Map<string, string>();

  constructor(private readonly options: FakeWeChatPayOptions) {
    this.appId = options.appId;
    this.mchId = options.mchId ?? '1900000109';
    const merchant = rsaPair();
    const platform = rsaPair();
    this.merchantPrivateKey = merchant.privateKey;
    this.merchantPublicKeyPem = merchant.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.platformPrivateKey = platform.privateKey;
    this.platformPublicKey = platform.publicKey;
    this.platformPublicKeyPem = platform.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  /**
   * Like WeChat Pay: PARAM_ERROR for a malformed order; the same out_trade_no with the same
   * parameters gets the same prepay id again, with different ones INVALID_REQUEST (both 502 PAYMENT_REFUSED).
   */
  async createJsapiPayment(order: JsapiOrder): Promise<ClientPaymentParams> {
    const problem = jsapiOrderProblem(order);
    if (problem) throw this.refuse(order, 400, 'PARAM_ERROR', problem);
    const existing = this.orders.find((known) => known.outTradeNo === order.outTradeNo);
    let prepayId: string;
    if (existing) {
      const same =
        existing.amountFen === order.amountFen &&
        existing.payerOpenid === order.payerOpenid &&
        existing.description === order.description &&
        existing.expiresAt?.getTime() === order.expiresAt?.getTime();
      if (!same) throw this.refuse(order, 400, 'INVALID_REQUEST', '201 商户订单号重复');
      prepayId = existing.prepayId;
    } else {
      prepayId = `wx${toWeChatTime(this.options.clock.now()).replace(/\D/g, '').slice(0, 14)}${randomBytes(9).toString('hex')}`;
      this.orders.push({ ...order, prepayId });
      this.options.logger?.debug({ outTradeNo: order.outTradeNo, amountFen: order.amountFen, prepayId }, 'fake WeChat Pay: jsapi order created');
    }
    return clientPaymentParams(this.appId, prepayId, this.merchantPrivateKey, this.options.clock.now());
  }

  /**
   * The notification WeChat Pay would post for this order, signed now (by the clock) with the
   * platform key. The same out_trade_no always gets the same transaction_id, as repeated notifications do.
   */
  simulatePaid(order: { outTradeNo: string; amountFen: number; payerOpenid: string }, tradeState = 'SUCCESS'): SignedNotification {
    const now = this.options.clock.now();
    let transactionId = this.transactionIds.get(order.outTradeNo);
    if (!transactionId) {
      transactionId = `4200${String(randomInt(1e8)).padStart(8, '0')}${toWeChatTime(now).replace(/\D/g, '').slice(0, 8)}${String(randomInt(1e8)).padStart(8, '0')}`;
      this.transactionIds.set(order.outTradeNo, transactionId);
    }
    const succeeded = tradeState === 'SUCCESS';
    const transaction: NotifiedTransaction = {
      appid: this.appId,
      mchid: this.mchId,
      out_trade_no: order.outTradeNo,
      transaction_id: transactionId,
      trade_type: 'JSAPI',
      trade_state: tradeState,
      trade_state_desc: succeeded ? '支付成功' : tradeState,
      bank_type: 'OTHERS',
      attach: '',
      ...(succeeded ? { success_time: toWeChatTime(now) } : {}),
      payer: { openid: order.payerOpenid },
      amount: { total: order.amountFen, payer_total: order.amountFen, currency: 'CNY', payer_currency: 'CNY' },
    };
    const body = notificationBody(transaction, this.apiV3Key, now, randomUUID());
    return signAsWeChatPay(body, { platformPrivateKey: this.platformPrivateKey, platformSerialNo: this.platformSerialNo }, now);
  }

  /** Signs any body as this fake's platform would (tests: a signed body that is not a notification). */
  signAsPlatform(body: string, nonce?: string): SignedNotification {
    return signAsWeChatPay(body, { platformPrivateKey: this.platformPrivateKey, platformSerialNo: this.platformSerialNo }, this.options.clock.now(), nonce);
  }

  parseNotification(headers: Record<string, string | string[] | undefined>, rawBody: string): PaymentNotice {
    return parsePaymentNotification(headers, rawBody, {
      platformPublicKey: this.platformPublicKey,
      platformSerialNo: this.platformSerialNo,
      apiV3Key: this.apiV3Key,
      clock: this.options.clock,
      logger: this.options.logger,
      mchId: this.mchId,
      appId: this.appId,
    });
  }

  private refuse(order: JsapiOrder, httpStatus: number, wechatCode: string, wechatMessage: string) {
    this.options.logger?.warn({ outTradeNo: order.outTradeNo, wechatCode, wechatMessage }, 'fake WeChat Pay refused the jsapi order');
    return paymentRefused({ httpStatus, wechatCode, wechatMessage });
  }
}
