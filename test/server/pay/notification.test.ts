import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { SettableClock } from '../../../server/src/platform/clock/clock';
import { AppError } from '../../../server/src/platform/http/errors';
import { createLogger } from '../../../server/src/platform/logger';
import {
  encryptResource,
  HttpWeChatPay,
  notificationAnswer,
  notificationBody,
  paymentNoticeInvalid,
  signAsWeChatPay,
  type NotifiedTransaction,
  type SignedNotification,
  type WeChatPayConfig,
} from '../../../server/src/platform/wechat/pay/wechat-pay';

/** Notifications are pure: no server needed, only keys made here. */
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const impostor = generateKeyPairSync('rsa', { modulusLength: 2048 });
const apiV3Key = randomBytes(16).toString('hex');
const platformSerialNo = 'PUB_KEY_ID_0119000091912025010100000000000001';
const config: WeChatPayConfig = {
  appId: 'wx1234567890abcdef',
  mchId: '1900009191',
  merchantSerialNo: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
  merchantPrivateKeyPem: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  platformPublicKeyPem: platform.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  platformSerialNo,
  apiV3Key,
  notifyUrl: 'https://checkin.example.com/api/v1/pay/wechat/notify',
  apiBase: 'http://127.0.0.1:9',
  timeoutMs: 300,
};
const paidAt = new Date('2025-03-01T02:10:00Z');
const clock = new SettableClock();
const pay = new HttpWeChatPay(config, { clock, logger: createLogger('silent') });
beforeEach(() => clock.set(paidAt));

const transaction = (overrides: Partial<NotifiedTransaction> = {}): NotifiedTransaction => ({
  appid: config.appId,
  mchid: config.mchId,
  out_trade_no: 'OFFER20250301A',
  transaction_id: '4200002345202503011234567890',
  trade_type: 'JSAPI',
  trade_state: 'SUCCESS',
  trade_state_desc: '支付成功',
  bank_type: 'CMC',
  attach: '',
  success_time: '2025-03-01T10:10:00+08:00',
  payer: { openid: 'oWx_buyer_1' },
  amount: { total: 9900, payer_total: 9900, currency: 'CNY', payer_currency: 'CNY' },
  ...overrides,
});
const signed = (body: string, signer = platform.privateKey, serial = platformSerialNo, at = paidAt): SignedNotification =>
  signAsWeChatPay(body, { platformPrivateKey: signer, platformSerialNo: serial }, at);
const notification = (tx = transaction(), key = apiV3Key) => signed(notificationBody(tx, key, paidAt, 'EV-2018022511223320873'));
const failureOf = (run: () => unknown): AppError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected parseNotification to throw');
};
/** Re-serialises a notification body with its resource changed, then signs it properly. */
const withResource = (change: (resource: Record<string, unknown>) => void): SignedNotification => {
  const envelope = JSON.parse(notification().body) as { resource: Record<string, unknown> };
  change(envelope.resource);
  return signed(JSON.stringify(envelope));
};

describe('parseNotification: a genuine notification', () => {
  it('returns the decrypted transaction', () => {
    const { headers, body } = notification();
    expect(pay.parseNotification(headers, body)).toEqual({
      outTradeNo: 'OFFER20250301A',
      transactionId: '4200002345202503011234567890',
      tradeState: 'SUCCESS',
      amountFen: 9900,
      payerOpenid: 'oWx_buyer_1',
      successTime: '2025-03-01T10:10:00+08:00',
    });
  });

  it('reads the headers whatever their case (Koa lower-cases them) and single-valued arrays', () => {
    const { headers, body } = notification();
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(pay.parseNotification(lower, body).outTradeNo).toBe('OFFER20250301A');
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), [v]]));
    expect(pay.parseNotification(upper, body).outTradeNo).toBe('OFFER20250301A');
  });

  it('accepts a timestamp exactly 5 minutes away, either side', () => {
    const { headers, body } = notification();
    clock.set(new Date(paidAt.getTime() + 300_000));
    expect(pay.parseNotification(headers, body).tradeState).toBe('SUCCESS');
    clock.set(new Date(paidAt.getTime() - 300_000));
    expect(pay.parseNotification(headers, body).tradeState).toBe('SUCCESS');
  });

  it('gives successTime null when the transaction has none', () => {
    const { success_time: _dropped, ...unpaid } = transaction({ trade_state: 'NOTPAY', trade_state_desc: '未支付' });
    const { headers, body } = notification(unpaid as NotifiedTransaction);
    expect(pay.parseNotification(headers, body)).toMatchObject({ tradeState: 'NOTPAY', successTime: null });
  });
});

