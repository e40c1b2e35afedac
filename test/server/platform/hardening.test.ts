import { capturingLogger } from '../pay/log-capture';
import type { FakeWeChatPay } from '../../../server/src/platform/wechat/pay/wechat-pay';
import { at, createCohort, joinAs, operatorOf, teacherOf } from '../support/cohort-helpers';
import { loginAs, startTestApp, uploadImage, type LoggedIn, type TestApp } from '../support/test-app';

/**
 * The small holes a security probe found: odd methods, response headers, the Authorization scheme,
 * invisible and broken characters, reserved nicknames, self-review, unbounded dates, unlimited
 * tokens, talkative payment notifications, enormous validation errors.
 */
let t: TestApp;
let operator: LoggedIn;
const log = capturingLogger();

beforeAll(async () => {
  t = await startTestApp({ logger: log.logger });
  operator = await operatorOf(t);
  await at(t, '2026-03-01T10:00:00+08:00');
});
afterAll(() => t.close());

describe('HTTP methods and headers', () => {
  it.each(['TRACE', 'PROPFIND', 'PURGE', 'LINK'])('answers %s on an API path 405 with Allow, never 500', async (method) => {
    const answer = await t.http.get('/api/v1/me').set(operator.auth).use((req) => Object.assign(req, { method }));
    expect({ status: answer.status, code: answer.body.error?.code, allow: answer.headers.allow }).toEqual({
      status: 405, code: 'METHOD_NOT_ALLOWED', allow: expect.stringContaining('GET'),
    });
  });

  it('answers a method nobody implements on an unknown path 501', async () => {
    const answer = await t.http.get('/api/v1/no-such-thing').use((req) => Object.assign(req, { method: 'PROPFIND' }));
    expect({ status: answer.status, code: answer.body.error?.code }).toEqual({ status: 501, code: 'NOT_IMPLEMENTED' });
  });

  it('marks API answers nosniff and no-store, errors included; uploads keep their own caching', async () => {
    for (const answer of [
      await t.http.get('/api/v1/me').set(operator.auth),
      await t.http.get('/api/v1/me'),
      await t.http.get('/api/v1/mall/redemptions').set(operator.auth),
      await t.http.get('/healthz'),
    ]) {
      expect({ nosniff: answer.headers['x-content-type-options'], cache: answer.headers['cache-control'] }).toEqual({ nosniff: 'nosniff', cache: 'no-store' });
    }
    const image = await t.http.get(await uploadImage(t, operator)).expect(200);
    expect(image.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'public, max-age=31536000, immutable' });
  });

  it('reads the Authorization scheme case-insensitively', async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      await t.http.get('/api/v1/me').set('Authorization', `${scheme} ${operator.token}`).expect(200);
    }
  });
});

describe('text', () => {
  let member: LoggedIn;
  beforeAll(async () => {
    member = await loginAs(t, 'texter');
  });
  const setNickname = (who: LoggedIn, nickname: string) => t.http.put('/api/v1/me').set(who.auth).send({ nickname });

  it('strips bidi overrides and zero-width characters, keeping emoji sequences whole', async () => {
    const answer = await setNickname(member, '\u202Eevil\u202C\u200B小\u2066明\uFEFF 👩‍👩‍👧').expect(200);
    expect(answer.body.nickname).toBe('evil小明 👩‍👩‍👧');
  });

  it('refuses NUL and other control characters, and lone surrogates, naming the field', async () => {
    for (const raw of ['{"nickname":"a\\u0000b"}', '{"nickname":"bell\\u0007"}', '{"nickname":"half \\ud800 a pair"}']) {
      const answer = await t.http.put('/api/v1/me').set(member.auth).set('Content-Type', 'application/json').send(raw).expect(400);
      expect(answer.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'body.nickname' }] });
    }
    expect((await t.http.get('/api/v1/me').set(member.auth)).body.nickname).toBe('evil小明 👩‍👩‍👧');
  });

  it('keeps default names and staff-looking names from other members', async () => {
    const other = await loginAs(t, 'somebody-else');
    for (const nickname of [`学员${other.memberId}`, `学员 ${other.memberId}`, '王老师', '管理员小李', 'Ａｄｍｉｎ', 'the-teacher']) {
      const answer = await setNickname(member, nickname).expect(400);
      expect(answer.body.error.details).toEqual([{ path: 'body.nickname', message: expect.any(String) }]);
    }
    await setNickname(member, `学员${member.memberId}`).expect(200);
    const teacher = await teacherOf(t, operator, 'real-teacher');
    await setNickname(teacher, '王老师').expect(200);
  });

  it('strips invisible characters from check-in text too', async () => {
    const cohort = await createCohort(t, operator, { startDate: '2026-03-02' });
    const writer = await joinAs(t, 'writer', cohort.id);
    await at(t, '2026-03-02T09:00:00+08:00');
    const answer = await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(writer.auth).send({ text: '今天\u202E读了\u200B三页' }).expect(201);
    expect(answer.body.checkin.text).toBe('今天读了三页');
    await at(t, '2026-03-01T10:00:00+08:00');
  });

  it('answers a body with 6,000 unknown keys, or nested 10,000 deep, briefly and with a 400', async () => {
    const many = Object.fromEntries(Array.from({ length: 6000 }, (_, i) => [`k${i}`, 1]));
    const answer = await t.http.put('/api/v1/me').set(member.auth).send(many).expect(400);
    expect(answer.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(answer.body).length).toBeLessThan(2000);
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const nested = await t.http.post('/api/v1/mall/products').set(operator.auth).set('Content-Type', 'application/json').send(`{"name":${deep}}`);
    expect(nested.status).toBe(400);
  });
});

