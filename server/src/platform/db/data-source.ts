import fs from 'node:fs';
import path from 'node:path';
import mysql2 from 'mysql2';
import 'reflect-metadata';
import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { migrations } from './migrations';
import { keepStatementsOutOfOpenTurns } from './transaction';

/** The entity classes the DataSource maps (the app's list is server/src/entities.ts). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
export type EntityList = MixedList<Function | string | EntitySchema>;

export type DatabaseTarget =
  | { kind: 'sqlite'; file: string }
  | { kind: 'mysql'; url: string; poolSize?: number };

/**
 * One DataSource for both databases. Schema comes only from migrations (`synchronize` is off).
 * MySQL/MariaDB: UTC on the wire (`timezone: 'Z'`), utf8mb4, bounded waits so a dead database
 * answers 503 instead of hanging a request.
 */
export function createDataSource(target: DatabaseTarget, entities: EntityList): DataSource {
  const common = { entities, migrations, synchronize: false, logging: false } as const;
  let options: DataSourceOptions;
  if (target.kind === 'sqlite') {
    if (target.file !== ':memory:') fs.mkdirSync(path.dirname(target.file), { recursive: true });
    options = {
      ...common,
      type: 'better-sqlite3',
      database: target.file,
      enableWAL: target.file !== ':memory:',
      timeout: 5000,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('foreign_keys = ON');
      },
    };
  } else {
    options = {
      ...common,
      driver: mysql2WithReadCommitted,
      // mariadb:// selects TypeORM's MariaDB dialect (it reads MariaDB's column defaults right).
      type: target.url.startsWith('mariadb:') ? 'mariadb' : 'mysql',
      url: target.url,
      timezone: 'Z',
      charset: 'utf8mb4_unicode_ci',
      poolSize: target.poolSize ?? 10,
      connectTimeout: 5000,
      extra: {
        // TypeORM wraps driver errors itself; mysql2's per-query stack capture only costs CPU.
        trace: false,
        // Requests waiting for a pooled connection beyond this many are refused at once.
        queueLimit: 1000,
        enableKeepAlive: true,
      },
    };
  }
  return new DataSource(options);
}

/**
 * mysql2, with every pooled connection set to READ COMMITTED once when it is opened, instead of
 * a SET TRANSACTION round trip before each transaction (see withTransaction for why READ COMMITTED).
 */
const mysql2WithReadCommitted = Object.assign(Object.create(mysql2) as typeof mysql2, {
  createPool(config: mysql2.PoolOptions) {
    const pool = mysql2.createPool(config);
    pool.on('connection', (connection) => {
      connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
      // TypeORM sends every statement through connection.promise(), which in mysql2 3.x requires its
      // wrapper module and builds a new event-emitting wrapper on each call (about 3 % of a check-in's
      // CPU). The wrapper only forwards to the connection: one per pooled connection serves them all.
      const newWrapper = connection.promise.bind(connection);
      const wrapper = newWrapper();
      connection.promise = (promiseImpl?: PromiseConstructor) => (promiseImpl ? newWrapper(promiseImpl) : wrapper);
    });
    return pool;
  },
});

/** Opens the DataSource with the given entities and brings the schema up to date. */
export async function openDatabase(target: DatabaseTarget, entities: EntityList): Promise<DataSource> {
  const dataSource = createDataSource(target, entities);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  keepStatementsOutOfOpenTurns(dataSource);
  return dataSource;
}
