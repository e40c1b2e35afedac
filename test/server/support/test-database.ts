import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../../server/src/platform/db/data-source';
import { entities } from '../../../server/src/entities';

export interface TestDatabase {
  dataSource: DataSource;
  kind: 'sqlite' | 'mysql';
  close(): Promise<void>;
}

/** Set in CI (and by hand) to run the server suite on MariaDB/MySQL; then a failure to connect fails the tests. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL?.trim() || undefined;

/**
 * A fresh, migrated database for one test file: SQLite in memory by default, or a new database
 * created on the TEST_DATABASE_URL server and dropped afterwards.
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  if (!testDatabaseUrl) {
    const dataSource = await openDatabase({ kind: 'sqlite', file: ':memory:' }, entities);
    return { dataSource, kind: 'sqlite', close: () => dataSource.destroy() };
  }
  const serverUrl = new URL(testDatabaseUrl);
  const name = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection({ uri: serverUrl.toString() });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();

  const url = new URL(serverUrl.toString());
  url.pathname = `/${name}`;
  const dataSource = await openDatabase({ kind: 'mysql', url: url.toString(), poolSize: 20 }, entities);
  return {
    dataSource,
    kind: 'mysql',
    close: async () => {
      await dataSource.destroy();
      const cleanup = await mysql.createConnection({ uri: serverUrl.toString() });
      await cleanup.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await cleanup.end();
    },
  };
}
