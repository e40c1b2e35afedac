import { balancesMismatchingLedger, openSharedDatabase, type SharedDatabase } from './support/database';
import { call, expectOk, startServerProcess, type ServerProcess } from './support/server-process';

/** `kill -9` a server in the middle of load: whatever was written is whole, nothing half-done. */
let db: SharedDatabase;
let first: ServerProcess;
let second: ServerProcess | null = null;
const STOCK = 30;

beforeAll(async () => {
  db = await openSharedDatabase();
});
afterAll(async () => {
  await first?.stop('SIGKILL');
  await second?.stop();
  await db?.close();
});

it('leaves no partial check-in, award, redemption or balance behind', async () => {
  const env = { DATA_DIR: db.dataDir, DATABASE_URL: db.databaseUrl, ALLOW_TEST_CLOCK: '1', OPERATOR_OPENIDS: 'ops', JOBS_ENABLED: '0' };
  first = await startServerProcess(env);
  const base = first.url;
  await expectOk(call(base, 'POST', '/api/v1/dev/clock', { now: '2026-03-01T10:00:00+08:00' }));
  const ops = (await expectOk(call(base, 'POST', '/api/v1/auth/wechat-login', { code: 'fake:ops' }))).token;
  const cohort = await expectOk(call(base, 'POST', '/api/v1/cohorts', { title: '崩溃', theme: 't', durationDays: 7, startDate: '2026-03-02' }, ops), 201);
  const product = await expectOk(call(base, 'POST', '/api/v1/mall/products', { name: '书签', pointsPrice: 10, stock: STOCK, kind: 'virtual' }, ops), 201);
  const members = await Promise.all(Array.from({ length: 60 }, async (_, i) => {
    const login = await expectOk(call(base, 'POST', '/api/v1/auth/wechat-login', { code: `fake:k${i}` }));
    await expectOk(call(base, 'POST', `/api/v1/cohorts/${cohort.id}/enrollments`, {}, login.token));
    await expectOk(call(base, 'POST', `/api/v1/admin/members/${login.member.id}/points`, { delta: 10, note: 'seed', requestId: `seed-${i}-0001` }, ops));
    return login.token as string;
  }));
  await expectOk(call(base, 'POST', '/api/v1/dev/clock', { now: '2026-03-02T09:00:00+08:00' }));

  // Fire everything at once and kill the server while it is working through it.
  const inFlight = members.flatMap((token, i) => [
    call(base, 'POST', `/api/v1/cohorts/${cohort.id}/checkins`, { text: 'crash test' }, token),
    call(base, 'POST', '/api/v1/mall/redemptions', { productId: product.id, quantity: 1, requestId: `crash-${i}-0001` }, token),
  ]);
  await new Promise((resolve) => setTimeout(resolve, 150));
  await first.stop('SIGKILL');
  const answers = await Promise.all(inFlight);
  expect(answers.some((a) => a.status === 0)).toBe(true); // some requests were cut off by the kill

  // Whole units only.
  const [{ n: checkins }] = await db.dataSource.query('SELECT COUNT(*) AS n FROM checkin');
  const [{ n: baseAwards }] = await db.dataSource.query("SELECT COUNT(*) AS n FROM points_ledger WHERE reason = 'checkin'");
  expect(Number(baseAwards)).toBe(Number(checkins));
  const [{ n: redemptions, q: redeemed }] = await db.dataSource.query("SELECT COUNT(*) AS n, COALESCE(SUM(quantity), 0) AS q FROM mall_redemption WHERE state <> 'cancelled'");
  const [{ n: spends }] = await db.dataSource.query("SELECT COUNT(*) AS n FROM points_ledger WHERE reason = 'redemption'");
  expect(Number(spends)).toBe(Number(redemptions));
  const [{ stock }] = await db.dataSource.query('SELECT stock FROM mall_product WHERE id = ?', [product.id]);
  expect(Number(stock) + Number(redeemed)).toBe(STOCK);
  expect(await balancesMismatchingLedger(db.dataSource)).toEqual([]);

  // A fresh instance carries on, and a client retrying its request gets a clean answer.
  second = await startServerProcess(env);
  await expectOk(call(second.url, 'POST', '/api/v1/dev/clock', { now: '2026-03-02T09:30:00+08:00' }));
  const retried = await Promise.all(members.slice(0, 10).map((token) => call(second!.url, 'POST', `/api/v1/cohorts/${cohort.id}/checkins`, { text: 'retry' }, token)));
  expect(retried.every((a) => a.status === 201 || a.body?.error?.code === 'CHECKIN_ALREADY_DONE')).toBe(true);
  expect(await balancesMismatchingLedger(db.dataSource)).toEqual([]);
});
