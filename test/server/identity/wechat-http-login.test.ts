import { loadConfig } from '../../../server/src/config';
import { Member } from '../../../server/src/modules/identity/member.entity';
import { createLogger } from '../../../server/src/platform/logger';
import { HttpWeChatAuth } from '../../../server/src/platform/wechat/http-wechat-auth';
import { startFakeWeChatServer, type FakeWeChatServer } from '../support/fake-wechat-server';
import { startTestApp, type TestApp } from '../support/test-app';

let wechat: FakeWeChatServer;
let t: TestApp;

beforeAll(async () => {
  wechat = await startFakeWeChatServer();
  const env = {
    WECHAT_MODE: 'real',
    WECHAT_APPID: wechat.appId,
    WECHAT_SECRET: wechat.secret,
    WECHAT_API_BASE: wechat.baseUrl,
    WECHAT_TIMEOUT_MS: '300',
  };
  // The same client main.ts builds in real mode, pointed at the fake server.
  const client = new HttpWeChatAuth({ ...loadConfig(env).wechat, logger: createLogger('silent') });
  t = await startTestApp({ env, wechat: { auth: client } });
});
afterAll(async () => {
  await t.close();
  await wechat.close();
});

const login = (code: string) => t.http.post('/api/v1/auth/wechat-login').send({ code });

describe('login through the real jscode2session client', () => {
  it('sends appid, secret, js_code and grant_type, and logs the member in', async () => {
    const answer = await login('ok:oWx_real_1').expect(200);
    expect(answer.body.member.roles).toEqual(['member']);
    const sent = wechat.requests.at(-1)!;
    expect(Object.fromEntries(sent.searchParams)).toEqual({
      appid: wechat.appId,
      secret: wechat.secret,
      js_code: 'ok:oWx_real_1',
      grant_type: 'authorization_code',
    });
    const member = await t.db.dataSource.manager.findOneByOrFail(Member, { openid: 'oWx_real_1' });
    expect(member.unionid).toBe('u-oWx_real_1');
    expect(member.sessionKey).toBe(Buffer.from('sk-oWx_real_1...').toString('base64'));
  });

  it.each([
    ['invalid', 401, 'WECHAT_CODE_INVALID'],
    ['used', 401, 'WECHAT_CODE_INVALID'],
    ['limited', 429, 'WECHAT_RATE_LIMITED'],
    ['risky', 403, 'WECHAT_USER_BLOCKED'],
    ['busy', 503, 'WECHAT_UNAVAILABLE'],
    ['html', 503, 'WECHAT_UNAVAILABLE'],
  ])('maps WeChat answer "%s" to %i %s and creates no member', async (code, status, errorCode) => {
    const before = await t.db.dataSource.manager.count(Member);
    const answer = await login(code).expect(status);
    expect(answer.body.error.code).toBe(errorCode);
    expect(await t.db.dataSource.manager.count(Member)).toBe(before);
  });

  it('gives up after WECHAT_TIMEOUT_MS with 503 WECHAT_UNAVAILABLE instead of hanging', async () => {
    const started = Date.now();
    const answer = await login('slow').expect(503);
    expect(answer.body.error.code).toBe('WECHAT_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('answers 503 when WeChat cannot be reached at all', async () => {
    const unreachable = new HttpWeChatAuth({
      ...t.config.wechat,
      apiBase: 'http://127.0.0.1:9', // discard port: nothing listens
      logger: createLogger('silent'),
    });
    await expect(unreachable.codeToSession('ok:x')).rejects.toMatchObject({ status: 503, code: 'WECHAT_UNAVAILABLE' });
  });

  it('refuses fake codes in real mode', async () => {
    const answer = await login('fake:alice').expect(401);
    expect(answer.body.error.code).toBe('WECHAT_CODE_INVALID');
  });
});
