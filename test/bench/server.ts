/**
 * The server under benchmark, run as its own process (so the load generator in run.ts does not share
 * its event loop): the real app (createApp + createModules, fake WeChat, a SettableClock frozen at
 * BENCH_NOW, silent logger) on the database BENCH_DB_URL, plus two bench-only routes mounted in
 * front of createApp's middleware on the same Koa instance:
 *
 * - POST /bench/baseline-checkin?member=&cohort=&day=&date=  the minimal equivalent of a check-in
 *   with raw mysql2 (BEGIN; INSERT checkin; INSERT points_ledger; conditional UPDATE member_points;
 *   COMMIT), on a pool of the same size as the app's.
 * - POST /bench/raw-equivalent-checkin?member=&cohort=&day=&date=  the statements of the real check-in's
 *   fast path (issue 17) with raw mysql2, for a member whose token is cached: the framework's share.
 * - POST /bench/query-log?on=1|0  starts / stops recording the SQL the app sends (GET reads it), to
 *   count the statements behind one request.
 *
 * - POST /bench/profile?action=start|stop&file=  a V8 CPU profile of the server between the two calls.
 * - GET /bench/cpu  the CPU time the server process has used so far (ms), to subtract around a run.
 *
 * Tells the parent `{ port }` over IPC once listening; exits on SIGTERM or when the parent goes away.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import type { Server } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { Context, Next } from 'koa';
import mysql from 'mysql2/promise';
import { createApp, type AppDeps } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { createModules } from '../../server/src/modules';
import { SettableClock } from '../../server/src/platform/clock/clock';
import { openDatabase } from '../../server/src/platform/db/data-source';
import { entities } from '../../server/src/entities';
import { createLogger } from '../../server/src/platform/logger';
import { MemoryStorage } from '../server/support/memory-storage';
import { createWeChatAdapter } from '../../server/src/platform/wechat/wechat-adapter';

const databaseUrl = required('BENCH_DB_URL');
const poolSize = Number(process.env.BENCH_POOL_SIZE ?? 10);
const now = new Date(required('BENCH_NOW'));

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function readJson(ctx: Context): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
  return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
}

async function main() {
  // The data export is limited to a few a day per member: the benchmark samples one member 20 times.
  const config = loadConfig({ NODE_ENV: 'development', OPERATOR_OPENIDS: 'bench-operator', DATABASE_POOL_SIZE: String(poolSize), RATE_LIMIT_DATA_EXPORT: '1000/1m' });
  const dataSource = await openDatabase({ kind: 'mysql', url: databaseUrl, poolSize }, entities);
  const clock = new SettableClock();
  clock.set(now);
  const logger = createLogger('silent');
  const deps: AppDeps = {
    config,
    dataSource,
    logger,
    clock,
    wechat: createWeChatAdapter({ ...config.wechat, mode: 'fake' }, { mode: 'fake' }, clock, logger),
    storage: new MemoryStorage(),
  };
  const modules = createModules(deps);
  const app = createApp(deps, modules);

  // The baseline: the same three writes as a check-in, in one transaction, with raw mysql2.
  const pool = mysql.createPool({ uri: databaseUrl, connectionLimit: poolSize, timezone: 'Z', charset: 'utf8mb4_unicode_ci', enableKeepAlive: true });
  const baseline = async (ctx: Context) => {
    const memberId = Number(ctx.query.member);
    const cohortId = Number(ctx.query.cohort);
    const dayIndex = Number(ctx.query.day);
    const date = String(ctx.query.date);
    const body = await readJson(ctx);
    const at = clock.now();
    const connection = await pool.getConnection();
    try {
      await connection.query('START TRANSACTION');
      const [inserted] = await connection.query<mysql.ResultSetHeader>(
        `INSERT INTO checkin (cohort_id, member_id, day_index, business_date, text, image_keys, via_group, is_make_up, moderation, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 0, 0, 'pass', ?)`,
        [cohortId, memberId, dayIndex, date, String(body.text ?? ''), JSON.stringify(body.imageUrls ?? []), at],
      );
      const checkinId = inserted.insertId;
      await connection.query(
        `INSERT INTO points_ledger (member_id, delta, reason, ref_type, ref_id, idempotency_key, created_at)
         VALUES (?, 10, 'checkin', 'checkin', ?, ?, ?)`,
        [memberId, checkinId, `checkin:${checkinId}:base`, at],
      );
      const [moved] = await connection.query<mysql.ResultSetHeader>(
        'UPDATE member_points SET balance = balance + 10, updated_at = ? WHERE member_id = ? AND balance + 10 >= 0',
        [at, memberId],
      );
      if (moved.affectedRows !== 1) throw new Error('no balance row');
      await connection.query('COMMIT');
      ctx.status = 201;
      ctx.body = { id: checkinId };
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => undefined);
      ctx.status = (error as { code?: string }).code === 'ER_DUP_ENTRY' ? 409 : 500;
      ctx.body = { error: String((error as Error).message) };
    } finally {
      connection.release();
    }
  };

  /**
   * The statements of the real check-in's fast path (issue 17), with raw mysql2 and no Koa
   * router/zod/TypeORM, for a member whose token is cached (the member id comes in the query): the
   * one read before the transaction, then BEGIN, the claim of the day on the standing row (an
   * insert: it is the member's first check-in in the cohort), the check-in, its ledger line, the
   * balance by compare-and-set, COMMIT. The cohort comes from the cache. Splits the gap to the
   * baseline into "more statements" and "framework overhead".
   */
  const rawEquivalent = async (ctx: Context) => {
    const memberId = Number(ctx.query.member);
    const cohortId = Number(ctx.query.cohort);
    const dayIndex = Number(ctx.query.day);
    const date = String(ctx.query.date);
    const body = await readJson(ctx);
    const at = clock.now();
    const [standing] = await pool.query<mysql.RowDataPacket[]>(
      `SELECT m.id, m.openid, m.nickname, m.avatar_url, m.session_key, e.id AS enrollmentId, s.member_id AS standingOf, s.done_days, s.make_ups_used,
              s.streak_days, s.streak_last_day, p.balance,
              (SELECT COUNT(*) FROM referral r WHERE r.invitee_id = m.id AND r.cohort_id = ? AND r.first_checkin_at IS NULL) AS invited
       FROM member m
       LEFT JOIN enrollment e ON e.cohort_id = ? AND e.member_id = m.id AND e.left_at IS NULL
       LEFT JOIN cohort_standing s ON s.cohort_id = ? AND s.member_id = m.id
       LEFT JOIN member_points p ON p.member_id = m.id
       WHERE m.id = ?`,
      [cohortId, cohortId, cohortId, memberId],
    );
    const balance = Number(standing[0].balance);
    const connection = await pool.getConnection();
    try {
      await connection.query('START TRANSACTION');
      await connection.query(
        `INSERT INTO cohort_standing (cohort_id, member_id, points, points_at, streak_days, streak_last_day, streak_at, likes, likes_at, done_days, make_ups_used)
         VALUES (?, ?, 10, ?, 1, ?, ?, 0, NULL, ?, 0)`,
        [cohortId, memberId, at, dayIndex, at, 1 << (dayIndex - 1)],
      );
      const [inserted] = await connection.query<mysql.ResultSetHeader>(
        `INSERT INTO checkin (cohort_id, member_id, day_index, business_date, text, image_keys, audio_key, audio_seconds, via_group, is_make_up, moderation,
           created_at, reviewed_at, review_latency_seconds, featured, group_shared_at, like_count, comment_count)
         VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, 0, 0, 'pass', ?, NULL, NULL, 0, NULL, 0, 0)`,
        [cohortId, memberId, dayIndex, date, String(body.text ?? ''), JSON.stringify(body.imageUrls ?? []), at],
      );
      const checkinId = inserted.insertId;
      await connection.query(
        `INSERT INTO points_ledger (member_id, delta, reason, ref_type, ref_id, idempotency_key, note, actor_id, created_at) VALUES (?, 10, 'checkin', 'checkin', ?, ?, NULL, NULL, ?)`,
        [memberId, checkinId, `checkin:${checkinId}:base`, at],
      );
      const [moved] = await connection.query<mysql.ResultSetHeader>(
        'UPDATE member_points SET balance = ?, updated_at = ? WHERE member_id = ? AND balance = ?',
        [balance + 10, at, memberId, balance],
      );
      if (moved.affectedRows !== 1) throw new Error('balance moved meanwhile');
      await connection.query('COMMIT');
      ctx.status = 201;
      ctx.body = { id: checkinId, balance: balance + 10 };
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => undefined);
      ctx.status = (error as { code?: string }).code === 'ER_DUP_ENTRY' ? 409 : 500;
      ctx.body = { error: String((error as Error).message) };
    } finally {
      connection.release();
    }
  };

  // Statement capture for one request at a time (the logger sees every query TypeORM sends).
  let captured: string[] | null = null;
  const originalLogQuery = dataSource.logger.logQuery.bind(dataSource.logger);
  dataSource.logger.logQuery = (query, parameters, runner) => {
    if (captured) captured.push(query.replace(/\s+/g, ' ').trim());
    return originalLogQuery(query, parameters, runner);
  };

  // CPU profile of a window of the run (POST /bench/profile?action=start, then ?action=stop&file=…).
  const inspector = new Session();
  inspector.connect();
  const profile = async (ctx: Context) => {
    if (ctx.query.action === 'start') {
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
      await inspector.post('Profiler.start');
    } else {
      const { profile: result } = await inspector.post('Profiler.stop');
      fs.writeFileSync(String(ctx.query.file), JSON.stringify(result));
    }
    ctx.body = { ok: true };
  };

  const benchRoutes = async (ctx: Context, next: Next) => {
    if (!ctx.path.startsWith('/bench/')) return next();
    if (ctx.path === '/bench/profile' && ctx.method === 'POST') return profile(ctx);
    if (ctx.path === '/bench/cpu') {
      const { user, system } = process.cpuUsage();
      ctx.body = { ms: (user + system) / 1000 };
      return;
    }
    if (ctx.path === '/bench/baseline-checkin' && ctx.method === 'POST') return baseline(ctx);
    if (ctx.path === '/bench/raw-equivalent-checkin' && ctx.method === 'POST') return rawEquivalent(ctx);
    if (ctx.path === '/bench/query-log') {
      if (ctx.method === 'POST') captured = ctx.query.on === '1' ? [] : captured;
      ctx.body = { statements: captured ?? [] };
      if (ctx.method === 'POST' && ctx.query.on === '0') captured = null;
      return;
    }
    return next();
  };
  app.middleware.unshift(benchRoutes);

  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  server.keepAliveTimeout = 60_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    server.closeAllConnections();
    server.close();
    await pool.end().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void close());
  process.on('disconnect', () => void close());
  process.send?.({ port });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
