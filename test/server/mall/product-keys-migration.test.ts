import { executedMigrations, sqlInstant, undoMigrationsThrough } from '../support/migrations';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * Issue 17's migration takes the product's foreign key off the order and quota rows (its check
 * share-locked the product row for the whole purchase). The rows already there stay as they were,
 * and undoing it puts the keys back. Written with plain SQL: before it the entities do not match.
 */
let db: TestDatabase;
const MIGRATION = 'MallRowsWithoutProductKeys1764400000517';

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

async function productKeys(): Promise<string[]> {
  const runner = db.dataSource.createQueryRunner();
  try {
    const keys: string[] = [];
    for (const name of ['mall_redemption', 'mall_member_quota']) {
      const table = await runner.getTable(name);
      for (const key of table!.foreignKeys) if (key.referencedTableName.endsWith('mall_product')) keys.push(`${name}.${key.columnNames.join()}`);
    }
    return keys;
  } finally {
    await runner.release();
  }
}

it('keeps the orders and counters already there, and undoing it puts the keys back', async () => {
  await undoMigrationsThrough(db.dataSource, MIGRATION);
  expect(await productKeys()).toEqual(['mall_redemption.product_id', 'mall_member_quota.product_id']);

  const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
  const at = sqlInstant('2026-03-01T00:00:00Z');
  await q('INSERT INTO member (openid, created_at, last_login_at) VALUES (?, ?, ?)', ['buyer', at, at]);
  const memberId = Number((await q('SELECT id FROM member WHERE openid = ?', ['buyer']))[0].id);
  await q(
    `INSERT INTO mall_product (name, description, image_keys, points_price, stock, per_member_limit, active, kind, sort_order, created_by, created_at, updated_at)
     VALUES ('徽章', '', '[]', 10, 4, 2, 1, 'virtual', 0, ?, ?, ?)`,
    [memberId, at, at],
  );
  const productId = Number((await q('SELECT id FROM mall_product'))[0].id);
  await q(
    `INSERT INTO mall_redemption (member_id, product_id, request_id, product_name, kind, quantity, unit_price, points_total, state, created_at)
     VALUES (?, ?, 'before-the-migration', '徽章', 'virtual', 1, 10, 10, 'pending', ?)`,
    [memberId, productId, at],
  );
  await q('INSERT INTO mall_member_quota (member_id, product_id, redeemed) VALUES (?, ?, 1)', [memberId, productId]);

  await db.dataSource.runMigrations({ transaction: 'each' });
  expect(await executedMigrations(db.dataSource)).toContain(MIGRATION);
  expect(await productKeys()).toEqual([]);
  expect(await q('SELECT member_id, product_id, request_id, quantity FROM mall_redemption')).toEqual([
    { member_id: memberId, product_id: productId, request_id: 'before-the-migration', quantity: 1 },
  ]);
  expect(await q('SELECT member_id, product_id, redeemed FROM mall_member_quota')).toEqual([{ member_id: memberId, product_id: productId, redeemed: 1 }]);

  await db.dataSource.undoLastMigration({ transaction: 'each' });
  expect(await productKeys()).toEqual(['mall_redemption.product_id', 'mall_member_quota.product_id']);
  await db.dataSource.runMigrations({ transaction: 'each' });
  expect(await productKeys()).toEqual([]);
});
