import { createServer, type AddressInfo, type Socket } from 'node:net';
import { FakeContentCheck, type ContentCheck } from '../../../server/src/platform/wechat/content-check';
import { createLogger } from '../../../server/src/platform/logger';
import { closeRedis, createRedisClient } from '../../../server/src/platform/redis/redis-client';
import { at, createCohort, operatorOf, teacherOf } from '../support/cohort-helpers';
import { startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

/**
 * Abuse limits (rate-limiter-flexible): per member on writes that call WeChat's content check, per
 * address on logins and anonymous routes; 429 RATE_LIMITED with Retry-After. They run in this
 * process, or in Redis when TEST_REDIS_URL is set (CI runs this file both ways).
 */

/** Counts the calls that reach WeChat's content check (its quota is the app's, shared by all). */
function countingContentCheck(): ContentCheck & { calls: number } {
  const fake = new FakeContentCheck({ riskyWords: [], reviewWords: [] });
  const counter = {
    calls: 0,
    checkText: (input: { text: string; openid: string }) => {
      counter.calls++;
      return fake.checkText(input);
    },
  };
  return counter;
}

let addressSerial = 0;
/** A fresh client address, as a proxy in front of the server would report it. */
const newAddress = () => `198.51.100.${++addressSerial}`;

async function login(t: TestApp, openid: string, address = newAddress()): Promise<LoggedIn> {
  const answer = await t.http.post('/api/v1/auth/wechat-login').set('X-Forwarded-For', address).send({ code: `fake:${openid}` }).expect(200);
  return { token: answer.body.token, memberId: answer.body.member.id, auth: { Authorization: `Bearer ${answer.body.token}` } };
}

function expectRateLimited(answer: { status: number; body: { error?: { code?: string } }; headers: Record<string, string> }, maxSeconds: number) {
  expect({ status: answer.status, code: answer.body.error?.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
  const retryAfter = Number(answer.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= maxSeconds).toBe(true);
}

describe('with tight limits', () => {
  let t: TestApp;
  let contentCheck: ReturnType<typeof countingContentCheck>;
  beforeAll(async () => {
    contentCheck = countingContentCheck();
    t = await startTestApp({
      env: { RATE_LIMIT_CONTENT_WRITE: '5/1m', RATE_LIMIT_LOGIN: '8/1m', RATE_LIMIT_ANONYMOUS: '6/1m' },
      wechat: { contentCheck },
    });
  });
  afterAll(() => t.close());

  it('stops one member\'s nickname changes after 5 a minute, before WeChat\'s content check; others go on', async () => {
    const mallory = await login(t, 'mallory');
    const before = contentCheck.calls;
    for (let i = 1; i <= 5; i++) await t.http.put('/api/v1/me').set(mallory.auth).send({ nickname: `小明${i}` }).expect(200);
    const sixth = await t.http.put('/api/v1/me').set(mallory.auth).send({ nickname: '小明6' });
    expectRateLimited(sixth, 60);
    expect(contentCheck.calls - before).toBe(5);
    expect((await t.http.get('/api/v1/me').set(mallory.auth).expect(200)).body.nickname).toBe('小明5');
    const alice = await login(t, 'alice-rl');
    await t.http.put('/api/v1/me').set(alice.auth).send({ nickname: '爱丽丝' }).expect(200);
  });

  it('refuses a check-in that cannot land before calling the content check, and limits the repeats', async () => {
    const operator = await operatorOf(t);
    await at(t, '2026-03-01T10:00:00+08:00');
    const recruiting = await createCohort(t, operator, { startDate: '2026-03-02' });
    const member = await login(t, 'repeater');
    await t.http.post(`/api/v1/cohorts/${recruiting.id}/enrollments`).set(member.auth).send({}).expect(200);
    const outsider = await login(t, 'outsider');
    const checkIn = (who: LoggedIn) => t.http.post(`/api/v1/cohorts/${recruiting.id}/checkins`).set(who.auth).send({ text: 'day 1' });

    const before = contentCheck.calls;
    expect((await checkIn(member)).body.error.code).toBe('COHORT_NOT_RUNNING');
    await at(t, '2026-03-02T09:00:00+08:00');
    expect((await checkIn(outsider)).body.error.code).toBe('NOT_ENROLLED');
    expect(contentCheck.calls).toBe(before);

    await checkIn(member).expect(201); // the 2nd of 5 this minute
    expect(contentCheck.calls).toBe(before + 1);
    for (let i = 3; i <= 5; i++) expect((await checkIn(member).expect(409)).body.error.code).toBe('CHECKIN_ALREADY_DONE');
    expectRateLimited(await checkIn(member), 60);
    expect(contentCheck.calls).toBe(before + 1);
  });

  it('limits logins per client address, counting the address the nearest proxy saw', async () => {
    const school = '203.0.113.9';
    for (let i = 0; i < 8; i++) await login(t, `pupil-${i}`, school);
    const ninth = await t.http.post('/api/v1/auth/wechat-login').set('X-Forwarded-For', school).send({ code: 'fake:pupil-8' });
    expectRateLimited(ninth, 60);
    // What the client itself puts in front of the header does not make it someone else.
    const spoofed = await t.http.post('/api/v1/auth/wechat-login').set('X-Forwarded-For', `10.9.8.7, ${school}`).send({ code: 'fake:pupil-8' });
    expectRateLimited(spoofed, 60);
    await login(t, 'pupil-8', '203.0.113.10');
  });

  it('limits anonymous requests per address', async () => {
    const address = newAddress();
    for (let i = 0; i < 6; i++) await t.http.get('/api/v1/openapi.json').set('X-Forwarded-For', address).expect(200);
    expectRateLimited(await t.http.get('/api/v1/openapi.json').set('X-Forwarded-For', address), 60);
    await t.http.get('/api/v1/openapi.json').set('X-Forwarded-For', newAddress()).expect(200);
  });

  it('keeps its counters in Redis exactly when TEST_REDIS_URL is set', async () => {
    const keys = t.redis ? await t.redis.client.keys(`${t.redis.keyPrefix}rl:*`) : [];
    expect(keys.length > 0).toBe(t.redis !== null);
  });
});

describe('with the default limits, normal use never sees a 429', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('lets 300 members log in from one school network within seconds', async () => {
    const school = '203.0.113.50';
    const statuses: number[] = [];
    for (let batch = 0; batch < 30; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => t.http.post('/api/v1/auth/wechat-login').set('X-Forwarded-For', school).send({ code: `fake:cohort-start-${batch * 10 + i}` })),
      );
      statuses.push(...answers.map((a) => a.status));
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  }, 60_000);

  it('lets members check in every day and a teacher work through 200 reviews in one sitting', async () => {
    const operator = await operatorOf(t);
    const teacher = await teacherOf(t, operator, 'busy-teacher');
    await at(t, '2026-03-01T10:00:00+08:00');
    const cohort = await createCohort(t, operator, { startDate: '2026-03-02', teacherIds: [teacher.memberId] });
    const members: LoggedIn[] = [];
    for (let i = 0; i < 40; i++) {
      const member = await login(t, `daily-${i}`, '203.0.113.60');
      await t.http.post(`/api/v1/cohorts/${cohort.id}/enrollments`).set(member.auth).send({}).expect(200);
      members.push(member);
    }
    for (let day = 2; day <= 6; day++) {
      await at(t, `2026-03-0${day}T20:00:00+08:00`);
      for (const member of members) {
        await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(member.auth).send({ text: `第${day - 1}天打卡` }).expect(201);
      }
    }

    let reviewed = 0;
    for (;;) {
      const queue = await t.http.get('/api/v1/teacher/review-queue?limit=20').set(teacher.auth).expect(200);
      if (queue.body.items.length === 0) break;
      for (const item of queue.body.items as Array<{ id: number }>) {
        await t.http.post(`/api/v1/checkins/${item.id}/reviews`).set(teacher.auth).send({ text: '读得很流畅，继续保持！' }).expect(201);
        reviewed++;
      }
    }
    expect(reviewed).toBe(200);
  }, 120_000);
});

describe('RATE_LIMITS=off (benchmarks and load tests)', () => {
  it('turns every limit off', async () => {
    const t = await startTestApp({ env: { RATE_LIMITS: 'off', RATE_LIMIT_CONTENT_WRITE: '1/1m', RATE_LIMIT_LOGIN: '1/1m' } });
    try {
      const member = await login(t, 'load-test', '203.0.113.70');
      await login(t, 'load-test-2', '203.0.113.70');
      for (let i = 0; i < 20; i++) await t.http.put('/api/v1/me').set(member.auth).send({ nickname: `压测${i}` }).expect(200);
    } finally {
      await t.close();
    }
  });
});

describe('when Redis does not answer', () => {
  it('keeps limiting in this process instead of failing requests', async () => {
    // A "Redis" that accepts connections and never answers, as a hung server would.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `redis://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const hung = createRedisClient(url, createLogger('silent'));
    const t = await startTestApp({ env: { REDIS_URL: url, REDIS_KEY_PREFIX: 'hung:', RATE_LIMIT_CONTENT_WRITE: '3/1m' }, redis: hung });
    try {
      const member = await login(t, 'offline-redis');
      for (let i = 0; i < 3; i++) await t.http.put('/api/v1/me').set(member.auth).send({ nickname: `离线${i}` }).expect(200);
      expectRateLimited(await t.http.put('/api/v1/me').set(member.auth).send({ nickname: '离线3' }), 60);
    } finally {
      await t.close();
      await closeRedis(hung);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
