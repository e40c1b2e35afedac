import { verify } from 'node:crypto';
import { SettableClock } from '../../../server/src/platform/clock/clock';
import { AppError } from '../../../server/src/platform/http/errors';
import { createLogger } from '../../../server/src/platform/logger';
import {
  createWeChatPay,
  FakeWeChatPay,
  HttpWeChatPay,
  type JsapiOrder,
} from '../../../server/src/platform/wechat/pay/wechat-pay';
import { startFakeWeChatPayServer } from './fake-wechat-pay-server';

const logger = createLogger('silent');
const clock = new SettableClock();
const appId = 'wx1234567890abcdef';
const fake = new FakeWeChatPay({ appId, clock, logger });
beforeEach(() => clock.set(new Date('2025-03-01T02:00:00Z')));

const order = (overrides: Partial<JsapiOrder> = {}): JsapiOrder => ({
  outTradeNo: 'OFFER0001',
  description: '21天早起营-进阶课',
  amountFen: 9900,
  payerOpenid: 'oWx_buyer_1',
  ...overrides,
});
const thrown = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  return null;
};

describe('FakeWeChatPay.createJsapiPayment', () => {
  it('returns params whose paySign verifies with the fake merchant public key, with no network', async () => {
    const params = await fake.createJsapiPayment(order());
    expect(params).toMatchObject({ timeStamp: '1740794400', signType: 'RSA', package: expect.stringMatching(/^prepay_id=wx\d{14}[0-9a-f]{18}$/) });
    const message = `${appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`;
    expect(verify('sha256', Buffer.from(message), fake.merchantPublicKeyPem, Buffer.from(params.paySign, 'base64'))).toBe(true);
    expect(fake.orders.map((o) => o.outTradeNo)).toContain('OFFER0001');
    expect(fake.mode).toBe('fake');
  });

  it('gives the same prepay id for the same out_trade_no and parameters, and refuses changed ones like WeChat', async () => {
    const first = await fake.createJsapiPayment(order({ outTradeNo: 'OFFER0002' }));
    const again = await fake.createJsapiPayment(order({ outTradeNo: 'OFFER0002' }));
    expect(again.package).toBe(first.package);
    expect(again.nonceStr).not.toBe(first.nonceStr);
    await expect(fake.createJsapiPayment(order({ outTradeNo: 'OFFER0002', amountFen: 1 }))).rejects.toMatchObject({
      status: 502,
      code: 'PAYMENT_REFUSED',
      details: { wechatCode: 'INVALID_REQUEST' },
    });
  });

  it.each([
    ['a too short out_trade_no', { outTradeNo: 'A1' }],
    ['an out_trade_no with a space', { outTradeNo: 'OFFER 0003' }],
    ['zero fen', { amountFen: 0 }],
    ['fractional fen', { amountFen: 99.5 }],
    ['an empty description', { description: '' }],
    ['a 128-character description', { description: '课'.repeat(128) }],
    ['no openid', { payerOpenid: '' }],
  ])('refuses %s with PARAM_ERROR, as WeChat Pay would', async (_what, overrides) => {
    await expect(fake.createJsapiPayment(order({ outTradeNo: 'OFFER0003', ...overrides }))).rejects.toMatchObject({
      code: 'PAYMENT_REFUSED',
      details: { httpStatus: 400, wechatCode: 'PARAM_ERROR' },
    });
  });
});