describe('parseNotification: 401 PAYMENT_SIGNATURE_INVALID', () => {
  it('for a signature made with another key', () => {
    const { headers, body } = signed(notification().body, impostor.privateKey);
    expect(failureOf(() => pay.parseNotification(headers, body))).toMatchObject({ status: 401, code: 'PAYMENT_SIGNATURE_INVALID' });
  });

  it('for a serial that is not the platform’s (even with a good signature)', () => {
    const { headers, body } = signed(notification().body, platform.privateKey, 'PUB_KEY_ID_SOMEBODY_ELSE');
    expect(failureOf(() => pay.parseNotification(headers, body))).toMatchObject({ status: 401, code: 'PAYMENT_SIGNATURE_INVALID', details: { reason: expect.stringMatching(/serial/) } });
  });

  it('for a body changed after signing', () => {
    const { headers, body } = notification();
    const tampered = body.replace('EV-2018022511223320873', 'EV-2018022511223320874');
    expect(tampered).not.toBe(body);
    expect(failureOf(() => pay.parseNotification(headers, tampered))).toMatchObject({ status: 401, code: 'PAYMENT_SIGNATURE_INVALID' });
    // Even whitespace matters: the signature covers the raw bytes, not the parsed JSON.
    expect(failureOf(() => pay.parseNotification(headers, `${body} `))).toMatchObject({ code: 'PAYMENT_SIGNATURE_INVALID' });
    expect(failureOf(() => pay.parseNotification(headers, JSON.stringify(JSON.parse(body), null, 1)))).toMatchObject({ code: 'PAYMENT_SIGNATURE_INVALID' });
  });

  it.each([
    ['more than 5 minutes old (a replay)', 300_001 + 999],
    ['more than 5 minutes in the future', -(300_001 + 999)],
  ])('for a timestamp %s', (_what, clockAheadMs) => {
    const { headers, body } = notification();
    clock.set(new Date(paidAt.getTime() + clockAheadMs));
    expect(failureOf(() => pay.parseNotification(headers, body))).toMatchObject({ status: 401, code: 'PAYMENT_SIGNATURE_INVALID', details: { reason: expect.stringMatching(/Timestamp/) } });
  });

  it.each(['Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Signature', 'Wechatpay-Serial'])('for a missing %s header', (name) => {
    const { headers, body } = notification();
    const { [name]: _removed, ...rest } = headers;
    expect(failureOf(() => pay.parseNotification(rest, body))).toMatchObject({ status: 401, code: 'PAYMENT_SIGNATURE_INVALID' });
  });

  it('for a changed nonce or timestamp header (both are signed)', () => {
    const { headers, body } = notification();
    expect(failureOf(() => pay.parseNotification({ ...headers, 'Wechatpay-Nonce': 'X' + headers['Wechatpay-Nonce'] }, body))).toMatchObject({ code: 'PAYMENT_SIGNATURE_INVALID' });
    const oneSecondLater = String(Number(headers['Wechatpay-Timestamp']) + 1);
    expect(failureOf(() => pay.parseNotification({ ...headers, 'Wechatpay-Timestamp': oneSecondLater }, body))).toMatchObject({ code: 'PAYMENT_SIGNATURE_INVALID' });
  });

  it('for WeChat’s signature probe and for a repeated header', () => {
    const { headers, body } = notification();
    const probe = { ...headers, 'Wechatpay-Signature': 'WECHATPAY/SIGNTEST/' + headers['Wechatpay-Signature'] };
    expect(failureOf(() => pay.parseNotification(probe, body))).toMatchObject({ code: 'PAYMENT_SIGNATURE_INVALID' });
    const repeated = { ...headers, 'Wechatpay-Signature': [headers['Wechatpay-Signature'], headers['Wechatpay-Signature']] };
    expect(failureOf(() => pay.parseNotification(repeated, body))).toMatchObject({ code: 'PAYMENT_SIGNATURE_INVALID' });
  });

  it('for another signature type', () => {
    const { headers, body } = notification();
    expect(failureOf(() => pay.parseNotification({ ...headers, 'Wechatpay-Signature-Type': 'WECHATPAY2-SM2-WITH-SM3' }, body))).toMatchObject({ code: 'PAYMENT_SIGNATURE_INVALID' });
  });
});

