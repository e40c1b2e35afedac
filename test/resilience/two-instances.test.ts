import { randomBytes } from 'node:crypto';
import { openTestRedis, type TestRedis } from '../server/support/test-redis';
import { balancesMismatchingLedger, openSharedDatabase, type SharedDatabase } from './support/database';
import { call, expectOk, startServerProcess, type ServerProcess } from './support/server-process';

/**
 * Two server processes on one database and one Redis under parallel check-in and redemption load:
 * no double award, no oversell, each scheduled job runs exactly once, and a rate limit counts the
 * requests of both.
 */
let db: SharedDatabase;
let redis: TestRedis;
let servers: ServerProcess[];
let env: Record<string, string>;
const MEMBERS = 24;
const STOCK = 10;
/** Each member checks in 6 times below; the limit test then spends the rest of a member's 8. */
const CONTENT_WRITES_PER_MINUTE = 8;

beforeAll(async () => {
  const redisUrl = process.env.TEST_REDIS_URL?.trim();
  if (!redisUrl) throw new Error('The resilience tests need TEST_REDIS_URL (e.g. redis://127.0.0.1:6379) for the shared rate limits');
  db = await openSharedDatabase();
  redis = await openTestRedis(redisUrl);
  env = {
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.keyPrefix,
    RATE_LIMIT_CONTENT_WRITE: `${CONTENT_WRITES_PER_MINUTE}/1m`,
    DATA_DIR: db.dataDir,
    DATABASE_URL: db.databaseUrl,
    ALLOW_TEST_CLOCK: '1',
    OPERATOR_OPENIDS: 'ops',
    JOBS_ENABLED: '1',
    JOBS_TICK_MS: '150',
  };
  servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
});
afterAll(async () => {
  await Promise.all((servers ?? []).map((s) => s.stop()));
  await db?.close();
  await redis?.close();
});

/** Both processes get the same frozen clock (each process has its own clock). */
const setClock = (now: string) => Promise.all(servers.map((s) => expectOk(call(s.url, 'POST', '/api/v1/dev/clock', { now }))));
const login = async (openid: string) => (await expectOk(call(servers[0].url, 'POST', '/api/v1/auth/wechat-login', { code: `fake:${openid}` }))).token as string;