describe('reviews, dates and tokens', () => {
  it('refuses a teacher reviewing their own check-in, and keeps it out of their queue', async () => {
    const teacher = await teacherOf(t, operator, 'self-reviewer');
    const other = await teacherOf(t, operator, 'other-reviewer');
    await at(t, '2026-03-01T10:00:00+08:00');
    const cohort = await createCohort(t, operator, { startDate: '2026-03-02', teacherIds: [teacher.memberId, other.memberId] });
    await t.http.post(`/api/v1/cohorts/${cohort.id}/enrollments`).set(teacher.auth).send({}).expect(200);
    await at(t, '2026-03-02T09:00:00+08:00');
    const own = (await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(teacher.auth).send({ text: '老师也打卡' }).expect(201)).body.checkin.id;
    const answer = await t.http.post(`/api/v1/checkins/${own}/reviews`).set(teacher.auth).send({ text: '我真棒' }).expect(403);
    expect(answer.body.error.code).toBe('CANNOT_REVIEW_OWN_CHECKIN');
    const queue = await t.http.get(`/api/v1/teacher/review-queue?cohortId=${cohort.id}`).set(teacher.auth).expect(200);
    expect(queue.body.items).toEqual([]);
    const othersQueue = await t.http.get(`/api/v1/teacher/review-queue?cohortId=${cohort.id}`).set(other.auth).expect(200);
    expect(othersQueue.body.items.map((c: { id: number }) => c.id)).toEqual([own]);
    await t.http.post(`/api/v1/checkins/${own}/reviews`).set(other.auth).send({ text: '老师辛苦了' }).expect(201);
    await at(t, '2026-03-01T10:00:00+08:00');
  });

  it('bounds a cohort\'s start to the coming year', async () => {
    const create = (startDate: string) =>
      t.http.post('/api/v1/cohorts').set(operator.auth).send({ title: '远期', theme: 't', durationDays: 7, startDate });
    for (const startDate of ['9999-12-31', '2027-03-02']) {
      expect((await create(startDate).expect(400)).body.error.details).toEqual([{ path: 'body.startDate', message: expect.stringContaining('365 days') }]);
    }
    const latest = await create('2027-03-01').expect(201);
    expect(latest.body.endDate).toBe('2027-03-07');
    const clone = await t.http.post(`/api/v1/cohorts/${latest.body.id}/clone`).set(operator.auth).send({ startDate: '9999-12-31' }).expect(400);
    expect(clone.body.error.details[0].path).toBe('body.startDate');
  });

  it('keeps offer windows between the cohort\'s first day and 60 days after its last', async () => {
    const cohort = await createCohort(t, operator, { startDate: '2026-03-02' }); // last day 03-08
    const publish = (round: number, window: object) =>
      t.http.post(`/api/v1/cohorts/${cohort.id}/offers`).set(operator.auth).send({ round, title: '进阶', priceFen: 100, ...window });
    const ancient = await publish(1, { opensAt: '0001-01-01T00:00:00+08:00', closesAt: '2026-03-10T00:00:00+08:00' }).expect(400);
    expect(ancient.body.error.details[0].path).toBe('body.opensAt');
    const far = await publish(1, { opensAt: '2026-03-09T00:00:00+08:00', closesAt: '2026-05-09T00:00:01+08:00' }).expect(400);
    expect(far.body.error.details[0].path).toBe('body.closesAt');
    await publish(1, { opensAt: '2026-03-02T00:00:00+08:00', closesAt: '2026-05-08T00:00:00+08:00' }).expect(201);
  });

  it('keeps a member\'s newest 10 logins, and logs out everywhere on request', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 12; i++) tokens.push((await loginAs(t, 'many-devices')).token);
    const statuses = await Promise.all(tokens.map(async (token) => (await t.http.get('/api/v1/me').set('Authorization', `Bearer ${token}`)).status));
    expect(statuses).toEqual([401, 401, ...Array(10).fill(200)]);
    const out = await t.http.post('/api/v1/auth/logout-all').set('Authorization', `Bearer ${tokens[11]}`).send({}).expect(200);
    expect(out.body).toEqual({ loggedOut: true, revoked: 10 });
    for (const token of tokens.slice(2)) await t.http.get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(401);
  });
});

describe('WeChat Pay notifications', () => {
  it('tell the caller nothing about which check failed; the reason goes to the log', async () => {
    const pay = t.deps.wechat.pay as FakeWeChatPay;
    const stale = pay.simulatePaid({ outTradeNo: 'CO1234567890', amountFen: 100, payerOpenid: 'o' });
    await at(t, '2026-03-01T11:00:00+08:00'); // an hour after it was signed
    const answer = await t.http.post('/api/v1/pay/notify').set(stale.headers).set('Content-Type', 'application/json').send(stale.body);
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 400, body: { code: 'FAIL', message: '失败' } });
    expect(JSON.stringify(answer.body)).not.toMatch(/skew|Timestamp|signature/i);
    expect(log.lines.some((line) => /Wechatpay-Timestamp is \d+ s away/.test(JSON.stringify(line)))).toBe(true);
    await at(t, '2026-03-01T10:00:00+08:00');
  });
});
