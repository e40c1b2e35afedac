import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../../server/src/platform/db/data-source';
import { entities } from '../../../server/src/entities';

export interface SharedDatabase {
  /** DATABASE_URL for the server processes. */
  databaseUrl: string;
  dataDir: string;
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * A fresh database on the TEST_DATABASE_URL server that several server processes share. These
 * tests need MySQL/MariaDB: several instances on one database is a MySQL deployment (SQLite is the
 * single-process, embedded default), and the faults they inject are a database server's.
 */
export async function openSharedDatabase(): Promise<SharedDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL?.trim();
  if (!serverUrl) throw new Error('The resilience tests need TEST_DATABASE_URL (e.g. mariadb://root@127.0.0.1:3306/test)');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkin-resilience-'));
  const name = `r_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection({ uri: serverUrl });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const dataSource = await openDatabase({ kind: 'mysql', url: url.toString() }, entities);
  return {
    databaseUrl: url.toString(),
    dataDir,
    dataSource,
    close: async () => {
      await dataSource.destroy();
      const cleanup = await mysql.createConnection({ uri: serverUrl });
      await cleanup.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await cleanup.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every member's balance equals the sum of their ledger lines, and none is negative. */
export async function balancesMismatchingLedger(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ memberId: number; balance: number | null; ledger: number | null }> = await dataSource.query(`
    SELECT m.id AS memberId, p.balance AS balance, (SELECT SUM(l.delta) FROM points_ledger l WHERE l.member_id = m.id) AS ledger
    FROM member m LEFT JOIN member_points p ON p.member_id = m.id`);
  return rows
    .filter((row) => Number(row.balance ?? 0) !== Number(row.ledger ?? 0) || Number(row.balance ?? 0) < 0)
    .map((row) => `member ${row.memberId}: balance ${row.balance}, ledger ${row.ledger}`);
}