it('check-ins, redemptions and the daily reminder stay exactly-once across two instances', async () => {
  const [a, b] = servers.map((s) => s.url);
  await setClock('2026-03-01T10:00:00+08:00');
  const ops = await login('ops');
  const cohort = await expectOk(call(a, 'POST', '/api/v1/cohorts', { title: '双实例', theme: 't', durationDays: 7, startDate: '2026-03-02' }, ops), 201);
  const tokens = await Promise.all(Array.from({ length: MEMBERS }, (_, i) => login(`m${i}`)));
  await Promise.all(tokens.map((token) => expectOk(call(b, 'POST', `/api/v1/cohorts/${cohort.id}/enrollments`, {}, token))));
  // Everyone allows one reminder.
  await Promise.all(tokens.map((token) => expectOk(call(a, 'POST', '/api/v1/me/subscriptions', { results: { 'fake-tmpl-reminder': 'accept' } }, token))));

  // Day 1, 07:00: every member checks in three times on each instance at once.
  await setClock('2026-03-02T07:00:00+08:00');
  const checkins = await Promise.all(
    tokens.flatMap((token, i) => i % 2 === 0
      ? [a, b, a, b, a, b].map((base) => call(base, 'POST', `/api/v1/cohorts/${cohort.id}/checkins`, { text: 'hi' }, token))
      : []),
  );
  const statuses = checkins.map((c) => c.status);
  expect(statuses.filter((s) => s === 201)).toHaveLength(MEMBERS / 2);
  expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);

  // A rush on 10 items from both instances, every member sending the same requestId to both.
  const product = await expectOk(call(a, 'POST', '/api/v1/mall/products', { name: '贴纸', pointsPrice: 10, stock: STOCK, kind: 'virtual' }, ops), 201);
  await Promise.all(tokens.map(async (token, i) => {
    const member = await expectOk(call(a, 'GET', '/api/v1/me', undefined, token));
    await expectOk(call(b, 'POST', `/api/v1/admin/members/${member.id}/points`, { delta: 10, note: '活动', requestId: `grant-${i}-${randomBytes(4).toString('hex')}` }, ops));
  }));
  const redemptions = await Promise.all(tokens.flatMap((token, i) => {
    const body = { productId: product.id, quantity: 1, requestId: `rush-${i}-0001` };
    return [a, b].map((base) => call(base, 'POST', '/api/v1/mall/redemptions', body, token));
  }));
  expect(redemptions.filter((r) => r.status >= 500 || r.status === 0)).toEqual([]);
  const created = new Set(redemptions.filter((r) => r.status === 200 || r.status === 201).map((r) => r.body.redemption.id));
  expect(created.size).toBe(STOCK);
  const [{ stock }] = await db.dataSource.query('SELECT stock FROM mall_product WHERE id = ?', [product.id]);
  expect(Number(stock)).toBe(0);

  // 08:00: both schedulers tick every 150 ms; the odd members (no check-in yet) get one reminder each.
  await setClock('2026-03-02T08:00:00+08:00');
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const sent: Array<{ memberId: number; n: number }> = await db.dataSource.query(
    "SELECT member_id AS memberId, COUNT(*) AS n FROM notification WHERE kind = 'reminder' GROUP BY member_id",
  );
  expect(sent).toHaveLength(MEMBERS / 2);
  expect(sent.every((row) => Number(row.n) === 1)).toBe(true);
  const claims = await db.dataSource.query("SELECT claimed_by AS claimedBy FROM job_run WHERE job_name = 'daily-reminder'");
  expect(claims).toHaveLength(1);

  const [{ n: checkinRows }] = await db.dataSource.query('SELECT COUNT(*) AS n FROM checkin');
  const [{ n: baseAwards }] = await db.dataSource.query("SELECT COUNT(*) AS n FROM points_ledger WHERE reason = 'checkin'");
  expect(Number(checkinRows)).toBe(MEMBERS / 2);
  expect(Number(baseAwards)).toBe(MEMBERS / 2);
  expect(await balancesMismatchingLedger(db.dataSource)).toEqual([]);
});

it('a scheduled announcement goes out once across two instances, and not again after one restarts', async () => {
  const [a, b] = servers.map((s) => s.url);
  await setClock('2026-03-05T10:00:00+08:00');
  const ops = await login('ops');
  // Recruiting until 03-10: no daily reminder runs for it, only the announcement.
  const cohort = await expectOk(call(a, 'POST', '/api/v1/cohorts', { title: '公告双实例', theme: 't', durationDays: 7, startDate: '2026-03-10' }, ops), 201);
  const tokens = await Promise.all(Array.from({ length: 8 }, (_, i) => login(`ann-${i}`)));
  await Promise.all(tokens.map((token) => expectOk(call(b, 'POST', `/api/v1/cohorts/${cohort.id}/enrollments`, {}, token))));
  await Promise.all(tokens.flatMap((token) => [a, b].map((base) => expectOk(call(base, 'POST', '/api/v1/me/subscriptions', { results: { 'fake-tmpl-reminder': 'accept' } }, token)))));
  const planned = await expectOk(call(b, 'POST', `/api/v1/cohorts/${cohort.id}/announcements`, { slot: 'morning', title: '早安！明天见', dates: ['2026-03-06'], time: '09:00' }, ops), 201);
  const id = planned.items[0].id;
  const deliveries = async () => (await db.dataSource.query(
    "SELECT member_id AS memberId, COUNT(*) AS n FROM notification WHERE dedupe_key LIKE ? GROUP BY member_id", [`announcement:${id}:%`],
  )) as Array<{ memberId: number; n: number }>;

  await setClock('2026-03-06T09:00:00+08:00');
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const first = await deliveries();
  expect(first).toHaveLength(tokens.length);
  expect(first.every((row) => Number(row.n) === 1)).toBe(true);

  // One instance restarts (a fresh process, its clock set again) and both keep ticking.
  await servers[1].stop();
  servers[1] = await startServerProcess(env);
  await setClock('2026-03-06T09:00:05+08:00');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(await deliveries()).toEqual(first);
  const claims = await db.dataSource.query("SELECT period_key AS period FROM job_run WHERE job_name = 'scheduled-announcements'");
  expect(claims).toEqual([{ period: String(id) }]);
  const [row] = (await expectOk(call(servers[1].url, 'GET', `/api/v1/cohorts/${cohort.id}/announcements`, undefined, ops))).items;
  expect(row).toMatchObject({ state: 'published', recipients: tokens.length, messagesSent: tokens.length });
});