describe('FakeWeChatPay.simulatePaid', () => {
  it('builds a genuine notification (encrypted resource, signed headers) that parseNotification accepts', () => {
    const notice = fake.simulatePaid({ outTradeNo: 'OFFER0004', amountFen: 9900, payerOpenid: 'oWx_buyer_1' });
    expect(notice.headers).toMatchObject({
      'Wechatpay-Serial': fake.platformSerialNo,
      'Wechatpay-Timestamp': '1740794400',
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    });
    const envelope = JSON.parse(notice.body) as { event_type: string; resource: { algorithm: string; ciphertext: string } };
    expect(envelope.event_type).toBe('TRANSACTION.SUCCESS');
    expect(envelope.resource.algorithm).toBe('AEAD_AES_256_GCM');
    expect(notice.body).not.toContain('oWx_buyer_1'); // the transaction is encrypted

    expect(fake.parseNotification(notice.headers, notice.body)).toEqual({
      outTradeNo: 'OFFER0004',
      transactionId: expect.stringMatching(/^4200\d{24}$/),
      tradeState: 'SUCCESS',
      amountFen: 9900,
      payerOpenid: 'oWx_buyer_1',
      successTime: '2025-03-01T10:00:00+08:00',
    });
  });

  it('repeats the same transaction_id for the same order, like WeChat’s repeated notifications', () => {
    const paid = { outTradeNo: 'OFFER0005', amountFen: 100, payerOpenid: 'oWx_buyer_2' };
    const first = fake.simulatePaid(paid);
    clock.set(new Date('2025-03-01T02:01:00Z'));
    const second = fake.simulatePaid(paid);
    expect(second.body).not.toBe(first.body);
    expect(fake.parseNotification(second.headers, second.body).transactionId).toBe(fake.parseNotification(first.headers, first.body).transactionId);
  });

  it('can simulate another trade state (no success_time)', () => {
    const notice = fake.simulatePaid({ outTradeNo: 'OFFER0006', amountFen: 100, payerOpenid: 'oWx_buyer_2' }, 'PAYERROR');
    expect(fake.parseNotification(notice.headers, notice.body)).toMatchObject({ tradeState: 'PAYERROR', successTime: null });
  });

  it('goes through the real checks: a replayed, tampered or foreign notification is refused', () => {
    const notice = fake.simulatePaid({ outTradeNo: 'OFFER0007', amountFen: 100, payerOpenid: 'oWx_buyer_3' });
    expect(thrown(() => fake.parseNotification(notice.headers, notice.body.replace('"id":"', '"id":"x')))).toMatchObject({ status: 401, code: 'PAYMENT_SIGNATURE_INVALID' });
    const other = new FakeWeChatPay({ appId, clock });
    expect(thrown(() => other.parseNotification(notice.headers, notice.body))).toMatchObject({ status: 401, code: 'PAYMENT_SIGNATURE_INVALID' });
    clock.set(new Date('2025-03-01T02:06:00Z'));
    const replayed = thrown(() => fake.parseNotification(notice.headers, notice.body));
    expect(replayed).toBeInstanceOf(AppError);
    expect(replayed).toMatchObject({ status: 401, code: 'PAYMENT_SIGNATURE_INVALID' });
  });

  it('signAsPlatform signs any body: a signed body that is not a notification is 400 PAYMENT_NOTICE_INVALID', () => {
    const { headers, body } = fake.signAsPlatform('{"hello":"world"}');
    expect(thrown(() => fake.parseNotification(headers, body))).toMatchObject({ status: 400, code: 'PAYMENT_NOTICE_INVALID' });
  });

  it('makes its own keys per instance', () => {
    const other = new FakeWeChatPay({ appId, clock });
    expect(other.platformSerialNo).not.toBe(fake.platformSerialNo);
    expect(other.apiV3Key).not.toBe(fake.apiV3Key);
    expect(Buffer.byteLength(other.apiV3Key)).toBe(32);
  });
});

describe('createWeChatPay', () => {
  it('fake mode needs no configuration', () => {
    const pay = createWeChatPay('fake', null, { clock, logger, appId });
    expect(pay).toBeInstanceOf(FakeWeChatPay);
    expect(pay.mode).toBe('fake');
  });

  it('real mode refuses to start without configuration', () => {
    expect(() => createWeChatPay('real', null, { clock, logger, appId })).toThrow(/configuration/);
  });

  it('real mode is the HTTP client', async () => {
    const server = await startFakeWeChatPayServer();
    try {
      const pay = createWeChatPay('real', server.config(), { clock: new SettableClock(), logger, appId: server.appId });
      expect(pay).toBeInstanceOf(HttpWeChatPay);
      expect(pay.mode).toBe('real');
      await expect(pay.createJsapiPayment(order({ outTradeNo: 'FACTORY01' }))).resolves.toMatchObject({ signType: 'RSA' });
      expect(server.requests[0].signatureValid).toBe(true);
    } finally {
      await server.close();
    }
  });
});
