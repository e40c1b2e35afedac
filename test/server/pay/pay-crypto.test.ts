import { createDecipheriv, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import {
  buildAuthorization,
  decryptResource,
  encryptResource,
  parseAuthorization,
  paySignFor,
  requestSignatureMessage,
  signMessage,
  toWeChatTime,
  verifySignature,
  wechatpaySignatureMessage,
} from '../../../server/src/platform/wechat/pay/wechat-pay';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const apiV3Key = randomBytes(16).toString('hex');

describe('signature messages', () => {
  it('builds the request message of WeChat Pay’s documentation (five lines, each ending in \\n)', () => {
    expect(requestSignatureMessage('GET', '/v3/certificates', '1554208460', '593BEC0C930BF1AFEB40B4A08C8FB242', '')).toBe(
      'GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n',
    );
    expect(requestSignatureMessage('post', '/v3/pay/transactions/jsapi', '1', 'N', '{"a":1}')).toBe('POST\n/v3/pay/transactions/jsapi\n1\nN\n{"a":1}\n');
  });

  it('builds the response/notification message: timestamp, nonce, body', () => {
    expect(wechatpaySignatureMessage('1554209980', 'c5ac7061fccab6bf3e254dcf98995b8c', '{"data":[]}')).toBe('1554209980\nc5ac7061fccab6bf3e254dcf98995b8c\n{"data":[]}\n');
  });
});

describe('signMessage / verifySignature', () => {
  it('is SHA256withRSA in base64, checkable with Node’s own verify', () => {
    const signature = signMessage('hello\n', privateKey);
    expect(verify('sha256', Buffer.from('hello\n'), publicKey, Buffer.from(signature, 'base64'))).toBe(true);
    expect(verifySignature('hello\n', signature, publicKey)).toBe(true);
    expect(verifySignature('hello', signature, publicKey)).toBe(false);
    expect(verifySignature('hello\n', signature, other.publicKey)).toBe(false);
  });

  it.each(['', 'not base64 at all!', 'AAAA'])('is false, not an exception, for the signature %j', (signature) => {
    expect(verifySignature('hello\n', signature, publicKey)).toBe(false);
  });
});

describe('buildAuthorization', () => {
  it('is the WECHATPAY2-SHA256-RSA2048 header over the request message, and parses back', () => {
    const header = buildAuthorization({
      mchId: '1900009191',
      serialNo: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C',
      privateKey,
      method: 'POST',
      pathWithQuery: '/v3/pay/transactions/jsapi',
      timestamp: '1554208460',
      nonce: '593BEC0C930BF1AFEB40B4A08C8FB242',
      body: '{"x":1}',
    });
    expect(header).toMatch(
      /^WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",signature="[A-Za-z0-9+/]+={0,2}",timestamp="1554208460",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"$/,
    );
    const parsed = parseAuthorization(header);
    expect(parsed).toMatchObject({ mchid: '1900009191', timestamp: '1554208460', serial_no: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C' });
    const message = 'POST\n/v3/pay/transactions/jsapi\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n{"x":1}\n';
    expect(verifySignature(message, parsed!.signature, publicKey)).toBe(true);
  });

  it('parseAuthorization is null for another scheme or a missing field', () => {
    expect(parseAuthorization(undefined)).toBeNull();
    expect(parseAuthorization('Bearer abc')).toBeNull();
    expect(parseAuthorization('WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="n",timestamp="1",serial_no="s"')).toBeNull();
  });
});

describe('paySignFor', () => {
  it('signs "appId\\ntimeStamp\\nnonceStr\\npackage\\n" with the merchant key', () => {
    const params = { appId: 'wx8888888888888888', timeStamp: '1414561699', nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS', package: 'prepay_id=wx201410272009395522657a690389285100' };
    const paySign = paySignFor(params, privateKey);
    const message = 'wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n';
    expect(verify('sha256', Buffer.from(message), publicKey, Buffer.from(paySign, 'base64'))).toBe(true);
  });
});

describe('encryptResource / decryptResource (AEAD_AES_256_GCM)', () => {
  it('round-trips, and the tag is the last 16 bytes of the base64-decoded ciphertext', () => {
    const resource = encryptResource('{"out_trade_no":"A"}', apiV3Key, { associatedData: 'transaction', nonce: 'fdasflkja484' });
    expect(resource).toMatchObject({ algorithm: 'AEAD_AES_256_GCM', associated_data: 'transaction', nonce: 'fdasflkja484', original_type: 'transaction' });
    expect(decryptResource(resource, apiV3Key)).toBe('{"out_trade_no":"A"}');

    // Independently, the way WeChat documents it.
    const data = Buffer.from(resource.ciphertext, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from('fdasflkja484'));
    decipher.setAuthTag(data.subarray(-16));
    decipher.setAAD(Buffer.from('transaction'));
    expect(Buffer.concat([decipher.update(data.subarray(0, -16)), decipher.final()]).toString()).toBe('{"out_trade_no":"A"}');
  });

  it('throws for another key, AAD or nonce, or a short ciphertext', () => {
    const resource = encryptResource('secret', apiV3Key);
    expect(() => decryptResource(resource, randomBytes(16).toString('hex'))).toThrow();
    expect(() => decryptResource({ ...resource, associated_data: 'other' }, apiV3Key)).toThrow();
    expect(() => decryptResource({ ...resource, nonce: 'x' + resource.nonce }, apiV3Key)).toThrow();
    expect(() => decryptResource({ ...resource, ciphertext: 'AAAA' }, apiV3Key)).toThrow();
    expect(() => decryptResource(resource, 'short key')).toThrow(/32 bytes/);
  });
});

describe('toWeChatTime', () => {
  it('is RFC 3339 in Beijing time without fractions', () => {
    expect(toWeChatTime(new Date('2015-05-20T05:29:35.999Z'))).toBe('2015-05-20T13:29:35+08:00');
    expect(toWeChatTime(new Date('2024-12-31T20:00:00Z'))).toBe('2025-01-01T04:00:00+08:00');
  });
});
