import { generateKeyPairSync, verify } from 'node:crypto';
import { SettableClock } from '../../../server/src/platform/clock/clock';
import { AppError } from '../../../server/src/platform/http/errors';
import { createLogger } from '../../../server/src/platform/logger';
import { HttpWeChatPay, type JsapiOrder } from '../../../server/src/platform/wechat/pay/wechat-pay';
import { startFakeWeChatPayServer, type FakeWeChatPayServer } from './fake-wechat-pay-server';
import { capturingLogger } from './log-capture';

let wechatPay: FakeWeChatPayServer;
const clock = new SettableClock();
const logger = createLogger('silent');

beforeAll(async () => {
  wechatPay = await startFakeWeChatPayServer({ now: () => clock.now() });
});
afterAll(() => wechatPay.close());
beforeEach(() => {
  clock.set(null);
  wechatPay.requests.length = 0;
  wechatPay.script.clear();
});

let serial = 0;
const order = (overrides: Partial<JsapiOrder> = {}): JsapiOrder => ({
  outTradeNo: `OFFER${Date.now()}${++serial}`,
  description: '21天早起营-进阶课',
  amountFen: 9900,
  payerOpenid: 'oWx_buyer_1',
  ...overrides,
});
const client = (overrides = {}, log = logger) => new HttpWeChatPay(wechatPay.config(overrides), { clock, logger: log });
const failureOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);

