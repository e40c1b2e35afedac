import { SettableClock } from '../../../server/src/platform/clock/clock';
import { createLogger } from '../../../server/src/platform/logger';
import { StableAccessTokenProvider, type StableAccessTokenOptions } from '../../../server/src/platform/wechat/access-token';
import { startFakeWeChatServer, type FakeWeChatServer } from '../support/fake-wechat-server';

let wechat: FakeWeChatServer;
let clock: SettableClock;
const start = new Date('2026-11-03T08:00:00Z');

beforeAll(async () => {
  wechat = await startFakeWeChatServer();
});
afterAll(() => wechat.close());
beforeEach(() => {
  clock = new SettableClock();
  clock.set(start);
  const p = wechat.platform;
  p.stableTokenRequests.length = 0;
  p.expiresIn = 7200;
  p.stableTokenDelayMs = 0;
  p.stableTokenErrcode = null;
  p.rotateToken();
});

const provider = (overrides: Partial<StableAccessTokenOptions> = {}) =>
  new StableAccessTokenProvider({
    apiBase: wechat.baseUrl,
    appId: wechat.appId,
    secret: wechat.secret,
    timeoutMs: 300,
    clock,
    logger: createLogger('silent'),
    ...overrides,
  });

const at = (secondsAfterStart: number) => new Date(start.getTime() + secondsAfterStart * 1000);

describe('StableAccessTokenProvider', () => {
  it('POSTs grant_type, appid and secret as JSON to /cgi-bin/stable_token and returns the token', async () => {
    const tokens = provider();
    await expect(tokens.getToken()).resolves.toBe(wechat.platform.currentToken);
    expect(wechat.platform.stableTokenRequests).toHaveLength(1);
    expect(wechat.platform.stableTokenRequests[0].body).toEqual({
      grant_type: 'client_credential',
      appid: wechat.appId,
      secret: wechat.secret,
    });
  });

  it('caches the token: many calls, one request', async () => {
    const tokens = provider();
    const first = await tokens.getToken();
    for (let i = 0; i < 20; i++) expect(await tokens.getToken()).toBe(first);
    expect(wechat.platform.stableTokenRequests).toHaveLength(1);
  });

  it('makes ONE request for 10 concurrent calls on an empty cache (single flight)', async () => {
    wechat.platform.stableTokenDelayMs = 100;
    const tokens = provider();
    const answers = await Promise.all(Array.from({ length: 10 }, () => tokens.getToken()));
    expect(new Set(answers)).toEqual(new Set([wechat.platform.currentToken]));
    expect(wechat.platform.stableTokenRequests).toHaveLength(1);
  });

  it('refreshes 5 minutes before expiry by the injected clock, not before', async () => {
    const tokens = provider();
    const first = await tokens.getToken();

    clock.set(at(7200 - 300 - 1)); // 5 min 1 s before expiry: still cached
    expect(await tokens.getToken()).toBe(first);
    expect(wechat.platform.stableTokenRequests).toHaveLength(1);

    const second = wechat.platform.rotateToken();
    clock.set(at(7200 - 300)); // exactly 5 minutes before expiry: refresh
    expect(await tokens.getToken()).toBe(second);
    expect(wechat.platform.stableTokenRequests).toHaveLength(2);

    clock.set(at(7200 + 60)); // the new token was fetched at 6900 s, so it is good until 6900 + 6900
    expect(await tokens.getToken()).toBe(second);
    expect(wechat.platform.stableTokenRequests).toHaveLength(2);
  });

  it('single-flights the refresh too', async () => {
    const tokens = provider();
    await tokens.getToken();
    wechat.platform.stableTokenDelayMs = 100;
    const second = wechat.platform.rotateToken();
    clock.set(at(7000));
    const answers = await Promise.all(Array.from({ length: 10 }, () => tokens.getToken()));
    expect(new Set(answers)).toEqual(new Set([second]));
    expect(wechat.platform.stableTokenRequests).toHaveLength(2);
  });

  it('invalidate(token) drops the cached token only when it is still that token', async () => {
    const tokens = provider();
    const first = await tokens.getToken();
    const second = wechat.platform.rotateToken();

    tokens.invalidate('some-older-token');
    expect(await tokens.getToken()).toBe(first);
    expect(wechat.platform.stableTokenRequests).toHaveLength(1);

    tokens.invalidate(first);
    expect(await tokens.getToken()).toBe(second);
    expect(wechat.platform.stableTokenRequests).toHaveLength(2);

    tokens.invalidate(first); // a late caller reporting the same stale token does not cost another request
    expect(await tokens.getToken()).toBe(second);
    expect(wechat.platform.stableTokenRequests).toHaveLength(2);
  });

  it('keeps using a still-valid cached token when the early refresh fails, then fails once it has expired', async () => {
    const tokens = provider();
    const first = await tokens.getToken();
    wechat.platform.stableTokenErrcode = -1;

    clock.set(at(7200 - 120)); // inside the refresh window, not expired
    expect(await tokens.getToken()).toBe(first);
    expect(wechat.platform.stableTokenRequests).toHaveLength(2);

    clock.set(at(7200 - 120 + 29)); // does not retry on every call
    expect(await tokens.getToken()).toBe(first);
    expect(wechat.platform.stableTokenRequests).toHaveLength(2);

    clock.set(at(7200 - 120 + 30)); // but does after 30 s
    expect(await tokens.getToken()).toBe(first);
    expect(wechat.platform.stableTokenRequests).toHaveLength(3);

    clock.set(at(7200)); // expired
    await expect(tokens.getToken()).rejects.toMatchObject({ status: 503, code: 'WECHAT_UNAVAILABLE' });
  });

  const failures: Array<[string, () => void, Partial<StableAccessTokenOptions>]> = [
    ['an errcode (WeChat busy)', () => (wechat.platform.stableTokenErrcode = -1), {}],
    ['a wrong secret (40125)', () => undefined, { secret: 'wrong-secret' }],
    ['an answer without expires_in', () => (wechat.platform.expiresIn = 0), {}],
  ];
  it.each(failures)('answers 503 WECHAT_UNAVAILABLE for %s and caches nothing', async (_what, arrange, overrides) => {
    arrange();
    const tokens = provider(overrides);
    await expect(tokens.getToken()).rejects.toMatchObject({ status: 503, code: 'WECHAT_UNAVAILABLE' });
    await expect(tokens.getToken()).rejects.toMatchObject({ code: 'WECHAT_UNAVAILABLE' });
    expect(wechat.platform.stableTokenRequests).toHaveLength(2);
  });

  it('gives up after timeoutMs with 503 WECHAT_UNAVAILABLE', async () => {
    wechat.platform.stableTokenDelayMs = 2000;
    const started = Date.now();
    await expect(provider().getToken()).rejects.toMatchObject({ status: 503, code: 'WECHAT_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('answers 503 when WeChat cannot be reached', async () => {
    await expect(provider({ apiBase: 'http://127.0.0.1:9' }).getToken()).rejects.toMatchObject({ status: 503, code: 'WECHAT_UNAVAILABLE' });
  });

  it('recovers after a failure: the next call tries again', async () => {
    wechat.platform.stableTokenErrcode = -1;
    const tokens = provider();
    await expect(tokens.getToken()).rejects.toMatchObject({ code: 'WECHAT_UNAVAILABLE' });
    wechat.platform.stableTokenErrcode = null;
    await expect(tokens.getToken()).resolves.toBe(wechat.platform.currentToken);
  });
});
