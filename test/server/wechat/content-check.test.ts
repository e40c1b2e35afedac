import { SettableClock } from '../../../server/src/platform/clock/clock';
import { AppError } from '../../../server/src/platform/http/errors';
import { createLogger } from '../../../server/src/platform/logger';
import { StableAccessTokenProvider, type AccessTokenProvider } from '../../../server/src/platform/wechat/access-token';
import {
  contentRejected,
  FakeContentCheck,
  HttpContentCheck,
  MAX_CHARS_PER_CHECK,
  rejectRiskyText,
} from '../../../server/src/platform/wechat/content-check';
import { startFakeWeChatServer, type FakeWeChatServer } from '../support/fake-wechat-server';

let wechat: FakeWeChatServer;
let tokens: StableAccessTokenProvider;
let check: HttpContentCheck;
const openid = 'oWx_author_1';

beforeAll(async () => {
  wechat = await startFakeWeChatServer();
});
afterAll(() => wechat.close());
beforeEach(() => {
  const p = wechat.platform;
  p.stableTokenRequests.length = 0;
  p.msgSecCheckRequests.length = 0;
  p.stableTokenDelayMs = 0;
  p.stableTokenErrcode = null;
  p.rejectEveryToken = false;
  p.rotateToken();
  tokens = newTokens();
  check = newCheck(tokens);
});

const logger = createLogger('silent');
const newTokens = () =>
  new StableAccessTokenProvider({
    apiBase: wechat.baseUrl,
    appId: wechat.appId,
    secret: wechat.secret,
    timeoutMs: 300,
    clock: new SettableClock(),
    logger,
  });
const newCheck = (provider: AccessTokenProvider) => new HttpContentCheck({ apiBase: wechat.baseUrl, timeoutMs: 300, tokens: provider, logger });

