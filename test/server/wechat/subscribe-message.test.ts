import pino from 'pino';
import { SettableClock } from '../../../server/src/platform/clock/clock';
import { createLogger } from '../../../server/src/platform/logger';
import { StableAccessTokenProvider, type AccessTokenProvider } from '../../../server/src/platform/wechat/access-token';
import {
  FakeSubscribeMessageSender,
  fitKeywordValue,
  HttpSubscribeMessageSender,
  keywordTypeOf,
  type SubscribeMessage,
} from '../../../server/src/platform/wechat/subscribe-message';
import { startFakeWeChatServer, type FakeWeChatServer } from '../support/fake-wechat-server';

let wechat: FakeWeChatServer;
let tokens: StableAccessTokenProvider;
let sender: HttpSubscribeMessageSender;

beforeAll(async () => {
  wechat = await startFakeWeChatServer();
});
afterAll(() => wechat.close());
beforeEach(() => {
  const p = wechat.platform;
  p.stableTokenRequests.length = 0;
  p.msgSecCheckRequests.length = 0;
  p.subscribeSendRequests.length = 0;
  p.subscribeMessagesSent.length = 0;
  p.subscribeScript.clear();
  p.stableTokenDelayMs = 0;
  p.stableTokenErrcode = null;
  p.rejectEveryToken = false;
  p.rotateToken();
  tokens = newTokens();
  sender = newSender(tokens);
});

/** A logger whose lines the tests can read (pino writes one JSON line per call to the stream). */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

const silent = createLogger('silent');
const newTokens = () =>
  new StableAccessTokenProvider({
    apiBase: wechat.baseUrl,
    appId: wechat.appId,
    secret: wechat.secret,
    timeoutMs: 300,
    clock: new SettableClock(),
    logger: silent,
  });
const newSender = (provider: AccessTokenProvider, logger = silent) =>
  new HttpSubscribeMessageSender({ apiBase: wechat.baseUrl, timeoutMs: 300, tokens: provider, logger, miniprogramState: 'trial' });

const reviewNotice = (openid: string, overrides: Partial<SubscribeMessage> = {}): SubscribeMessage => ({
  touser: openid,
  templateId: 'tmpl-review-done',
  page: 'pages/checkin/detail?id=12',
  data: { thing1: '英语口语 21 天', phrase2: '已点评', time3: '2026-11-03 20:00' },
  ...overrides,
});

