/** Shared pieces of the benchmarks: the database, the server process, bulk seeding, timing, stats. */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import mysql from 'mysql2/promise';

/** The business date `days` after `date`: the server's own calendar arithmetic. */
export { addDays } from '../../server/src/platform/clock/business-date';

export const ROOT = path.resolve(__dirname, '../..');

/** The instant the server's clock is frozen at: 10:00 in Shanghai. */
export const BENCH_NOW = '2026-03-22T02:00:00.000Z';
export const TODAY = '2026-03-22';

export interface BenchDatabase {
  name: string;
  url: string;
  /** A raw mysql2 pool on the bench database, for seeding and checks. */
  pool: mysql.Pool;
  drop(): Promise<void>;
}

export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = await mysql.createConnection({ uri: serverUrl });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = mysql.createPool({ uri: url.toString(), connectionLimit: 4, timezone: 'Z', charset: 'utf8mb4_unicode_ci', multipleStatements: false });
  return {
    name,
    url: url.toString(),
    pool,
    drop: async () => {
      await pool.end().catch(() => undefined);
      const cleanup = await mysql.createConnection({ uri: serverUrl });
      await cleanup.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await cleanup.end();
    },
  };
}

export interface BenchServer {
  baseUrl: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts test/bench/server.ts as a child process (it migrates the database) and waits for its port. */
export function startServer(databaseUrl: string, options: { poolSize?: number; cpuProfileDir?: string } = {}): Promise<BenchServer> {
  const execArgv = ['-r', '@swc-node/register'];
  if (options.cpuProfileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  const child = fork(path.join(__dirname, 'server.ts'), [], {
    cwd: ROOT,
    execArgv,
    env: { ...process.env, BENCH_DB_URL: databaseUrl, BENCH_NOW, BENCH_POOL_SIZE: String(options.poolSize ?? 10) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`bench server exited early (${code})`));
    child.once('exit', onExit);
    child.once('message', (message: { port: number }) => {
      child.off('exit', onExit);
      resolve({
        port: message.port,
        baseUrl: `http://127.0.0.1:${message.port}`,
        child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** Multi-row INSERTs of `rows` in chunks (thousands of rows per statement). */
export async function bulkInsert(
  pool: mysql.Pool,
  table: string,
  columns: string[],
  rows: unknown[][],
  chunk = 4000,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    await pool.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`, [part]);
  }
}

/** A bearer token the app accepts (only its hash is stored) and the auth_token row for it. */
export function tokenFor(memberId: number, expiresAt: Date, createdAt: Date): { token: string; row: unknown[] } {
  const token = `bench_${memberId}_${randomBytes(12).toString('base64url')}`;
  return { token, row: [createHash('sha256').update(token).digest('hex'), memberId, createdAt, expiresAt] };
}

export interface SeededMembers {
  ids: number[];
  tokens: string[];
}

/**
 * `count` members (openids `${prefix}-${i}`), each with a token, a zero balance row, and optional
 * roles. Returns ids and tokens in the same order.
 */
export async function seedMembers(pool: mysql.Pool, prefix: string, count: number, options: { roles?: string[]; balance?: number } = {}): Promise<SeededMembers> {
  const now = new Date(BENCH_NOW);
  const expires = new Date(now.getTime() + 365 * 86_400_000);
  const memberRows = Array.from({ length: count }, (_, i) => [`${prefix}-${i}`, `${prefix} ${i}`, now, now]);
  await bulkInsert(pool, 'member', ['openid', 'nickname', 'created_at', 'last_login_at'], memberRows);
  const [found] = await pool.query<mysql.RowDataPacket[]>('SELECT id, openid FROM member WHERE openid LIKE ? ORDER BY id', [`${prefix}-%`]);
  const idByOpenid = new Map(found.map((row) => [String(row.openid), Number(row.id)]));
  const ids = memberRows.map((row) => idByOpenid.get(String(row[0]))!);
  const tokens: string[] = [];
  const tokenRows: unknown[][] = [];
  for (const id of ids) {
    const { token, row } = tokenFor(id, expires, now);
    tokens.push(token);
    tokenRows.push(row);
  }
  await bulkInsert(pool, 'auth_token', ['token_hash', 'member_id', 'created_at', 'expires_at'], tokenRows);
  await bulkInsert(pool, 'member_points', ['member_id', 'balance', 'updated_at'], ids.map((id) => [id, options.balance ?? 0, now]));
  if (options.balance) {
    await bulkInsert(
      pool,
      'points_ledger',
      ['member_id', 'delta', 'reason', 'idempotency_key', 'note', 'created_at'],
      ids.map((id) => [id, options.balance, 'adjustment', `bench-seed:${id}`, 'bench seed', now]),
    );
  }
  for (const role of options.roles ?? []) {
    await bulkInsert(pool, 'member_role', ['member_id', 'role', 'granted_at'], ids.map((id) => [id, role, now]));
  }
  return { ids, tokens };
}

/** A cohort row written directly (the API refuses a start date in the past). Returns its id. */
export async function seedCohort(
  pool: mysql.Pool,
  input: { title: string; startDate: string; durationDays: number; createdBy: number },
): Promise<number> {
  const [result] = await pool.query<mysql.ResultSetHeader>(
    `INSERT INTO cohort (title, theme, duration_days, start_date, base_points, group_bonus_points, streak_bonus_points,
       completion_bonus_points, make_up_cost, make_up_limit, created_by, created_at)
     VALUES (?, 'spoken-english', ?, ?, 10, 10, 30, 50, 20, 2, ?, ?)`,
    [input.title, input.durationDays, input.startDate, input.createdBy, new Date(BENCH_NOW)],
  );
  return result.insertId;
}

export async function enroll(pool: mysql.Pool, cohortId: number, memberIds: number[], leftShare = 0): Promise<void> {
  const joined = new Date(new Date(BENCH_NOW).getTime() - 30 * 86_400_000);
  const left = new Date(new Date(BENCH_NOW).getTime() - 5 * 86_400_000);
  await bulkInsert(
    pool,
    'enrollment',
    ['cohort_id', 'member_id', 'joined_at', 'left_at'],
    memberIds.map((id, i) => [cohortId, id, joined, leftShare > 0 && i % Math.round(1 / leftShare) === 0 ? left : null]),
  );
}


export interface Timing {
  n: number;
  min: number;
  median: number;
  p95: number;
  max: number;
  mean: number;
}

export function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    n: sorted.length,
    min: round(sorted[0]),
    median: round(at(0.5)),
    p95: round(at(0.95)),
    max: round(sorted[sorted.length - 1]),
    mean: round(sorted.reduce((s, x) => s + x, 0) / sorted.length),
  };
}

/** Times `n` sequential calls of `fn` (after `warmup` untimed calls), in milliseconds. */
export async function timeSequential(n: number, warmup: number, fn: () => Promise<void>): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return summarize(samples);
}

export async function getJson(url: string, token: string): Promise<{ status: number; body: unknown; bytes: number }> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, bytes: Buffer.byteLength(text) };
}

export async function sendJson(
  url: string,
  method: string,
  token: string | null,
  body: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of many shapes, read by the parts
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(url, { method, headers, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

export const log = (...args: unknown[]) => console.error('[bench]', ...args);

/** Where --profile puts CPU profiles (null: not profiling). */
export const profiling: { dir: string | null } = { dir: null };

/** Runs `fn` while the server records a CPU profile (when --profile is on); returns the file too. */
export async function profileDuring<T>(server: BenchServer, name: string, fn: () => Promise<T>): Promise<{ result: T; file: string | null }> {
  if (!profiling.dir) return { result: await fn(), file: null };
  const file = path.join(profiling.dir, `${name}.cpuprofile`);
  await sendJson(`${server.baseUrl}/bench/profile?action=start`, 'POST', null, {});
  try {
    return { result: await fn(), file };
  } finally {
    await sendJson(`${server.baseUrl}/bench/profile?action=stop&file=${encodeURIComponent(file)}`, 'POST', null, {});
  }
}
