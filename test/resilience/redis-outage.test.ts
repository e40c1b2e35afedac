import { openTestRedis, type TestRedis } from '../server/support/test-redis';
import { balancesMismatchingLedger, openSharedDatabase, type SharedDatabase } from './support/database';
import { call, expectOk, startServerProcess, type JsonAnswer, type ServerProcess } from './support/server-process';
import { TcpProxy } from './support/tcp-proxy';

/**
 * Redis goes away under two instances (issue 17). What Redis holds is never the only copy of
 * anything: the rate limits fall back to each process, and the token and cohort caches stand
 * aside (every request reads the database) while an instance cannot hear change announcements. So
 * no request fails (never a 500), a logout on A is still refused by B at once, and when Redis is
 * back the instances use it again by themselves.
 */
let db: SharedDatabase;
let redis: TestRedis;
let proxy: TcpProxy;
let servers: ServerProcess[];

beforeAll(async () => {
  const redisUrl = process.env.TEST_REDIS_URL?.trim();
  if (!redisUrl) throw new Error('The resilience tests need TEST_REDIS_URL (e.g. redis://127.0.0.1:6379)');
  db = await openSharedDatabase();
  redis = await openTestRedis(redisUrl);
  const target = new URL(redis.url);
  proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
  await proxy.start();
  const env = {
    REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
    REDIS_KEY_PREFIX: redis.keyPrefix,
    DATA_DIR: db.dataDir,
    DATABASE_URL: db.databaseUrl,
    ALLOW_TEST_CLOCK: '1',
    OPERATOR_OPENIDS: 'ops',
    JOBS_ENABLED: '0',
  };
  servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
});
afterAll(async () => {
  await Promise.all((servers ?? []).map((s) => s.stop()));
  await proxy?.stop();
  await db?.close();
  await redis?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` answers `status`; how long that took (Infinity after 10 s). */
async function msUntil(status: number, probe: () => Promise<JsonAnswer>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if ((await probe()).status === status) return Date.now() - started;
    if (Date.now() - started > 10_000) return Infinity;
    await sleep(20);
  }
}

it('without Redis nothing fails and logouts still reach the other instance; with Redis back the caches return', async () => {
  const [a, b] = servers.map((s) => s.url);
  await Promise.all(servers.map((s) => expectOk(call(s.url, 'POST', '/api/v1/dev/clock', { now: '2026-03-01T10:00:00+08:00' }))));
  const login = async (openid: string) => (await expectOk(call(a, 'POST', '/api/v1/auth/wechat-login', { code: `fake:${openid}` }))).token as string;
  const ops = await login('ops');
  const cohort = await expectOk(call(a, 'POST', '/api/v1/cohorts', { title: '断缓存', theme: 't', durationDays: 7, startDate: '2026-03-02' }, ops), 201);
  const members = await Promise.all(Array.from({ length: 12 }, async (_, i) => {
    const token = await login(`r${i}`);
    await expectOk(call(b, 'POST', `/api/v1/cohorts/${cohort.id}/enrollments`, {}, token));
    return token;
  }));
  await Promise.all(servers.map((s) => expectOk(call(s.url, 'POST', '/api/v1/dev/clock', { now: '2026-03-02T09:00:00+08:00' }))));

  await proxy.cut();
  await sleep(300);
  const during: JsonAnswer[] = [];
  for (const [i, token] of members.entries()) {
    during.push(await call(i % 2 ? a : b, 'POST', `/api/v1/cohorts/${cohort.id}/checkins`, { text: 'Redis 不在' }, token));
    during.push(await call(i % 2 ? b : a, 'GET', '/api/v1/me', undefined, token));
  }
  expect(during.filter((answer) => answer.status >= 500).map((answer) => `${answer.status} ${JSON.stringify(answer.body)}`)).toEqual([]);
  expect(during.filter((answer) => answer.status === 201)).toHaveLength(members.length);
  expect(Math.max(...during.map((answer) => answer.ms))).toBeLessThan(2000);

  // B used the token a moment ago; A ends it while neither hears the other: B reads the database.
  const leaving = await login('leaving-while-down');
  await expectOk(call(b, 'GET', '/api/v1/me', undefined, leaving));
  await expectOk(call(a, 'POST', '/api/v1/auth/logout', {}, leaving));
  expect((await call(b, 'GET', '/api/v1/me', undefined, leaving)).status).toBe(401);

  await proxy.restore();
  // Back by itself: B caches again, and a logout on A reaches it through Redis within a second.
  const after = await login('after-redis');
  await sleep(2500);
  for (let i = 0; i < 3; i++) await expectOk(call(b, 'GET', '/api/v1/me', undefined, after));
  await expectOk(call(a, 'POST', '/api/v1/auth/logout', {}, after));
  expect(await msUntil(401, () => call(b, 'GET', '/api/v1/me', undefined, after))).toBeLessThan(1000);
  const keys = await redis.client.keys(`${redis.keyPrefix}rl:*`);
  expect(keys.length).toBeGreaterThan(0);

  expect(await balancesMismatchingLedger(db.dataSource)).toEqual([]);
});