describe('HttpSubscribeMessageSender against subscribe/send', () => {
  it('sends touser, template_id, page, data {key: {value}}, miniprogram_state and lang, with the access_token in the query', async () => {
    await expect(sender.send(reviewNotice('oWx_member_1'))).resolves.toEqual({ outcome: 'sent' });
    const [request] = wechat.platform.subscribeSendRequests;
    expect(request.query.get('access_token')).toBe(wechat.platform.currentToken);
    expect(request.body).toEqual({
      touser: 'oWx_member_1',
      template_id: 'tmpl-review-done',
      page: 'pages/checkin/detail?id=12',
      data: { thing1: { value: '英语口语 21 天' }, phrase2: { value: '已点评' }, time3: { value: '2026-11-03 20:00' } },
      miniprogram_state: 'trial',
      lang: 'zh_CN',
    });
    expect(wechat.platform.subscribeMessagesSent).toHaveLength(1);
  });

  it('fetches ONE access_token for 20 sends, including concurrent ones', async () => {
    wechat.platform.stableTokenDelayMs = 50;
    const concurrent = await Promise.all(Array.from({ length: 15 }, (_, i) => sender.send(reviewNotice(`oWx_member_${i}`))));
    for (let i = 15; i < 20; i++) expect(await sender.send(reviewNotice(`oWx_member_${i}`))).toEqual({ outcome: 'sent' });
    expect(concurrent.every((r) => r.outcome === 'sent')).toBe(true);
    expect(wechat.platform.stableTokenRequests).toHaveLength(1);
    expect(wechat.platform.subscribeSendRequests).toHaveLength(20);
    expect(wechat.platform.subscribeMessagesSent).toHaveLength(20);
  });

  it('answers no-consent (43101) when the member has no subscription left, without throwing', async () => {
    wechat.platform.subscribeScript.set('oWx_no_consent', 43101);
    await expect(sender.send(reviewNotice('oWx_no_consent'))).resolves.toEqual({ outcome: 'no-consent', errcode: 43101 });
    await expect(sender.send(reviewNotice('oWx_other'))).resolves.toEqual({ outcome: 'sent' });
    expect(wechat.platform.subscribeMessagesSent.map((m) => m.touser)).toEqual(['oWx_other']);
    expect(wechat.platform.stableTokenRequests).toHaveLength(1); // 43101 is not a token problem
  });

  it('on 40001 (stale token) fetches a fresh token once and retries once, successfully', async () => {
    await sender.send(reviewNotice('oWx_warm'));
    const stale = wechat.platform.currentToken;
    const fresh = wechat.platform.rotateToken(); // WeChat now rejects the cached token

    await expect(sender.send(reviewNotice('oWx_after_rotation'))).resolves.toEqual({ outcome: 'sent' });
    expect(wechat.platform.stableTokenRequests).toHaveLength(2);
    expect(wechat.platform.subscribeSendRequests.map((r) => r.query.get('access_token'))).toEqual([stale, stale, fresh]);
    expect(wechat.platform.subscribeMessagesSent.map((m) => m.touser)).toEqual(['oWx_warm', 'oWx_after_rotation']);

    await sender.send(reviewNotice('oWx_cached'));
    expect(wechat.platform.stableTokenRequests).toHaveLength(2);
  });

  it('concurrent sends that all hit 40001 share one token refresh', async () => {
    await sender.send(reviewNotice('oWx_warm'));
    wechat.platform.rotateToken();
    wechat.platform.stableTokenDelayMs = 50;
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => sender.send(reviewNotice(`oWx_${i}`))));
    expect(results.every((r) => r.outcome === 'sent')).toBe(true);
    expect(wechat.platform.stableTokenRequests).toHaveLength(2);
  });

  it('retries only once: a token still refused after the refresh is failed (40001), not a loop or a throw', async () => {
    wechat.platform.rejectEveryToken = true;
    await expect(sender.send(reviewNotice('oWx_member'))).resolves.toEqual({ outcome: 'failed', errcode: 40001 });
    expect(wechat.platform.subscribeSendRequests).toHaveLength(2);
    expect(wechat.platform.stableTokenRequests).toHaveLength(2);
  });

  it('a bad field (47003) is failed, logged with the openid and template id', async () => {
    const { logger, lines } = capturingLogger();
    const logged = newSender(tokens, logger);
    wechat.platform.subscribeScript.set('oWx_bad_field', 47003);
    await expect(logged.send(reviewNotice('oWx_bad_field'))).resolves.toEqual({ outcome: 'failed', errcode: 47003 });
    expect(wechat.platform.subscribeMessagesSent).toHaveLength(0);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 40, openid: 'oWx_bad_field', templateId: 'tmpl-review-done', errcode: 47003 }),
    );
  });

  it('another errcode (40037 bad template) is failed too', async () => {
    wechat.platform.subscribeScript.set('oWx_x', 40037);
    await expect(sender.send(reviewNotice('oWx_x'))).resolves.toEqual({ outcome: 'failed', errcode: 40037 });
  });

  it('cuts long thing values to 20 characters by code points (Chinese and emoji intact), so WeChat accepts them', async () => {
    const long = '坚持打卡第二十一天的口语练习🎉🎉，今天读了一整篇文章并且录了音';
    expect(Array.from(long).length).toBeGreaterThan(20);
    await expect(sender.send(reviewNotice('oWx_long', { data: { thing1: long, phrase2: '已点评通过啦', name3: '王小明同学的家长们' } }))).resolves.toEqual({
      outcome: 'sent',
    });
    const sent = wechat.platform.subscribeMessagesSent[0].data as Record<string, { value: string }>;
    expect(sent.thing1.value).toBe(`${Array.from(long).slice(0, 19).join('')}…`);
    expect(Array.from(sent.thing1.value)).toHaveLength(20);
    expect(sent.thing1.value).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no lone high surrogate
    expect(sent.phrase2.value).toBe('已点评通过');
    expect(sent.name3.value).toBe('王小明同学的家长们'); // 9 characters: within name's 10
  });

  it('control: the fake WeChat refuses a thing value over 20 characters with 47003 (so the cut above matters)', async () => {
    const token = await tokens.getToken();
    const answer = await fetch(`${wechat.baseUrl}/cgi-bin/message/subscribe/send?access_token=${token}`, {
      method: 'POST',
      body: JSON.stringify({ touser: 'o', template_id: 't', page: '', miniprogram_state: 'formal', data: { thing1: { value: '一'.repeat(21) } } }),
    });
    expect(await answer.json()).toMatchObject({ errcode: 47003 });
  });

  it('gives up after timeoutMs with failed, quickly and without throwing', async () => {
    wechat.platform.subscribeScript.set('oWx_slow', 'slow');
    const started = Date.now();
    await expect(sender.send(reviewNotice('oWx_slow'))).resolves.toEqual({ outcome: 'failed' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('is failed, without asking subscribe/send, when no access_token can be had', async () => {
    wechat.platform.stableTokenErrcode = 40164; // IP not on the whitelist
    await expect(sender.send(reviewNotice('oWx_member'))).resolves.toEqual({ outcome: 'failed' });
    expect(wechat.platform.subscribeSendRequests).toHaveLength(0);
  });

  it('is failed when WeChat cannot be reached at all', async () => {
    const unreachable = new HttpSubscribeMessageSender({
      apiBase: 'http://127.0.0.1:9', // discard port: connection refused
      timeoutMs: 300,
      tokens: { getToken: async () => 'any-token', invalidate: () => undefined },
      logger: silent,
      miniprogramState: 'formal',
    });
    await expect(unreachable.send(reviewNotice('oWx_member'))).resolves.toEqual({ outcome: 'failed' });
  });
});

describe('keyword limits (pure)', () => {
  it.each([
    ['thing1', 'thing'],
    ['thing12', 'thing'],
    ['character_string2', 'character_string'],
    ['phone_number3', 'phone_number'],
    ['phrase4', 'phrase'],
    ['thing', null],
    ['Thing1', null],
  ])('keywordTypeOf(%j) is %j', (key, type) => {
    expect(keywordTypeOf(key)).toBe(type);
  });

  it.each([
    ['thing1', 'a'.repeat(20), 'a'.repeat(20)],
    ['thing1', 'a'.repeat(21), `${'a'.repeat(19)}…`],
    ['thing1', '😀'.repeat(25), `${'😀'.repeat(19)}…`],
    ['phrase2', '审核已经通过', '审核已经通'],
    ['character_string3', 'x'.repeat(40), 'x'.repeat(32)],
    ['name4', '欧阳娜娜娜娜娜娜娜娜娜', '欧阳娜娜娜娜娜娜娜娜'],
    ['name4', 'Alexandra Montgomery-Smythe', 'Alexandra Montgomery'],
    ['number5', '1'.repeat(40), '1'.repeat(40)], // numbers are never cut
    ['time6', '2026-11-03 20:00', '2026-11-03 20:00'],
  ])('fitKeywordValue(%j, …) cuts to the documented limit', (key, value, expected) => {
    expect(fitKeywordValue(key, value)).toBe(expected);
  });
});

describe('FakeSubscribeMessageSender', () => {
  it('keeps what it sent, fitted like the real one, and answers no-consent for the openids it is told', async () => {
    const fake = new FakeSubscribeMessageSender(silent);
    fake.refuseFor('oWx_refuser');
    await expect(fake.send(reviewNotice('oWx_a', { data: { thing1: '长'.repeat(30) } }))).resolves.toEqual({ outcome: 'sent' });
    await expect(fake.send(reviewNotice('oWx_refuser'))).resolves.toEqual({ outcome: 'no-consent', errcode: 43101 });
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({ touser: 'oWx_a', templateId: 'tmpl-review-done', data: { thing1: `${'长'.repeat(19)}…` } });
    fake.consentAgain('oWx_refuser');
    await expect(fake.send(reviewNotice('oWx_refuser'))).resolves.toEqual({ outcome: 'sent' });
  });
});
