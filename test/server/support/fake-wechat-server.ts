import http from 'node:http';
import type { AddressInfo } from 'node:net';
import QRCode from 'qrcode';

export interface FakeWeChatServer {
  baseUrl: string;
  appId: string;
  secret: string;
  /** Every request the server received, for assertions. */
  requests: URL[];
  /** access_token (stable_token) and content security (msg_sec_check) behaviour and records. */
  platform: FakeWeChatPlatform;
  close(): Promise<void>;
}

/** A POST the fake received on one of the access_token paths, with its parsed JSON body. */
export interface RecordedPost {
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

export interface FakeWeChatPlatform {
  /** The token stable_token hands out now (normal mode: the same one until it is rotated). */
  currentToken: string;
  /** Issues a new current token; the old one is answered 40001 from then on. */
  rotateToken(): string;
  /** `expires_in` of stable_token answers (default 7200). */
  expiresIn: number;
  /** Delay before answering stable_token, in ms (default 0). */
  stableTokenDelayMs: number;
  /** When set, stable_token answers this errcode instead of a token. */
  stableTokenErrcode: number | null;
  /** When true, msg_sec_check (and subscribe/send) answer 40001 whatever the token. */
  rejectEveryToken: boolean;
  stableTokenRequests: RecordedPost[];
  msgSecCheckRequests: RecordedPost[];
  /** Every POST to /cgi-bin/message/subscribe/send, accepted or not. */
  subscribeSendRequests: RecordedPost[];
  /** The subscription messages subscribe/send accepted (errcode 0), body as sent. */
  subscribeMessagesSent: Record<string, unknown>[];
  /**
   * Scripted subscribe/send answers by openid (touser): an errcode (43101 no consent left, 47003
   * bad field, …) or `slow` (answers errcode 0 after 2 s). Others are accepted.
   */
  subscribeScript: Map<string, number | 'slow'>;
  /** Every POST to /wxa/getwxacodeunlimit, answered or not. */
  wxaCodeRequests: RecordedPost[];
  /**
   * Scripted getwxacodeunlimit answers by scene: an errcode (45009 limit, 41030 page not released,
   * -1 busy, …, sent as a JSON body like WeChat does), `slow` (the image after 2 s), `html` (a
   * gateway page) or `not-an-image` (image/jpeg whose bytes are not one). Others get a PNG code.
   */
  wxaCodeScript: Map<string, number | 'slow' | 'html' | 'not-an-image'>;
}

/**
 * A stand-in for api.weixin.qq.com on 127.0.0.1 that answers jscode2session the way WeChat does:
 * HTTP 200 with either `{openid, session_key}` or `{errcode, errmsg}`. The js_code picks the answer:
 * `ok:<openid>`, `used`, `invalid`, `busy`, `limited`, `risky`, `slow` (answers after 2 s), `html`.
 *
 * It also answers `POST /cgi-bin/stable_token` (normal mode: the current token until rotateToken)
 * and `POST /wxa/msg_sec_check?access_token=` (40001 for any other token; the content picks the
 * verdict: containing `[risky]` → risky/20001, `[review]` → review/21000, `[slow]` → answers after
 * 2 s, `[busy]` → errcode -1, `[html]` → not JSON; anything else → pass/100).
 *
 * And `POST /cgi-bin/message/subscribe/send?access_token=` (40001 for any other token; 47001 for
 * a body without touser/template_id/data or a bad miniprogram_state; 47003 for a keyword value
 * that is not a string or is longer than WeChat allows (thing 20, phrase 5, name 10/20,
 * character_string 32, in code points); else the answer scripted for the openid, or errcode 0).
 */
export async function startFakeWeChatServer(): Promise<FakeWeChatServer> {
  const appId = 'wx1234567890abcdef';
  const secret = 'test-secret-0123456789abcdef';
  const requests: URL[] = [];
  let tokenSerial = 0;
  const newToken = () => `fake-access-token-${++tokenSerial}-${Math.random().toString(36).slice(2, 10)}`;
  const platform: FakeWeChatPlatform = {
    currentToken: newToken(),
    rotateToken() {
      platform.currentToken = newToken();
      return platform.currentToken;
    },
    expiresIn: 7200,
    stableTokenDelayMs: 0,
    stableTokenErrcode: null,
    rejectEveryToken: false,
    stableTokenRequests: [],
    msgSecCheckRequests: [],
    subscribeSendRequests: [],
    subscribeMessagesSent: [],
    subscribeScript: new Map(),
    wxaCodeRequests: [],
    wxaCodeScript: new Map(),
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    const reply = (body: unknown) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/cgi-bin/stable_token' || url.pathname === '/wxa/msg_sec_check' || url.pathname === SUBSCRIBE_SEND_PATH || url.pathname === WXACODE_PATH) {
      readJson(req).then(
        (body) => answerPlatform(platform, { appId, secret }, url, body, res, reply),
        () => reply({ errcode: 47001, errmsg: 'data format error' }),
      );
      return;
    }
    if (url.pathname !== '/sns/jscode2session') {
      res.writeHead(404).end();
      return;
    }
    if (url.searchParams.get('appid') !== appId || url.searchParams.get('secret') !== secret) {
      reply({ errcode: 40125, errmsg: 'invalid appsecret' });
      return;
    }
    if (url.searchParams.get('grant_type') !== 'authorization_code') {
      reply({ errcode: 40002, errmsg: 'invalid grant_type' });
      return;
    }
    const code = url.searchParams.get('js_code') ?? '';
    if (code.startsWith('ok:')) {
      const openid = code.slice(3);
      reply({ openid, session_key: Buffer.from(`sk-${openid}`.padEnd(16, '.').slice(0, 16)).toString('base64'), unionid: `u-${openid}` });
    } else if (code === 'used') reply({ errcode: 40163, errmsg: 'code been used' });
    else if (code === 'busy') reply({ errcode: -1, errmsg: 'system error' });
    else if (code === 'limited') reply({ errcode: 45011, errmsg: 'api minute-quota reach limit' });
    else if (code === 'risky') reply({ errcode: 40226, errmsg: 'invalid user' });
    else if (code === 'slow') setTimeout(() => reply({ errcode: -1, errmsg: 'too late' }), 2000).unref();
    else if (code === 'html') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>gateway</html>');
    } else reply({ errcode: 40029, errmsg: 'invalid code' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    appId,
    secret,
    requests,
    platform,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', reject);
    req.on('end', () => {
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) resolve(parsed as Record<string, unknown>);
        else reject(new Error('not a JSON object'));
      } catch (error) {
        reject(error);
      }
    });
  });
}

