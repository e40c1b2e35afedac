import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  parseAuthorization,
  requestSignatureMessage,
  signAsWeChatPay,
  verifySignature,
  type ParsedAuthorization,
  type WeChatPayConfig,
} from '../../../server/src/platform/wechat/pay/wechat-pay';

/** A request the fake received, with what it concluded about the signature. */
export interface RecordedPayRequest {
  method: string;
  /** Path and query as sent (what the merchant must have signed). */
  url: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  body: Record<string, unknown> | null;
  authorization: ParsedAuthorization | null;
  signatureValid: boolean;
}

/**
 * How the fake answers an order, by out_trade_no: an error answer (`{status, code, message}`),
 * `slow` (answers after 2 s), `forged` (200 signed with another key), `unsigned` (200 without
 * Wechatpay-* headers), `wrong-serial` (200 signed under another serial), `no-prepay-id` (signed 200
 * without prepay_id) or `html` (502 with an HTML page, like a gateway).
 */
export type PayScript =
  | { status: number; code: string; message: string }
  | 'slow'
  | 'forged'
  | 'unsigned'
  | 'wrong-serial'
  | 'no-prepay-id'
  | 'html';

export interface FakeWeChatPayServer {
  baseUrl: string;
  appId: string;
  mchId: string;
  merchantSerialNo: string;
  platformSerialNo: string;
  merchantPrivateKeyPem: string;
  merchantPublicKeyPem: string;
  platformPrivateKey: KeyObject;
  platformPublicKeyPem: string;
  apiV3Key: string;
  requests: RecordedPayRequest[];
  script: Map<string, PayScript>;
  /** The prepay ids handed out, by out_trade_no. */
  prepayIds: Map<string, string>;
  /** A WeChatPayConfig for HttpWeChatPay pointing at this server. */
  config(overrides?: Partial<WeChatPayConfig>): WeChatPayConfig;
  close(): Promise<void>;
}

const privatePem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

/**
 * A stand-in for api.mch.weixin.qq.com on 127.0.0.1 answering `POST /v3/pay/transactions/jsapi`
 * like WeChat Pay: it checks the merchant's Authorization (scheme, mchid, serial_no, a timestamp
 * within 5 minutes of `now()`, and the SHA256withRSA signature with the merchant public key over
 * "POST\n<path?query>\n<timestamp>\n<nonce>\n<body>\n") and answers 401 `{code: 'SIGN_ERROR'}`
 * when any of that fails; checks the body (appid, mchid, description, out_trade_no, notify_url,
 * time_expire, amount, payer) and answers 400 `{code: 'PARAM_ERROR'}` for a bad one; otherwise
 * answers the script for the out_trade_no, or 200 `{prepay_id}` signed with the platform key.
 */
