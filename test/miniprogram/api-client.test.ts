import { config } from '../../miniprogram/config';
import { ApiError, api } from '../../miniprogram/services/api';
import { FAKE_OPENID_KEY, TOKEN_KEY, login } from '../../miniprogram/services/auth';
import { NETWORK_DOWN, apiError, fakeServer, ok } from './helpers/fake-server';
import { storage } from './helpers/storage';

const member = { id: 3, nickname: '小红', avatarUrl: null, roles: ['member'] };
const expired = () => apiError(401, 'UNAUTHENTICATED', '登录已过期');

test('a 401 on a request with a stored token logs in again silently and retries the request once', async () => {
  storage.set(TOKEN_KEY, 'stale-token');
  const server = fakeServer({
    'GET /me': ({ authorization }) => (authorization === 'Bearer fresh-token' ? ok(member) : expired()),
    'POST /auth/wechat-login': () => ok({ token: 'fresh-token', member }),
  });

  await expect(api.me()).resolves.toEqual(member);

  expect(server.requests.map(({ method, path, authorization }) => [method, path, authorization])).toEqual([
    ['GET', '/me', 'Bearer stale-token'],
    ['POST', '/auth/wechat-login', undefined],
    ['GET', '/me', 'Bearer fresh-token'],
  ]);
  expect(storage.get(TOKEN_KEY)).toBe('fresh-token');
});

test('a request that is still refused after the silent login fails with the 401, without looping', async () => {
  storage.set(TOKEN_KEY, 'stale-token');
  const server = fakeServer({
    'GET /me': expired,
    'POST /auth/wechat-login': () => ok({ token: 'fresh-token', member }),
  });

  const error = await api.me().catch((caught: unknown) => caught);

  expect(error).toBeInstanceOf(ApiError);
  expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', message: '登录已过期' });
  expect(server.requests.map(({ path }) => path)).toEqual(['/me', '/auth/wechat-login', '/me']);
});

test('a 401 without a stored token is returned as is: there was no session to renew', async () => {
  const server = fakeServer({ 'GET /me': expired });

  await expect(api.me()).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  expect(server.requests).toHaveLength(1);
});

test('requests that hit a 401 together share one silent login', async () => {
  storage.set(TOKEN_KEY, 'stale-token');
  const server = fakeServer({
    'GET /me': ({ authorization }) => (authorization === 'Bearer fresh-token' ? ok(member) : expired()),
    'POST /auth/wechat-login': () => ok({ token: 'fresh-token', member }),
  });

  await expect(Promise.all([api.me(), api.me()])).resolves.toEqual([member, member]);
  expect(server.requests.filter(({ path }) => path === '/auth/wechat-login')).toHaveLength(1);
});

test("server errors become ApiError with the server's code and message", async () => {
  fakeServer({ 'POST /auth/wechat-login': () => apiError(429, 'WECHAT_RATE_LIMITED', '登录太频繁，请稍后再试') });

  const error = await login().catch((caught: unknown) => caught);

  expect(error).toBeInstanceOf(ApiError);
  expect(error).toMatchObject({ status: 429, code: 'WECHAT_RATE_LIMITED', message: '登录太频繁，请稍后再试' });
  expect(storage.has(TOKEN_KEY)).toBe(false);
});

test('a response that is not the error format still gives a readable ApiError', async () => {
  fakeServer({ 'GET /me': () => ({ status: 502, body: '<html>Bad Gateway</html>' }) });

  await expect(api.me()).rejects.toMatchObject({ status: 502, code: 'HTTP_502', message: expect.stringContaining('502') });
});

test('a network failure becomes NETWORK_ERROR with a message for people', async () => {
  fakeServer({ 'GET /me': () => NETWORK_DOWN });

  await expect(api.me()).rejects.toMatchObject({
    status: 0,
    code: 'NETWORK_ERROR',
    message: '网络连接失败，请检查网络后重试',
  });
});

test('fake login mode keeps one device openid across logins', async () => {
  const server = fakeServer({ 'POST /auth/wechat-login': () => ok({ token: 't', member }) });

  await login();
  await login();

  const openid = storage.get(FAKE_OPENID_KEY);
  expect(openid).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  expect(server.requests.map(({ body }) => body)).toEqual([{ code: `fake:${openid}` }, { code: `fake:${openid}` }]);
});

test('wechat login mode sends the code from wx.login', async () => {
  config.loginMode = 'wechat';
  Object.assign(wx, {
    login: jest.fn((options: WechatMiniprogram.LoginOption) => options.success?.({ code: 'wx-code-42', errMsg: 'login:ok' })),
  });
  const server = fakeServer({ 'POST /auth/wechat-login': () => ok({ token: 'wechat-token', member }) });

  await expect(login()).resolves.toEqual({ token: 'wechat-token', member });

  expect(server.requests).toEqual([
    { method: 'POST', path: '/auth/wechat-login', body: { code: 'wx-code-42' }, authorization: undefined },
  ]);
  expect(storage.get(TOKEN_KEY)).toBe('wechat-token');
  expect(storage.has(FAKE_OPENID_KEY)).toBe(false);
});