function answerPlatform(
  platform: FakeWeChatPlatform,
  credentials: { appId: string; secret: string },
  url: URL,
  body: Record<string, unknown>,
  res: http.ServerResponse,
  reply: (body: unknown) => void,
): void {
  const recorded: RecordedPost = { path: url.pathname, query: url.searchParams, body };
  if (url.pathname === '/cgi-bin/stable_token') {
    platform.stableTokenRequests.push(recorded);
    const answer = () => {
      if (body.appid !== credentials.appId || body.secret !== credentials.secret) return reply({ errcode: 40125, errmsg: 'invalid appsecret' });
      if (body.grant_type !== 'client_credential') return reply({ errcode: 40002, errmsg: 'invalid grant_type' });
      if (platform.stableTokenErrcode !== null) return reply({ errcode: platform.stableTokenErrcode, errmsg: 'refused by the fake' });
      reply({ access_token: platform.currentToken, expires_in: platform.expiresIn });
    };
    if (platform.stableTokenDelayMs > 0) setTimeout(answer, platform.stableTokenDelayMs).unref();
    else answer();
    return;
  }

  if (url.pathname === SUBSCRIBE_SEND_PATH) return answerSubscribeSend(platform, recorded, reply);
  if (url.pathname === WXACODE_PATH) return answerWxaCode(platform, recorded, res);

  platform.msgSecCheckRequests.push(recorded);
  if (platform.rejectEveryToken || url.searchParams.get('access_token') !== platform.currentToken) {
    return reply({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
  }
  if (body.version !== 2 || body.scene !== 2 || typeof body.openid !== 'string' || body.openid === '') {
    return reply({ errcode: 47001, errmsg: 'data format error' });
  }
  const content = typeof body.content === 'string' ? body.content : '';
  if (content === '') return reply({ errcode: 44002, errmsg: 'empty post data' });
  const verdict = (suggest: string, label: number) =>
    reply({ errcode: 0, errmsg: 'ok', result: { suggest, label }, detail: [], trace_id: `trace-${platform.msgSecCheckRequests.length}` });
  if (content.includes('[slow]')) setTimeout(() => verdict('pass', 100), 2000).unref();
  else if (content.includes('[busy]')) reply({ errcode: -1, errmsg: 'system error' });
  else if (content.includes('[html]')) {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<html>gateway</html>');
  } else if (content.includes('[risky]')) verdict('risky', 20001);
  else if (content.includes('[review]')) verdict('review', 21000);
  else verdict('pass', 100);
}

const SUBSCRIBE_SEND_PATH = '/cgi-bin/message/subscribe/send';

/** WeChat's documented keyword limits (code points); a `name` of only ASCII may have 20. */
const subscribeKeywordLimits: Record<string, number> = { thing: 20, phrase: 5, name: 10, character_string: 32 };

function answerSubscribeSend(platform: FakeWeChatPlatform, recorded: RecordedPost, reply: (body: unknown) => void): void {
  platform.subscribeSendRequests.push(recorded);
  const { body } = recorded;
  if (platform.rejectEveryToken || recorded.query.get('access_token') !== platform.currentToken) {
    return reply({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
  }
  const data = body.data;
  if (
    typeof body.touser !== 'string' ||
    body.touser === '' ||
    typeof body.template_id !== 'string' ||
    body.template_id === '' ||
    !data ||
    typeof data !== 'object' ||
    Array.isArray(data) ||
    !['formal', 'trial', 'developer'].includes(body.miniprogram_state as string)
  ) {
    return reply({ errcode: 47001, errmsg: 'data format error' });
  }
  for (const [key, field] of Object.entries(data as Record<string, unknown>)) {
    const value = field && typeof field === 'object' ? (field as { value?: unknown }).value : undefined;
    if (typeof value !== 'string') return reply({ errcode: 47003, errmsg: `argument invalid! data.${key}.value empty` });
    const type = /^([a-z_]+?)\d+$/.exec(key)?.[1] ?? '';
    const limit = type === 'name' && /^[\x20-\x7e]*$/.test(value) ? 20 : subscribeKeywordLimits[type];
    if (limit !== undefined && Array.from(value).length > limit) {
      return reply({ errcode: 47003, errmsg: `argument invalid! data.${key}.value exceeds limit` });
    }
  }
  const scripted = platform.subscribeScript.get(body.touser);
  const accept = () => {
    platform.subscribeMessagesSent.push(body);
    reply({ errcode: 0, errmsg: 'ok', msgid: 1000 + platform.subscribeMessagesSent.length });
  };
  if (scripted === 'slow') setTimeout(accept, 2000).unref();
  else if (scripted === 43101) reply({ errcode: 43101, errmsg: 'user refuse to accept the msg' });
  else if (scripted === 47003) reply({ errcode: 47003, errmsg: 'argument invalid! data.thing1.value invalid' });
  else if (scripted !== undefined) reply({ errcode: scripted, errmsg: 'scripted by the test' });
  else accept();
}

const WXACODE_PATH = '/wxa/getwxacodeunlimit';

/**
 * Like WeChat: the image (HTTP 200, image/png) on success; on failure HTTP 200 with a JSON body
 * (`application/json; encoding=utf-8`). 40001 for any token but the current one, 40169 for a scene
 * WeChat would refuse (over 32 characters or outside its characters), 40097 for a width outside
 * 280-1280.
 */
function answerWxaCode(platform: FakeWeChatPlatform, recorded: RecordedPost, res: http.ServerResponse): void {
  platform.wxaCodeRequests.push(recorded);
  const { body } = recorded;
  const fail = (errcode: number, errmsg: string) => {
    res.writeHead(200, { 'Content-Type': 'application/json; encoding=utf-8' });
    res.end(JSON.stringify({ errcode, errmsg }));
  };
  if (platform.rejectEveryToken || recorded.query.get('access_token') !== platform.currentToken) {
    return fail(40001, 'invalid credential, access_token is invalid or not latest');
  }
  const scene = body.scene;
  if (typeof scene !== 'string' || !/^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/.test(scene)) return fail(40169, 'invalid length for scene, or the data is not json string');
  const width = body.width ?? 430;
  if (typeof width !== 'number' || width < 280 || width > 1280) return fail(40097, 'invalid args');
  const scripted = platform.wxaCodeScript.get(scene);
  const image = () =>
    QRCode.toBuffer(`${String(body.page)}?scene=${scene}`, { type: 'png', width }).then((png) => {
      res.writeHead(200, { 'Content-Type': 'image/png' });
      res.end(png);
    });
  if (scripted === 'slow') setTimeout(() => void image(), 2000).unref();
  else if (scripted === 'html') {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<html>gateway</html>');
  } else if (scripted === 'not-an-image') {
    res.writeHead(200, { 'Content-Type': 'image/jpeg' });
    res.end('definitely not a jpeg');
  } else if (typeof scripted === 'number') fail(scripted, 'scripted by the test');
  else if (body.check_path === true && body.page !== 'pages/cohort/index') fail(41030, 'invalid page rid: 0');
  else void image();
}
