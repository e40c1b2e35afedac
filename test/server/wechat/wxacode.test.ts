import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { SettableClock } from '../../../server/src/platform/clock/clock';
import { createLogger } from '../../../server/src/platform/logger';
import { StableAccessTokenProvider } from '../../../server/src/platform/wechat/access-token';
import { FakeWxaCodeClient, HttpWxaCodeClient, isValidScene, type WxaCodeEnv } from '../../../server/src/platform/wechat/wxacode';
import { startFakeWeChatServer, type FakeWeChatServer } from '../support/fake-wechat-server';

let wechat: FakeWeChatServer;
const logger = createLogger('silent');
const PAGE = 'pages/cohort/index';
// Drawing a QR PNG takes about a second inside jest (some 40 times longer than outside it).
jest.setTimeout(30_000);

beforeAll(async () => {
  wechat = await startFakeWeChatServer();
});
afterAll(() => wechat.close());
beforeEach(() => {
  const p = wechat.platform;
  p.wxaCodeRequests.length = 0;
  p.stableTokenRequests.length = 0;
  p.wxaCodeScript.clear();
  p.rejectEveryToken = false;
  p.rotateToken();
});

function client(envVersion: WxaCodeEnv = 'release', timeoutMs = 5000) {
  const tokens = new StableAccessTokenProvider({
    apiBase: wechat.baseUrl, appId: wechat.appId, secret: wechat.secret, timeoutMs, clock: new SettableClock(), logger,
  });
  return new HttpWxaCodeClient({ apiBase: wechat.baseUrl, timeoutMs, tokens, logger, envVersion });
}

/** What a phone's scanner reads from the PNG. */
function scan(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null;
}

describe('HttpWxaCodeClient against getwxacodeunlimit', () => {
  it('posts scene, page, width, check_path and env_version with the cached access_token, and returns the PNG', async () => {
    const code = client('release');
    const image = await code.unlimited({ scene: 'i=Ab3dEf9H', page: PAGE });
    expect(image.contentType).toBe('image/png');
    expect(scan(image.bytes)).toBe(`${PAGE}?scene=i=Ab3dEf9H`);
    const [sent] = wechat.platform.wxaCodeRequests;
    expect(sent.body).toEqual({ scene: 'i=Ab3dEf9H', page: PAGE, width: 430, check_path: true, env_version: 'release' });
    expect(sent.query.get('access_token')).toBe(wechat.platform.currentToken);

    await code.unlimited({ scene: 'i=Zz', page: PAGE, width: 280 });
    expect(wechat.platform.stableTokenRequests).toHaveLength(1);
  });

  it('does not ask WeChat to check the path of a trial or develop code (those pages are not released)', async () => {
    await client('develop').unlimited({ scene: 'i=dev1', page: 'pages/new-page/index' });
    expect(wechat.platform.wxaCodeRequests[0].body).toMatchObject({ check_path: false, env_version: 'develop' });
  });

  it.each([
    [45009, 429, 'WXACODE_RATE_LIMITED'],
    [-1, 503, 'WECHAT_UNAVAILABLE'],
    [40097, 502, 'WXACODE_REFUSED'],
    [85096, 502, 'WXACODE_REFUSED'],
  ])('maps the JSON error body errcode %i to %i %s', async (errcode, status, code) => {
    wechat.platform.wxaCodeScript.set('i=err', errcode);
    await expect(client().unlimited({ scene: 'i=err', page: PAGE })).rejects.toMatchObject({ status, code });
  });

  it('says which page WeChat refused (41030: not in the released Mini Program)', async () => {
    const failure = await client('release').unlimited({ scene: 'i=p1', page: 'pages/unreleased/index' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 502, code: 'WXACODE_PAGE_INVALID', details: { page: 'pages/unreleased/index' } });
    expect((failure as Error).message).toMatch(/pages\/unreleased\/index.*WECHAT_WXACODE_ENV/);
  });

  it('on 40001 (stale token) fetches a fresh token once and retries once', async () => {
    const code = client();
    await code.unlimited({ scene: 'i=warm', page: PAGE });
    const stale = wechat.platform.currentToken;
    const fresh = wechat.platform.rotateToken();
    await expect(code.unlimited({ scene: 'i=again', page: PAGE })).resolves.toMatchObject({ contentType: 'image/png' });
    expect(wechat.platform.wxaCodeRequests.map((r) => r.query.get('access_token'))).toEqual([stale, stale, fresh]);
  });

  it('retries only once: a token refused again is 502 WXACODE_REFUSED, never a 500', async () => {
    wechat.platform.rejectEveryToken = true;
    await expect(client().unlimited({ scene: 'i=x', page: PAGE })).rejects.toMatchObject({ status: 502, code: 'WXACODE_REFUSED', details: { errcode: 40001 } });
    expect(wechat.platform.wxaCodeRequests).toHaveLength(2);
  });

  it.each([
    ['a gateway page (text/html)', 'html'],
    ['image/jpeg bytes that are no image', 'not-an-image'],
  ] as const)('answers 503 WECHAT_UNAVAILABLE for %s', async (_what, script) => {
    wechat.platform.wxaCodeScript.set('i=odd', script);
    await expect(client().unlimited({ scene: 'i=odd', page: PAGE })).rejects.toMatchObject({ status: 503, code: 'WECHAT_UNAVAILABLE' });
  });

  it('gives up after timeoutMs with 503 WECHAT_UNAVAILABLE', async () => {
    wechat.platform.wxaCodeScript.set('i=slow', 'slow');
    const started = Date.now();
    await expect(client('release', 500).unlimited({ scene: 'i=slow', page: PAGE })).rejects.toMatchObject({ status: 503, code: 'WECHAT_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('never sends a scene WeChat would refuse: over 32 characters or outside its characters is a bug, caught before the call', async () => {
    await expect(client().unlimited({ scene: 'i='.padEnd(33, 'x'), page: PAGE })).rejects.toThrow(/invalid scene/);
    await expect(client().unlimited({ scene: 'i=中文', page: PAGE })).rejects.toThrow(/invalid scene/);
    expect(wechat.platform.wxaCodeRequests).toHaveLength(0);
  });
});

describe('isValidScene', () => {
  it.each([
    ['i=Ab3dEf9H', true],
    ['x'.repeat(32), true],
    ["!#$&'()*+,/:;=?@-._~", true],
    ['x'.repeat(33), false],
    ['', false],
    ['a b', false],
    ['50%', false],
  ])('%j -> %s', (scene, valid) => expect(isValidScene(scene)).toBe(valid));
});

describe('FakeWxaCodeClient', () => {
  it('draws a real, scannable QR code holding the page and the scene', async () => {
    const fake = new FakeWxaCodeClient('develop');
    const image = await fake.unlimited({ scene: 'i=Q7w8E9r0', page: PAGE, width: 300 });
    expect(image.contentType).toBe('image/png');
    expect(PNG.sync.read(image.bytes).width).toBe(300);
    expect(scan(image.bytes)).toBe(`fake-wxacode:${PAGE}?scene=i=Q7w8E9r0&env_version=develop`);
    expect(fake.made).toEqual([{ scene: 'i=Q7w8E9r0', page: PAGE, width: 300 }]);
  });
});