it('shares a rate limit between the instances through Redis', async () => {
  const [a, b] = servers.map((s) => s.url);
  const token = await login('chatty');
  const answers = [];
  for (let i = 0; i < 12; i++) answers.push(await call(i % 2 === 0 ? a : b, 'PUT', '/api/v1/me', { nickname: `话痨${i}` }, token));
  // Counted per instance, each would let 8 through (all 12); shared, 8 in all.
  expect(answers.map((answer) => answer.status)).toEqual([...Array(CONTENT_WRITES_PER_MINUTE).fill(200), ...Array(12 - CONTENT_WRITES_PER_MINUTE).fill(429)]);
  expect(answers[answers.length - 1].body.error.code).toBe('RATE_LIMITED');
});

/** Polls `probe` on an instance until it answers `status`; answers how long that took (ms). */
async function msUntil(status: number, probe: () => Promise<{ status: number }>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if ((await probe()).status === status) return Date.now() - started;
    if (Date.now() - started > 5000) return Infinity;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it('a login ended on A is refused by B within a second, though B had it cached', async () => {
  const [a, b] = servers.map((s) => s.url);
  const token = await login('leaver');
  const other = await login('leaver');
  for (let i = 0; i < 3; i++) await expectOk(call(b, 'GET', '/api/v1/me', undefined, token));
  await expectOk(call(b, 'GET', '/api/v1/me', undefined, other));
  await expectOk(call(a, 'POST', '/api/v1/auth/logout', {}, token));
  expect(await msUntil(401, () => call(b, 'GET', '/api/v1/me', undefined, token))).toBeLessThan(1000);
  // "Log out everywhere" on A ends the other login on B too.
  await expectOk(call(a, 'POST', '/api/v1/auth/logout-all', {}, other));
  expect(await msUntil(401, () => call(b, 'GET', '/api/v1/me', undefined, other))).toBeLessThan(1000);
});

it('a role taken away on A is refused by B within a second, though B had the token and its roles cached', async () => {
  const [a, b] = servers.map((s) => s.url);
  const ops = await login('ops');
  const token = await login('teacher-to-be');
  const me = await expectOk(call(b, 'GET', '/api/v1/me', undefined, token));
  await expectOk(call(a, 'POST', `/api/v1/admin/members/${me.id}/roles`, { roles: ['teacher'] }, ops));
  expect(await msUntil(200, () => call(b, 'GET', '/api/v1/teacher/review-queue', undefined, token))).toBeLessThan(1000);
  for (let i = 0; i < 3; i++) await expectOk(call(b, 'GET', '/api/v1/teacher/review-queue', undefined, token));
  await expectOk(call(a, 'POST', `/api/v1/admin/members/${me.id}/roles`, { roles: [] }, ops));
  expect(await msUntil(403, () => call(b, 'GET', '/api/v1/teacher/review-queue', undefined, token))).toBeLessThan(1000);
});
