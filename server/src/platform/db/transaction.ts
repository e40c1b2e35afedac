import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import { isRetryableTransactionError } from './database-errors';

export interface TransactionOptions {
  /** How many times the whole transaction is tried at most (default 4). */
  attempts?: number;
}

/**
 * better-sqlite3 has one connection: TypeORM would nest a second concurrent transaction as a
 * SAVEPOINT inside the first. Transactions on SQLite therefore take turns, one at a time. A
 * statement sent from outside the turn while it is open would run inside its transaction (and be
 * undone with it), so it waits for the turn to end (see `keepStatementsOutOfOpenTurns`).
 */
const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();
const sqliteOpenTurn = new WeakMap<DataSource, Promise<unknown>>();
const insideTurn = new AsyncLocalStorage<DataSource>();

function runInSqliteTurn<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const turn = () => {
    const running = insideTurn.run(dataSource, work);
    const open = running.catch(() => undefined).finally(() => {
      if (sqliteOpenTurn.get(dataSource) === open) sqliteOpenTurn.delete(dataSource);
    });
    sqliteOpenTurn.set(dataSource, open);
    return running;
  };
  const mine = previous.then(turn, turn);
  sqliteQueues.set(
    dataSource,
    mine.catch(() => undefined),
  );
  return mine;
}

/**
 * SQLite only: every statement of the DataSource's one query runner that does not belong to the
 * open turn waits until that turn has ended (called once when the database is opened).
 */
export function keepStatementsOutOfOpenTurns(dataSource: DataSource): void {
  if (dataSource.options.type !== 'better-sqlite3') return;
  const runner = dataSource.createQueryRunner();
  const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  runner.query = (async (...args: unknown[]) => {
    for (let open = sqliteOpenTurn.get(dataSource); open && insideTurn.getStore() !== dataSource; open = sqliteOpenTurn.get(dataSource)) {
      await open;
    }
    return query(...args);
  }) as typeof runner.query;
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
