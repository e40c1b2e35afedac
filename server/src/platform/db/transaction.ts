import type { DataSource, EntityManager } from 'typeorm';
import { isRetryableTransactionError } from './database-errors';

export interface TransactionOptions {
  /** How many times the whole transaction is tried at most (default 4). */
  attempts?: number;
}

/**
 * better-sqlite3 has one connection: TypeORM would nest a second concurrent transaction as a
 * SAVEPOINT inside the first. Transactions on SQLite therefore take turns, one at a time.
 */
const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

function runInSqliteTurn<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const mine = previous.then(work, work);
  sqliteQueues.set(
    dataSource,
    mine.catch(() => undefined),
  );
  return mine;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` in one transaction and hands it the transactional EntityManager: use only that manager
 * inside. On deadlock or lock-wait timeout the whole transaction is retried from a fresh BEGIN, a
 * bounded number of times, with a short jittered pause.
 */
export async function withTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 4;
  // MySQL/MariaDB connections run READ COMMITTED (set per connection in data-source.ts): every
  // statement sees the latest committed rows (a re-read after a duplicate-key "already exists"
  // finds the winner's row) and InnoDB takes no gap locks, which removes most deadlocks between
  // concurrent inserts. Correctness comes from unique keys, conditional updates and row locks.
  const runOnce = () => dataSource.transaction((manager) => work(manager));
  for (let attempt = 1; ; attempt++) {
    try {
      return dataSource.options.type === 'better-sqlite3'
        ? await runInSqliteTurn(dataSource, runOnce)
        : await runOnce();
    } catch (error) {
      if (attempt >= attempts || !isRetryableTransactionError(error)) throw error;
      await sleep(5 * attempt + Math.random() * 20);
    }
  }
}

/**
 * `lock` option for a row read that the transaction will write: FOR UPDATE on MySQL/MariaDB.
 * SQLite has no row locks (and needs none: its transactions already take turns, see above).
 */
export function lockForUpdate(manager: EntityManager): { mode: 'pessimistic_write' } | undefined {
  return manager.connection.options.type === 'better-sqlite3' ? undefined : { mode: 'pessimistic_write' };
}