describe('HttpWeChatPay.createJsapiPayment', () => {
  it('posts a correctly signed jsapi order and returns wx.requestPayment params signed with the merchant key', async () => {
    clock.set(new Date('2025-03-01T02:00:00Z'));
    const paying = order({ outTradeNo: 'OFFER20250301A', expiresAt: new Date('2025-03-01T02:30:00.250Z') });
    const params = await client().createJsapiPayment(paying);

    expect(wechatPay.requests).toHaveLength(1);
    const [sent] = wechatPay.requests;
    expect(sent.signatureValid).toBe(true);
    expect(sent.url).toBe('/v3/pay/transactions/jsapi');
    expect(sent.headers.authorization).toMatch(
      /^WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="[0-9A-F]{32}",signature="[A-Za-z0-9+/=]+",timestamp="1740794400",serial_no="[0-9A-F]{40}"$/,
    );
    expect(sent.authorization?.serial_no).toBe(wechatPay.merchantSerialNo);
    expect(sent.body).toEqual({
      appid: wechatPay.appId,
      mchid: wechatPay.mchId,
      description: '21天早起营-进阶课',
      out_trade_no: 'OFFER20250301A',
      time_expire: '2025-03-01T10:30:00+08:00',
      notify_url: 'https://checkin.example.com/api/v1/pay/wechat/notify',
      amount: { total: 9900, currency: 'CNY' },
      payer: { openid: 'oWx_buyer_1' },
    });

    const prepayId = wechatPay.prepayIds.get('OFFER20250301A');
    expect(params).toEqual({
      timeStamp: '1740794400',
      nonceStr: expect.stringMatching(/^[0-9A-F]{32}$/),
      package: `prepay_id=${prepayId}`,
      signType: 'RSA',
      paySign: expect.any(String),
    });
    const message = `${wechatPay.appId}\n1740794400\n${params.nonceStr}\nprepay_id=${prepayId}\n`;
    expect(verify('sha256', Buffer.from(message), wechatPay.merchantPublicKeyPem, Buffer.from(params.paySign, 'base64'))).toBe(true);
    // …and over that message only.
    expect(verify('sha256', Buffer.from(message.trimEnd()), wechatPay.merchantPublicKeyPem, Buffer.from(params.paySign, 'base64'))).toBe(false);
  });

  it('leaves time_expire out when the order has no expiry, and signs a fresh nonce each time', async () => {
    await client().createJsapiPayment(order({ outTradeNo: 'NOEXPIRY01' }));
    await client().createJsapiPayment(order({ outTradeNo: 'NOEXPIRY02' }));
    expect(wechatPay.requests.map((r) => r.signatureValid)).toEqual([true, true]);
    expect(wechatPay.requests[0].body).not.toHaveProperty('time_expire');
    expect(wechatPay.requests[0].authorization?.nonce_str).not.toBe(wechatPay.requests[1].authorization?.nonce_str);
  });

  it('signs the path it actually calls when apiBase ends with a slash', async () => {
    await expect(client({ apiBase: `${wechatPay.baseUrl}/` }).createJsapiPayment(order())).resolves.toMatchObject({ signType: 'RSA' });
    expect(wechatPay.requests[0].signatureValid).toBe(true);
  });

  it('reports a request signed with the wrong merchant key as 502 PAYMENT_REFUSED with WeChat’s SIGN_ERROR', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const { logger: log, lines } = capturingLogger();
    const failure = await failureOf(client({ merchantPrivateKeyPem: other }, log).createJsapiPayment(order()));
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({
      status: 502,
      code: 'PAYMENT_REFUSED',
      details: { httpStatus: 401, wechatCode: 'SIGN_ERROR', wechatMessage: 'signature does not verify' },
    });
    expect(wechatPay.requests[0].signatureValid).toBe(false);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 50, wechatCode: 'SIGN_ERROR', hint: expect.stringMatching(/private key/), msg: 'WeChat Pay refused the jsapi order' }),
    );
  });

  it('reports a wrong merchant serial number as SIGN_ERROR too', async () => {
    await expect(client({ merchantSerialNo: 'ABCDEF' }).createJsapiPayment(order())).rejects.toMatchObject({
      code: 'PAYMENT_REFUSED',
      details: { wechatCode: 'SIGN_ERROR' },
    });
  });

  it('maps a 400 from WeChat Pay to 502 PAYMENT_REFUSED carrying WeChat’s code and message, and logs them', async () => {
    const paying = order();
    wechatPay.script.set(paying.outTradeNo, { status: 400, code: 'INVALID_REQUEST', message: '201 商户订单号重复' });
    const { logger: log, lines } = capturingLogger();
    const failure = await failureOf(client({}, log).createJsapiPayment(paying));
    expect(failure).toMatchObject({
      status: 502,
      code: 'PAYMENT_REFUSED',
      details: { httpStatus: 400, wechatCode: 'INVALID_REQUEST', wechatMessage: '201 商户订单号重复' },
    });
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 50, status: 400, wechatCode: 'INVALID_REQUEST', outTradeNo: paying.outTradeNo, requestId: expect.any(String) }),
    );
  });

  it('maps an order WeChat Pay finds malformed (PARAM_ERROR) to PAYMENT_REFUSED', async () => {
    await expect(client().createJsapiPayment(order({ amountFen: 0 }))).rejects.toMatchObject({
      status: 502,
      code: 'PAYMENT_REFUSED',
      details: { httpStatus: 400, wechatCode: 'PARAM_ERROR' },
    });
    await expect(client().createJsapiPayment(order({ outTradeNo: 'bad no!' }))).rejects.toMatchObject({ details: { wechatCode: 'PARAM_ERROR' } });
  });

  it('maps an already paid order (403 ORDERPAID) to PAYMENT_REFUSED', async () => {
    const paying = order();
    wechatPay.script.set(paying.outTradeNo, { status: 403, code: 'ORDERPAID', message: '该订单已支付' });
    await expect(client().createJsapiPayment(paying)).rejects.toMatchObject({ code: 'PAYMENT_REFUSED', details: { httpStatus: 403, wechatCode: 'ORDERPAID' } });
  });

  it.each([
    ['500 SYSTEM_ERROR', { status: 500, code: 'SYSTEM_ERROR', message: '系统异常，请稍后重试' }],
    ['429 FREQUENCY_LIMITED', { status: 429, code: 'FREQUENCY_LIMITED', message: '频率超限' }],
    ['a 502 HTML page from a gateway', 'html' as const],
    ['a 200 signed with another key (forged)', 'forged' as const],
    ['a 200 without Wechatpay-* headers', 'unsigned' as const],
    ['a 200 signed under another serial', 'wrong-serial' as const],
    ['a signed 200 without prepay_id', 'no-prepay-id' as const],
  ])('answers 503 PAYMENT_UNAVAILABLE for %s', async (_what, scripted) => {
    const paying = order();
    wechatPay.script.set(paying.outTradeNo, scripted);
    await expect(client().createJsapiPayment(paying)).rejects.toMatchObject({ status: 503, code: 'PAYMENT_UNAVAILABLE' });
    expect(wechatPay.requests).toHaveLength(1);
  });

  it('gives up after timeoutMs with 503 PAYMENT_UNAVAILABLE', async () => {
    const paying = order();
    wechatPay.script.set(paying.outTradeNo, 'slow');
    const started = Date.now();
    await expect(client({ timeoutMs: 200 }).createJsapiPayment(paying)).rejects.toMatchObject({ status: 503, code: 'PAYMENT_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('answers 503 PAYMENT_UNAVAILABLE when WeChat Pay cannot be reached', async () => {
    const closed = await startFakeWeChatPayServer();
    const unreachable = closed.baseUrl;
    await closed.close();
    await expect(client({ apiBase: unreachable }).createJsapiPayment(order())).rejects.toMatchObject({ status: 503, code: 'PAYMENT_UNAVAILABLE' });
  });
});

describe('HttpWeChatPay configuration', () => {
  it('refuses to start with a key that is not PEM or an APIv3 key that is not 32 bytes', () => {
    expect(() => client({ merchantPrivateKeyPem: 'not a key' })).toThrow(/merchant private key/);
    expect(() => client({ platformPublicKeyPem: 'not a key' })).toThrow(/platform public key/);
    expect(() => client({ apiV3Key: 'short' })).toThrow(/32 bytes/);
  });

  it('accepts PEMs whose newlines arrive as literal \\n (environment variables)', async () => {
    const escaped = wechatPay.merchantPrivateKeyPem.trim().replace(/\n/g, '\\n');
    await expect(client({ merchantPrivateKeyPem: escaped }).createJsapiPayment(order())).resolves.toMatchObject({ signType: 'RSA' });
    expect(wechatPay.requests[0].signatureValid).toBe(true);
  });

  it('is mode real', () => {
    expect(client().mode).toBe('real');
  });
});