describe('HttpContentCheck against msg_sec_check', () => {
  it('sends version 2, scene 2, the openid and the content, with the access_token in the query', async () => {
    await expect(check.checkText({ text: 'Day 3: read 20 pages', openid })).resolves.toEqual({ verdict: 'pass', label: 100 });
    const [sent] = wechat.platform.msgSecCheckRequests;
    expect(sent.body).toEqual({ version: 2, openid, scene: 2, content: 'Day 3: read 20 pages' });
    expect(sent.query.get('access_token')).toBe(wechat.platform.currentToken);
  });

  it.each([
    ['hello', 'pass', 100],
    ['buy now [review]', 'review', 21000],
    ['something [risky]', 'risky', 20001],
  ])('maps %j to %s (label %i)', async (text, verdict, label) => {
    await expect(check.checkText({ text, openid })).resolves.toEqual({ verdict, label });
  });

  it('fetches one token for many checks, including concurrent ones', async () => {
    wechat.platform.stableTokenDelayMs = 50;
    await Promise.all(Array.from({ length: 15 }, (_, i) => check.checkText({ text: `concurrent ${i}`, openid })));
    for (let i = 0; i < 5; i++) await check.checkText({ text: `sequential ${i}`, openid });
    expect(wechat.platform.stableTokenRequests).toHaveLength(1);
    expect(wechat.platform.msgSecCheckRequests).toHaveLength(20);
  });

  it('on 40001 (stale token) fetches a fresh token once and retries once', async () => {
    await check.checkText({ text: 'warm the cache', openid });
    const stale = wechat.platform.currentToken;
    const fresh = wechat.platform.rotateToken(); // WeChat now rejects the cached token

    await expect(check.checkText({ text: 'after rotation [review]', openid })).resolves.toEqual({ verdict: 'review', label: 21000 });
    expect(wechat.platform.stableTokenRequests).toHaveLength(2);
    expect(wechat.platform.msgSecCheckRequests.map((r) => r.query.get('access_token'))).toEqual([stale, stale, fresh]);

    await check.checkText({ text: 'and the fresh token is cached', openid });
    expect(wechat.platform.stableTokenRequests).toHaveLength(2);
  });

  it('concurrent checks that all hit 40001 share one refresh', async () => {
    await check.checkText({ text: 'warm the cache', openid });
    wechat.platform.rotateToken();
    wechat.platform.stableTokenDelayMs = 50;
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => check.checkText({ text: `after rotation ${i}`, openid })));
    expect(results.every((r) => r.verdict === 'pass')).toBe(true);
    expect(wechat.platform.stableTokenRequests).toHaveLength(2);
  });

  it('retries only once: a token still refused after the refresh is 503 CONTENT_CHECK_UNAVAILABLE', async () => {
    wechat.platform.rejectEveryToken = true;
    const failure = await check.checkText({ text: 'hello', openid }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ status: 503, code: 'CONTENT_CHECK_UNAVAILABLE' });
    expect((failure as AppError).message).toMatch(/try again/);
    expect(wechat.platform.msgSecCheckRequests).toHaveLength(2);
    expect(wechat.platform.stableTokenRequests).toHaveLength(2);
  });

  it.each([
    ['WeChat busy (-1)', 'hello [busy]'],
    ['an answer that is not JSON', 'hello [html]'],
  ])('answers 503 CONTENT_CHECK_UNAVAILABLE for %s', async (_what, text) => {
    await expect(check.checkText({ text, openid })).rejects.toMatchObject({ status: 503, code: 'CONTENT_CHECK_UNAVAILABLE' });
  });

  it('gives up after timeoutMs with 503 CONTENT_CHECK_UNAVAILABLE', async () => {
    const started = Date.now();
    await expect(check.checkText({ text: 'hello [slow]', openid })).rejects.toMatchObject({ status: 503, code: 'CONTENT_CHECK_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('answers 503 CONTENT_CHECK_UNAVAILABLE when no access_token can be had', async () => {
    wechat.platform.stableTokenErrcode = 40164; // IP not on the whitelist
    await expect(check.checkText({ text: 'hello', openid })).rejects.toMatchObject({ status: 503, code: 'CONTENT_CHECK_UNAVAILABLE' });
    expect(wechat.platform.msgSecCheckRequests).toHaveLength(0);
  });

  it('passes empty text without asking WeChat', async () => {
    await expect(check.checkText({ text: '  \n ', openid })).resolves.toEqual({ verdict: 'pass' });
    expect(wechat.platform.msgSecCheckRequests).toHaveLength(0);
  });

  it('checks text longer than 2500 characters in pieces, and the worst verdict wins', async () => {
    const text = `${'好'.repeat(MAX_CHARS_PER_CHECK)}tail [review]`;
    await expect(check.checkText({ text, openid })).resolves.toEqual({ verdict: 'review', label: 21000 });
    const sent = wechat.platform.msgSecCheckRequests.map((r) => r.body.content as string);
    expect(sent).toEqual(['好'.repeat(MAX_CHARS_PER_CHECK), 'tail [review]']);
  });
});

describe('FakeContentCheck', () => {
  const fake = new FakeContentCheck({ riskyWords: ['Scam', '赌博', ' '], reviewWords: ['wechat.me', 'scam'] });

  it.each([
    ['an honest check-in', 'pass'],
    ['visit WECHAT.ME for more', 'review'],
    ['this is a sCaM', 'risky'], // in both lists: risky wins
    ['网上赌博', 'risky'],
    ['', 'pass'],
  ])('%j is %s (case-insensitive substring match)', async (text, verdict) => {
    expect((await fake.checkText({ text, openid })).verdict).toBe(verdict);
  });

  it('passes everything with empty word lists (blank words are ignored)', async () => {
    const empty = new FakeContentCheck({ riskyWords: ['', '  '], reviewWords: [] });
    expect((await empty.checkText({ text: 'anything at all', openid })).verdict).toBe('pass');
  });
});

describe('route-layer helpers', () => {
  it('rejectRiskyText throws 400 CONTENT_REJECTED for risky and lets the other verdicts through', () => {
    expect(() => rejectRiskyText('risky')).toThrow(expect.objectContaining({ status: 400, code: 'CONTENT_REJECTED' }));
    expect(rejectRiskyText('pass')).toBe('pass');
    expect(rejectRiskyText('review')).toBe('review');
    expect(contentRejected().message).toMatch(/rephrase/);
  });
});