describe('parseNotification: 400 PAYMENT_NOTICE_INVALID (signed, but unreadable)', () => {
  it('for a resource encrypted with another APIv3 key', () => {
    const { headers, body } = notification(transaction(), randomBytes(16).toString('hex'));
    expect(failureOf(() => pay.parseNotification(headers, body))).toMatchObject({ status: 400, code: 'PAYMENT_NOTICE_INVALID', details: { reason: expect.stringMatching(/decrypt/) } });
  });

  it.each([
    ['a flipped ciphertext byte', (r: Record<string, unknown>) => {
      const bytes = Buffer.from(r.ciphertext as string, 'base64');
      bytes[3] ^= 0x01;
      r.ciphertext = bytes.toString('base64');
    }],
    ['a flipped tag byte', (r: Record<string, unknown>) => {
      const bytes = Buffer.from(r.ciphertext as string, 'base64');
      bytes[bytes.length - 1] ^= 0x80;
      r.ciphertext = bytes.toString('base64');
    }],
    ['a truncated ciphertext', (r: Record<string, unknown>) => {
      r.ciphertext = Buffer.from(r.ciphertext as string, 'base64').subarray(0, 10).toString('base64');
    }],
    ['another associated_data', (r: Record<string, unknown>) => { r.associated_data = 'refund'; }],
    ['another nonce', (r: Record<string, unknown>) => { r.nonce = 'aaaaaaaaaaaa'; }],
    ['no ciphertext', (r: Record<string, unknown>) => { delete r.ciphertext; }],
    ['another algorithm', (r: Record<string, unknown>) => { r.algorithm = 'AEAD_SM4_GCM'; }],
    ['a resource that is not a transaction', (r: Record<string, unknown>) => { r.original_type = 'refund'; }],
  ])('for %s', (_what, change) => {
    const { headers, body } = withResource(change);
    expect(failureOf(() => pay.parseNotification(headers, body))).toMatchObject({ status: 400, code: 'PAYMENT_NOTICE_INVALID' });
  });

  it.each([
    ['not JSON', 'SUCCESS'],
    ['JSON without resource', JSON.stringify({ id: 'EV-1', event_type: 'TRANSACTION.SUCCESS' })],
    ['a JSON array', '[]'],
  ])('for a body that is %s', (_what, text) => {
    const { headers, body } = signed(text);
    expect(failureOf(() => pay.parseNotification(headers, body))).toMatchObject({ status: 400, code: 'PAYMENT_NOTICE_INVALID' });
  });

  it.each([
    ['without out_trade_no', { out_trade_no: undefined }],
    ['without transaction_id', { transaction_id: '' }],
    ['with a fractional amount', { amount: { total: 99.5, payer_total: 99.5, currency: 'CNY' as const, payer_currency: 'CNY' as const } }],
    ['without payer', { payer: undefined }],
    ['of another merchant', { mchid: '1230000109' }],
    ['of another app', { appid: 'wxd678efh567hg6787' }],
  ])('for a decrypted transaction %s', (_what, overrides) => {
    const tx = { ...transaction(), ...overrides } as NotifiedTransaction;
    const { headers, body } = notification(tx);
    expect(failureOf(() => pay.parseNotification(headers, body))).toMatchObject({ status: 400, code: 'PAYMENT_NOTICE_INVALID' });
  });

  it('for a resource that decrypts to something that is not JSON', () => {
    const { headers, body } = withResource((r) => Object.assign(r, encryptResource('not json', apiV3Key)));
    expect(failureOf(() => pay.parseNotification(headers, body))).toMatchObject({ status: 400, code: 'PAYMENT_NOTICE_INVALID' });
  });
});

describe('notificationAnswer (what the notify route tells WeChat Pay)', () => {
  it('is 204 without a body once the payment is handled', () => {
    expect(notificationAnswer()).toEqual({ status: 204 });
  });

  it('keeps the 4xx of a refused notification, with {code: FAIL, message}', () => {
    const { headers, body } = signed(notification().body, impostor.privateKey);
    expect(notificationAnswer(failureOf(() => pay.parseNotification(headers, body)))).toEqual({
      status: 401,
      body: { code: 'FAIL', message: expect.any(String) },
    });
    expect(notificationAnswer(paymentNoticeInvalid('x'))).toMatchObject({ status: 400, body: { code: 'FAIL' } });
  });

  it('is 500 for anything else, so WeChat Pay sends the notification again', () => {
    expect(notificationAnswer(new Error('database down'))).toEqual({ status: 500, body: { code: 'FAIL', message: expect.any(String) } });
    expect(notificationAnswer(new AppError(503, 'DATABASE_UNAVAILABLE', 'down'))).toMatchObject({ status: 500 });
  });
});