export async function startFakeWeChatPayServer(options: { now?: () => Date } = {}): Promise<FakeWeChatPayServer> {
  const now = options.now ?? (() => new Date());
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const impostor = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const appId = 'wx1234567890abcdef';
  const mchId = '1900009191';
  const merchantSerialNo = randomBytes(20).toString('hex').toUpperCase();
  const platformSerialNo = 'PUB_KEY_ID_0119000091912025010100000000000001';
  const apiV3Key = randomBytes(16).toString('hex');
  const merchantPublicKeyPem = publicPem(merchant.publicKey);
  const requests: RecordedPayRequest[] = [];
  const script = new Map<string, PayScript>();
  const prepayIds = new Map<string, string>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const url = req.url ?? '/';
      let body: Record<string, unknown> | null = null;
      try {
        const parsed: unknown = JSON.parse(rawBody);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
      } catch {
        body = null;
      }
      const authorization = parseAuthorization(req.headers.authorization);
      const signatureValid =
        authorization !== null &&
        verifySignature(
          requestSignatureMessage(req.method ?? '', url, authorization.timestamp, authorization.nonce_str, rawBody),
          authorization.signature,
          merchantPublicKeyPem,
        );
      requests.push({ method: req.method ?? '', url, headers: req.headers, rawBody, body, authorization, signatureValid });

      const send = (status: number, answer: unknown, signer: 'platform' | 'impostor' | 'none' | 'wrong-serial' = 'none') => {
        const text = JSON.stringify(answer);
        const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Request-ID': `req-${requests.length}` };
        if (signer !== 'none') {
          const signed = signAsWeChatPay(text, {
            platformPrivateKey: signer === 'impostor' ? impostor.privateKey : platform.privateKey,
            platformSerialNo: signer === 'wrong-serial' ? 'PUB_KEY_ID_SOMEBODY_ELSE' : platformSerialNo,
          }, now());
          Object.assign(headers, signed.headers);
        }
        res.writeHead(status, headers);
        res.end(text);
      };

      if (req.method !== 'POST' || url !== '/v3/pay/transactions/jsapi') return send(404, { code: 'NOT_FOUND', message: 'no such API' });
      const signError = (message: string) => send(401, { code: 'SIGN_ERROR', message });
      if (!authorization) return signError('Authorization is missing or not WECHATPAY2-SHA256-RSA2048');
      if (authorization.mchid !== mchId) return signError('mchid in Authorization is not this merchant');
      if (authorization.serial_no !== merchantSerialNo) return signError('serial_no is not a certificate of this merchant');
      if (Math.abs(Math.floor(now().getTime() / 1000) - Number(authorization.timestamp)) > 300) return signError('timestamp expired');
      if (!signatureValid) return signError('signature does not verify');
      if (req.headers['content-type'] !== 'application/json' || req.headers.accept !== 'application/json') {
        return send(400, { code: 'PARAM_ERROR', message: 'Content-Type and Accept must be application/json' });
      }

      const problem = bodyProblem(body, { appId, mchId });
      if (problem) return send(400, { code: 'PARAM_ERROR', message: problem });
      const outTradeNo = (body as { out_trade_no: string }).out_trade_no;
      const scripted = script.get(outTradeNo);
      const prepayId = prepayIds.get(outTradeNo) ?? `wx${Date.now()}${randomBytes(8).toString('hex')}`;
      prepayIds.set(outTradeNo, prepayId);
      if (scripted === undefined) return send(200, { prepay_id: prepayId }, 'platform');
      if (scripted === 'slow') {
        setTimeout(() => send(200, { prepay_id: prepayId }, 'platform'), 2000).unref();
        return;
      }
      if (scripted === 'forged') return send(200, { prepay_id: prepayId }, 'impostor');
      if (scripted === 'unsigned') return send(200, { prepay_id: prepayId }, 'none');
      if (scripted === 'wrong-serial') return send(200, { prepay_id: prepayId }, 'wrong-serial');
      if (scripted === 'no-prepay-id') return send(200, { code: 'OK' }, 'platform');
      if (scripted === 'html') {
        res.writeHead(502, { 'Content-Type': 'text/html' });
        res.end('<html>bad gateway</html>');
        return;
      }
      send(scripted.status, { code: scripted.code, message: scripted.message }, 'platform');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const merchantPrivateKeyPem = privatePem(merchant.privateKey);
  const platformPublicKeyPem = publicPem(platform.publicKey);
  return {
    baseUrl,
    appId,
    mchId,
    merchantSerialNo,
    platformSerialNo,
    merchantPrivateKeyPem,
    merchantPublicKeyPem,
    platformPrivateKey: platform.privateKey,
    platformPublicKeyPem,
    apiV3Key,
    requests,
    script,
    prepayIds,
    config: (overrides = {}) => ({
      appId,
      mchId,
      merchantSerialNo,
      merchantPrivateKeyPem,
      platformPublicKeyPem,
      platformSerialNo,
      apiV3Key,
      notifyUrl: 'https://checkin.example.com/api/v1/pay/wechat/notify',
      apiBase: baseUrl,
      timeoutMs: 300,
      ...overrides,
    }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What WeChat Pay's PARAM_ERROR would say about a jsapi body, or null when it is acceptable. */
function bodyProblem(body: Record<string, unknown> | null, merchant: { appId: string; mchId: string }): string | null {
  if (!body) return 'the body is not a JSON object';
  if (body.appid !== merchant.appId) return 'appid is not bound to this mchid';
  if (body.mchid !== merchant.mchId) return 'mchid does not match the Authorization';
  if (typeof body.description !== 'string' || body.description === '' || Array.from(body.description).length > 127) return 'description must have 1-127 characters';
  if (typeof body.out_trade_no !== 'string' || !/^[0-9A-Za-z_\-|*]{6,32}$/.test(body.out_trade_no)) return 'out_trade_no is malformed';
  if (typeof body.notify_url !== 'string' || !body.notify_url.startsWith('https://') || body.notify_url.includes('?')) return 'notify_url must be https without a query';
  if (body.time_expire !== undefined && (typeof body.time_expire !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)$/.test(body.time_expire))) {
    return 'time_expire must be RFC 3339';
  }
  const { amount, payer } = body;
  if (!isObject(amount) || !Number.isSafeInteger(amount.total) || (amount.total as number) < 1 || amount.currency !== 'CNY') return 'amount must be {total >= 1 fen, currency: CNY}';
  if (!isObject(payer) || typeof payer.openid !== 'string' || payer.openid === '') return 'payer.openid is required';
  const known = new Set(['appid', 'mchid', 'description', 'out_trade_no', 'time_expire', 'notify_url', 'amount', 'payer']);
  const unknown = Object.keys(body).filter((key) => !known.has(key));
  if (unknown.length > 0) return `unexpected fields: ${unknown.join(', ')}`;
  return null;
}
