import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeWeChatServer {
  baseUrl: string;
  appId: string;
  secret: string;
  /** Every request the server received, for assertions. */
  requests: URL[];
  close(): Promise<void>;
}

/**
 * A stand-in for api.weixin.qq.com on 127.0.0.1 that answers jscode2session the way WeChat does:
 * HTTP 200 with either `{openid, session_key}` or `{errcode, errmsg}`. The js_code picks the answer:
 * `ok:<openid>`, `used`, `invalid`, `busy`, `limited`, `risky`, `slow` (answers after 2 s), `html`.
 */
export async function startFakeWeChatServer(): Promise<FakeWeChatServer> {
  const appId = 'wx1234567890abcdef';
  const secret = 'test-secret-0123456789abcdef';
  const requests: URL[] = [];

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    const reply = (body: unknown) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
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
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
