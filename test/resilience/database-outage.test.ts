import { balancesMismatchingLedger, openSharedDatabase, type SharedDatabase } from './support/database';
import { call, expectOk, startServerProcess, type JsonAnswer, type ServerProcess } from './support/server-process';
import { TcpProxy } from './support/tcp-proxy';

/**
 * The database stops in the middle of load: requests fail fast with 503 DATABASE_UNAVAILABLE (no
 * hang), the server recovers by itself when the database is back, and afterwards every balance
 * still equals its ledger.
 */
let db: SharedDatabase;
let proxy: TcpProxy;
let server: ServerProcess;

beforeAll(async () => {
  db = await openSharedDatabase();
  const target = new URL(db.databaseUrl);
  proxy = new TcpProxy(target.hostname, Number(target.port || 3306));
  await proxy.start();
  const viaProxy = new URL(db.databaseUrl);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  server = await startServerProcess({
    DATA_DIR: db.dataDir, DATABASE_URL: viaProxy.toString(), DATABASE_POOL_SIZE: '8',
    ALLOW_TEST_CLOCK: '1', OPERATOR_OPENIDS: 'ops', JOBS_ENABLED: '0',
  });
});
afterAll(async () => {
  await server?.stop();
  await proxy?.stop();
  await db?.close();
});

it('answers 503 quickly while the database is down and recovers by itself', async () => {
  const base = server.url;
  await expectOk(call(base, 'POST', '/api/v1/dev/clock', { now: '2026-03-01T10:00:00+08:00' }));
  const ops = (await expectOk(call(base, 'POST', '/api/v1/auth/wechat-login', { code: 'fake:ops' }))).token;
  const cohort = await expectOk(call(base, 'POST', '/api/v1/cohorts', { title: '断库', theme: 't', durationDays: 7, startDate: '2026-03-02' }, ops), 201);
  const members = await Promise.all(Array.from({ length: 40 }, async (_, i) => {
    const login = await expectOk(call(base, 'POST', '/api/v1/auth/wechat-login', { code: `fake:o${i}` }));
    await expectOk(call(base, 'POST', `/api/v1/cohorts/${cohort.id}/enrollments`, {}, login.token));
    return { id: login.member.id as number, token: login.token as string };
  }));
  await expectOk(call(base, 'POST', '/api/v1/dev/clock', { now: '2026-03-02T09:00:00+08:00' }));

  // Load: check-ins and points adjustments, in waves, while the database goes down and comes back.
  const answers: JsonAnswer[] = [];
  let wave = 0;
  const load = async (until: number) => {
    while (Date.now() < until) {
      const batch = members.slice((wave * 5) % 40, ((wave * 5) % 40) + 5);
      wave++;
      answers.push(...(await Promise.all(batch.flatMap((m) => [
        call(base, 'POST', `/api/v1/cohorts/${cohort.id}/checkins`, { text: 'hi' }, m.token),
        call(base, 'POST', `/api/v1/admin/members/${m.id}/points`, { delta: 5, note: 'load', requestId: `load-${wave}-${m.id}` }, ops),
      ]))));
    }
  };
  const started = Date.now();
  const running = load(started + 4000);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await proxy.cut();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const duringOutage = await call(base, 'GET', '/healthz');
  await proxy.restore();
  await running;

  expect(duringOutage).toMatchObject({ status: 503, body: { error: { code: 'DATABASE_UNAVAILABLE' } } });
  expect(duringOutage.ms).toBeLessThan(6000);
  const unexpected = answers.filter((a) => ![200, 201, 409, 503].includes(a.status));
  expect(unexpected.map((a) => `${a.status} ${JSON.stringify(a.body)}`)).toEqual([]);
  const unavailable = answers.filter((a) => a.status === 503);
  expect(unavailable.length).toBeGreaterThan(0);
  expect(unavailable.every((a) => a.body.error.code === 'DATABASE_UNAVAILABLE')).toBe(true);
  expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(10_000);

  // Back by itself: no restart.
  let healthy: JsonAnswer | null = null;
  for (let i = 0; i < 50 && healthy?.status !== 200; i++) {
    healthy = await call(base, 'GET', '/healthz');
    if (healthy.status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(healthy?.status).toBe(200);
  await expectOk(call(base, 'POST', '/api/v1/dev/clock', { now: '2026-03-03T09:00:00+08:00' }));
  await expectOk(call(base, 'POST', `/api/v1/cohorts/${cohort.id}/checkins`, { text: 'after' }, members[0].token), 201);

  expect(await balancesMismatchingLedger(db.dataSource)).toEqual([]);
  const [{ n: orphanCheckins }] = await db.dataSource.query(
    "SELECT COUNT(*) AS n FROM checkin c WHERE NOT EXISTS (SELECT 1 FROM points_ledger l WHERE l.ref_type = 'checkin' AND l.ref_id = c.id)",
  );
  expect(Number(orphanCheckins)).toBe(0);
});
