import { withTransaction } from '../../../server/src/platform/db/transaction';
import { Member } from '../../../server/src/modules/identity/member.entity';
import { openTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/test-database';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

describe('the test database', () => {
  it('is the one TEST_DATABASE_URL names, never a silent fallback to SQLite', () => {
    const expected = !testDatabaseUrl ? 'better-sqlite3' : testDatabaseUrl.startsWith('mariadb:') ? 'mariadb' : 'mysql';
    expect(db.dataSource.options.type).toBe(expected);
  });

  it('has exactly the schema the entities describe: migrations and entities agree', async () => {
    const pending = await db.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('runs transactions at READ COMMITTED on MySQL/MariaDB (SQLite never reads uncommitted data)', async () => {
    const level = await withTransaction(db.dataSource, async (manager) =>
      db.kind === 'mysql'
        ? (await manager.query('SELECT @@tx_isolation AS level'))[0].level
        : (await manager.query('PRAGMA read_uncommitted'))[0].read_uncommitted,
    );
    expect(level).toBe(db.kind === 'mysql' ? 'READ-COMMITTED' : 0);
  });

  it('stores instants in UTC and reads them back unchanged', async () => {
    const instant = new Date('2026-03-01T15:59:59.123Z');
    await withTransaction(db.dataSource, (manager) =>
      manager.insert(Member, { openid: 'utc-check', createdAt: instant, lastLoginAt: instant }),
    );
    const member = await db.dataSource.manager.findOneByOrFail(Member, { openid: 'utc-check' });
    expect(member.createdAt.toISOString()).toBe('2026-03-01T15:59:59.123Z');
  });
});

describe('withTransaction', () => {
  const now = new Date();

  it('rolls back everything when the work fails', async () => {
    await expect(
      withTransaction(db.dataSource, async (manager) => {
        await manager.insert(Member, { openid: 'rolled-back', createdAt: now, lastLoginAt: now });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.dataSource.manager.countBy(Member, { openid: 'rolled-back' })).toBe(0);
  });

  it('retries the whole transaction from a fresh BEGIN on a deadlock, a bounded number of times', async () => {
    let attempts = 0;
    const result = await withTransaction(db.dataSource, async (manager) => {
      attempts++;
      await manager.insert(Member, { openid: `retried-${attempts}`, createdAt: now, lastLoginAt: now });
      if (attempts < 3) throw Object.assign(new Error('Deadlock found'), { code: 'ER_LOCK_DEADLOCK', errno: 1213 });
      return 'done';
    });
    expect({ result, attempts }).toEqual({ result: 'done', attempts: 3 });
    // The failed attempts left nothing behind.
    expect(await db.dataSource.manager.countBy(Member, { openid: 'retried-1' })).toBe(0);
    expect(await db.dataSource.manager.countBy(Member, { openid: 'retried-3' })).toBe(1);

    let forever = 0;
    await expect(
      withTransaction(db.dataSource, async () => {
        forever++;
        throw Object.assign(new Error('Lock wait timeout'), { code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 });
      }),
    ).rejects.toThrow('Lock wait timeout');
    expect(forever).toBe(4);
  });

  it('survives a real deadlock: two transactions locking two rows in opposite order both succeed', async () => {
    await withTransaction(db.dataSource, async (manager) => {
      await manager.insert(Member, [
        { openid: 'lock-a', nickname: '0', createdAt: now, lastLoginAt: now },
        { openid: 'lock-b', nickname: '0', createdAt: now, lastLoginAt: now },
      ]);
    });
    const bump = (first: string, second: string) =>
      withTransaction(db.dataSource, async (manager) => {
        for (const openid of [first, second]) {
          const row = await manager.findOne(Member, { where: { openid }, lock: db.kind === 'mysql' ? { mode: 'pessimistic_write' } : undefined });
          await manager.update(Member, { openid }, { nickname: String(Number(row!.nickname) + 1) });
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      });
    await Promise.all([bump('lock-a', 'lock-b'), bump('lock-b', 'lock-a')]);
    const rows = await db.dataSource.manager.find(Member, { where: [{ openid: 'lock-a' }, { openid: 'lock-b' }] });
    expect(rows.map((row) => row.nickname)).toEqual(['2', '2']);
  });

  it('keeps concurrent SQLite transactions apart (one connection: they take turns)', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        withTransaction(db.dataSource, async (manager) => {
          await manager.insert(Member, { openid: `turn-${i}`, createdAt: now, lastLoginAt: now });
          await new Promise((resolve) => setTimeout(resolve, 5));
          if (i % 2 === 1) throw new Error(`odd ${i} fails`);
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled', 'rejected']);
    const kept = await db.dataSource.manager.find(Member, { where: [0, 1, 2, 3, 4, 5, 6, 7].map((i) => ({ openid: `turn-${i}` })) });
    expect(kept.map((m) => m.openid).sort()).toEqual(['turn-0', 'turn-2', 'turn-4', 'turn-6']);
  });

  it('keeps a write made outside a transaction while another request\'s transaction is open and then rolls back', async () => {
    const at = new Date('2026-03-01T12:00:00Z');
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => (opened = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const failing = withTransaction(db.dataSource, async (manager) => {
      await manager.insert(Member, { openid: 'undone-with-its-transaction', createdAt: at, lastLoginAt: at });
      opened();
      await released;
      throw new Error('this request fails');
    });
    await Promise.race([isOpen, failing]);
    // Another request's plain write, sent while the transaction above is open.
    const outside = db.dataSource.manager.insert(Member, { openid: 'written-outside', createdAt: at, lastLoginAt: at });
    setTimeout(release, 20);
    await expect(failing).rejects.toThrow('this request fails');
    await outside;
    expect(await db.dataSource.manager.existsBy(Member, { openid: 'written-outside' })).toBe(true);
    expect(await db.dataSource.manager.existsBy(Member, { openid: 'undone-with-its-transaction' })).toBe(false);
  });
});
