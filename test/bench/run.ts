/**
 * `npm run bench [-- part ...]`: the benchmarks of DESIGN §2 (not part of `npm test`).
 *
 * Parts: checkin, rush, reads, privacy, miniprogram (default: all). Options: --profile (the server writes a
 * V8 CPU profile to bench-results/profiles and the hottest functions are printed), --quick (short
 * runs, for trying the harness). A fresh MariaDB database is created on BENCH_DATABASE_URL (default
 * mariadb://root@127.0.0.1:3306/test) and dropped at the end. Prints a table with each target and
 * PASS/MISS, and writes every figure to bench-results/bench-<timestamp>.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchCheckin, type CheckinResult } from './parts/checkin';
import { benchMiniprogram, type MiniprogramResult } from './parts/miniprogram';
import { benchPrivacy, type PrivacyResult } from './parts/privacy';
import { benchReads, type ReadsResult } from './parts/reads';
import { benchRush, type RushResult } from './parts/rush';
import { hottestFunctions } from './profile';
import { createBenchDatabase, log, profiling, ROOT, startServer, type BenchDatabase, type BenchServer } from './support';

const PARTS = ['checkin', 'rush', 'reads', 'privacy', 'miniprogram'] as const;
type Part = (typeof PARTS)[number];

interface Results {
  checkin?: CheckinResult;
  rush?: RushResult;
  reads?: ReadsResult;
  privacy?: PrivacyResult;
  miniprogram?: MiniprogramResult;
}

interface Target {
  part: Part;
  what: string;
  target: string;
  measured: string;
  pass: boolean;
}

async function main() {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const profile = args.includes('--profile');
  const unknown = args.filter((a) => !a.startsWith('--') && !PARTS.includes(a as Part));
  if (unknown.length) throw new Error(`unknown part(s) ${unknown.join(', ')}; parts are ${PARTS.join(', ')}`);
  const selected = PARTS.filter((p) => args.includes(p));
  const parts: Part[] = selected.length ? selected : [...PARTS];
  const serverUrl = process.env.BENCH_DATABASE_URL?.trim() || 'mariadb://root@127.0.0.1:3306/test';

  const resultsDir = path.join(ROOT, 'bench-results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const profileDir = profile ? path.join(resultsDir, 'profiles', stamp) : undefined;
  if (profileDir) {
    fs.mkdirSync(profileDir, { recursive: true });
    profiling.dir = profileDir;
  }

  const started = Date.now();
  const results: Results = {};
  const needsServer = parts.some((p) => p !== 'miniprogram');
  let db: BenchDatabase | null = null;
  let server: BenchServer | null = null;
  try {
    if (needsServer) {
      db = await createBenchDatabase(serverUrl);
      log(`database ${db.name}`);
      server = await startServer(db.url, { poolSize: 10 });
      log(`server on ${server.baseUrl}`);
    }
    for (const part of parts) {
      const partStarted = Date.now();
      if (part === 'checkin') {
        results.checkin = await benchCheckin(db!, server!, {
          seconds: quick ? 2 : 6,
          connections: [1, 16, 64],
          poolMembers: quick ? 8000 : 40000,
        });
      } else if (part === 'rush') {
        results.rush = await benchRush(db!, server!, { members: 500 });
      } else if (part === 'reads') {
        results.reads = await benchReads(db!, server!, { members: quick ? 2000 : 10_000, days: 21, samples: 30 });
      } else if (part === 'privacy') {
        results.privacy = await benchPrivacy(db!, server!, { othersPerCohort: quick ? 50 : 300, samples: quick ? 5 : 20 });
      } else if (part === 'miniprogram') {
        results.miniprogram = await benchMiniprogram();
      }
      log(`${part} took ${((Date.now() - partStarted) / 1000).toFixed(1)} s`);
    }
  } finally {
    await server?.stop();
    if (process.env.BENCH_KEEP_DB === '1') log(`kept database ${db?.name} (BENCH_KEEP_DB=1)`);
    else await db?.drop().catch((error) => log('could not drop the database:', error));
  }

  const profileSummary: Record<string, ReturnType<typeof hottestFunctions>> = {};
  if (profileDir) {
    for (const file of fs.readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) {
      const summary = hottestFunctions(path.join(profileDir, file), 25);
      profileSummary[file] = summary;
      console.log(`\nCPU profile of the server during ${file} (busy ${summary.busyMs} of ${summary.totalMs} ms), top self time:`);
      for (const row of summary.top) console.log(`  ${row.selfPercent.toFixed(1).padStart(5)} %  ${row.name}  ${row.where}`);
      console.log('  by area:', summary.byArea.map((a) => `${a.area} ${a.percent.toFixed(1)} %`).join(', '));
    }
  }

  const targets = evaluate(results);
  printTables(results, targets);
  const file = path.join(resultsDir, `bench-${stamp}.json`);
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
  fs.writeFileSync(
    file,
    JSON.stringify({ startedAt: new Date(started).toISOString(), seconds: (Date.now() - started) / 1000, quick, machine, parts, targets, results, profile: profileSummary }, null, 2),
  );
  console.log(`\nFigures written to ${path.relative(ROOT, file)} (${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
}

function evaluate(results: Results): Target[] {
  const targets: Target[] = [];
  const c16 = results.checkin?.byConnections.find((row) => row.connections === 16);
  if (c16) {
    targets.push({
      part: 'checkin', what: 'check-in throughput vs raw mysql2 baseline @16 conn', target: '>= 45 %',
      measured: `${(c16.throughputRatio * 100).toFixed(0)} % (${c16.real.reqPerSec} / ${c16.baseline.reqPerSec} req/s)`,
      pass: c16.throughputRatio >= 0.45,
    });
    targets.push({ part: 'checkin', what: 'check-in p99 @16 conn', target: '< 50 ms', measured: `${c16.real.p99} ms`, pass: c16.real.p99 < 50 });
  }
  if (results.rush) {
    const r = results.rush;
    targets.push({
      part: 'rush', what: `redemption rush ${r.members} members x2, stock ${r.stock}: correct`, target: 'stock 0, balances = ledger, none < 0',
      measured: `${r.redeemedMembers} redeemed, stock ${r.finalStock}, ${r.balanceMismatches} mismatches, ${r.negativeBalances} negative`,
      pass: r.correct,
    });
    targets.push({ part: 'rush', what: 'redemption rush wall time', target: '< 1.5 s', measured: `${r.wallMs} ms`, pass: r.wallMs < 1500 });
    targets.push({ part: 'rush', what: 'redemption rush request latency, median', target: '< 1 s', measured: `${r.latency.median} ms`, pass: r.latency.median < 1000 });
  }
  if (results.reads) {
    const r = results.reads;
    targets.push({ part: 'reads', what: 'cohort metrics (10k x 21), median', target: '< 300 ms', measured: `${r.metrics.median} ms (p95 ${r.metrics.p95})`, pass: r.metrics.median < 300 });
    targets.push({ part: 'reads', what: 'review queue first page, median', target: '< 50 ms', measured: `${r.queueFirst.median} ms (p95 ${r.queueFirst.p95})`, pass: r.queueFirst.median < 50 });
    targets.push({ part: 'reads', what: 'review queue deep page (after=), median', target: '< 50 ms', measured: `${r.queueDeep.median} ms (p95 ${r.queueDeep.p95})`, pass: r.queueDeep.median < 50 });
    for (const by of ['points', 'streak', 'likes'] as const) {
      const timing = r.leaderboard[by];
      targets.push({ part: 'reads', what: `leaderboard by ${by} (10k x 21, my rank counted), median`, target: '< 50 ms', measured: `${timing.median} ms (p95 ${timing.p95})`, pass: timing.median < 50 });
    }
    targets.push({ part: 'reads', what: 'cohort members, filtered page (streak >= 7 + tag), median', target: '< 100 ms', measured: `${r.membersFiltered.median} ms (p95 ${r.membersFiltered.p95})`, pass: r.membersFiltered.median < 100 });
    targets.push({ part: 'reads', what: `cohort members export, ${r.exportRows} rows CSV, median`, target: '< 2 s', measured: `${r.exportCsv.median} ms (XLSX ${r.exportXlsx.median} ms)`, pass: r.exportCsv.median < 2000 });
  }
  if (results.privacy) {
    const p = results.privacy;
    targets.push({
      part: 'privacy', what: `data export of a heavy member (${p.rows.memberCheckins} check-ins, ${p.rows.memberUploads} photos), median`, target: '< 2 s',
      measured: `${p.exportTiming.median} ms (p95 ${p.exportTiming.p95}; raw SQL baseline ${p.baseline.median} ms)`, pass: p.exportTiming.median < 2000,
    });
  }
  if (results.miniprogram?.mainBytes !== undefined) {
    const kb = results.miniprogram.mainBytes / 1024;
    targets.push({ part: 'miniprogram', what: 'main package size', target: '< 1.5 MB', measured: `${kb.toFixed(1)} KB`, pass: results.miniprogram.mainBytes < 1.5 * 1024 * 1024 });
  }
  return targets;
}

function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

function printTables(results: Results, targets: Target[]) {
  if (results.checkin) {
    console.log('\nCheck-in (autocannon, distinct members, %d s per run)', results.checkin.runSeconds);
    console.log(
      table(
        ['conn', 'endpoint', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'non-2xx', 'ratio', 'load 1m'],
        results.checkin.byConnections.flatMap((row) => [
          [row.connections, 'baseline (raw mysql2)', row.baseline.reqPerSec, row.baseline.p50, row.baseline.p90, row.baseline.p99, row.baseline.max, row.baseline.non2xx + row.baseline.errors, '', row.baseline.loadAfter],
          [row.connections, 'POST /cohorts/:id/checkins', row.real.reqPerSec, row.real.p50, row.real.p90, row.real.p99, row.real.max, row.real.non2xx + row.real.errors, `${(row.throughputRatio * 100).toFixed(0)} %`, row.real.loadAfter],
        ]),
      ),
    );
    console.log(`${results.checkin.warmed.members} members opened the app (GET /me) before the timed runs, in ${results.checkin.warmed.seconds} s`);
    console.log(`SQL statements per real check-in (token cached): ${results.checkin.statementsPerRealCheckin.length} (baseline: 5 incl. BEGIN/COMMIT)`);
    const raw = results.checkin.rawEquivalent16;
    if (raw) {
      const real16 = results.checkin.byConnections.find((row) => row.connections === 16)?.real;
      const share = real16 ? ` — the framework (Koa, router, zod, TypeORM, the app's own code) keeps ${((real16.reqPerSec / raw.reqPerSec) * 100).toFixed(0)} % of it` : '';
      console.log(`@16 conn: the real check-in's ${results.checkin.statementsPerRealCheckin.length} statements with raw mysql2 (no router/zod/TypeORM): ${raw.reqPerSec} req/s, p50 ${raw.p50} ms, p99 ${raw.p99} ms${share}`);
    }
    const cold = results.checkin.coldToken16;
    if (cold) {
      console.log(`@16 conn, members whose token was not cached yet (one more statement): ${cold.reqPerSec} req/s, p50 ${cold.p50} ms, p99 ${cold.p99} ms`);
    }
  }
  if (results.privacy) {
    const p = results.privacy;
    console.log(`\nData export: ${p.cohorts} cohorts x 21 days, ${p.othersPerCohort} other members each (${p.rows.checkins} check-ins, ${p.rows.uploads} uploads); the member: ${p.rows.memberCheckins} check-ins, ${p.rows.memberUploads} photos, ${p.rows.memberLedger} ledger lines`);
    console.log(
      table(
        ['request', 'min ms', 'median ms', 'p95 ms', 'max ms', 'bytes'],
        [
          ['GET /me/data-export', p.exportTiming.min, p.exportTiming.median, p.exportTiming.p95, p.exportTiming.max, p.bytes],
          ['baseline: the same tables by raw SQL, serialized', p.baseline.min, p.baseline.median, p.baseline.p95, p.baseline.max, ''],
        ],
      ),
    );
  }
  if (results.rush) {
    const r = results.rush;
    console.log(`\nRedemption rush: ${r.members} members x 2 identical requests, stock ${r.stock}, ${r.requests} requests at once`);
    console.log(
      table(
        ['wall ms', 'statuses', 'outcomes', 'final stock', 'redeemed members', 'balance = ledger', 'negative'],
        [[r.wallMs, Object.entries(r.statuses).map(([k, v]) => `${k}:${v}`).join(' '), Object.entries(r.outcomes).map(([k, v]) => `${k}:${v}`).join(' '), r.finalStock, r.redeemedMembers, r.balanceMismatches === 0 ? 'yes' : `NO (${r.balanceMismatches})`, r.negativeBalances]],
      ),
    );
    console.log(`request latency: median ${r.latency.median} ms, p95 ${r.latency.p95} ms, max ${r.latency.max} ms; server CPU ${r.serverCpuMs} ms; load ${r.loadAfter}`);
    const { bought, replayed, soldOut } = r.statements;
    console.log(`SQL statements per redemption (incl. BEGIN/COMMIT, token cached): bought ${bought.length}, replayed ${replayed.length}, sold out ${soldOut.length}`);
    for (const [kind, list] of Object.entries(r.statements)) console.log(`  ${kind}:\n${list.map((s) => `    ${s.slice(0, 160)}`).join('\n')}`);
  }
  if (results.reads) {
    const r = results.reads;
    console.log(`\nReads at scale: ${r.members} members x ${r.days} days (${r.rows.checkins} check-ins, ${r.rows.reviews} reviewed, ${r.rows.pending} in the queue, ${r.rows.likes} likes, ${r.rows.comments} comments), ${r.metrics.n} sequential requests each`);
    console.log(
      table(
        ['request', 'min ms', 'median ms', 'p95 ms', 'max ms', 'bytes'],
        [
          ['GET /teacher/review-queue', r.queueFirst.min, r.queueFirst.median, r.queueFirst.p95, r.queueFirst.max, r.bytes.queueFirst],
          [`GET /teacher/review-queue?after=${r.deepCursor}`, r.queueDeep.min, r.queueDeep.median, r.queueDeep.p95, r.queueDeep.max, r.bytes.queueDeep],
          ['GET /cohorts/:id/metrics', r.metrics.min, r.metrics.median, r.metrics.p95, r.metrics.max, r.bytes.metrics],
          ...(['points', 'streak', 'likes'] as const).map((by) => {
            const timing = r.leaderboard[by];
            return [`GET /cohorts/:id/leaderboard?by=${by}`, timing.min, timing.median, timing.p95, timing.max, r.bytes.leaderboard];
          }),
          ['baseline: points board summed from the ledger (SQL only)', r.leaderboardFromLedger.min, r.leaderboardFromLedger.median, r.leaderboardFromLedger.p95, r.leaderboardFromLedger.max, ''],
          ['GET /cohorts/:id/members?segment=streak&minStreak=7&tag=', r.membersFiltered.min, r.membersFiltered.median, r.membersFiltered.p95, r.membersFiltered.max, r.bytes.membersFiltered],
          ['GET /cohorts/:id/members?segment=missed-today&offset=30 %', r.membersDeep.min, r.membersDeep.median, r.membersDeep.p95, r.membersDeep.max, ''],
          [`GET /cohorts/:id/members?format=csv (${r.exportRows} rows)`, r.exportCsv.min, r.exportCsv.median, r.exportCsv.p95, r.exportCsv.max, r.bytes.exportCsv],
          [`GET /cohorts/:id/members?format=xlsx (${r.exportRows} rows)`, r.exportXlsx.min, r.exportXlsx.median, r.exportXlsx.p95, r.exportXlsx.max, r.bytes.exportXlsx],
        ],
      ),
    );
  }
  if (results.miniprogram) {
    const m = results.miniprogram;
    console.log('\nMini Program');
    console.log(table(['package', 'size'], m.packages.map((p) => [p.name, `${(p.bytes / 1024).toFixed(1)} KB`])));
    if (m.setData.length) {
      console.log(table(['page', 'scenario', 'setData calls', 'largest payload', 'total'], m.setData.map((p) => [p.page, p.scenario, p.calls, `${(p.largestBytes / 1024).toFixed(1)} KB`, `${(p.totalBytes / 1024).toFixed(1)} KB`])));
    }
    for (const note of m.notes) console.log(`note: ${note}`);
  }
  console.log('\nTargets');
  console.log(table(['part', 'what', 'target', 'measured', ''], targets.map((t) => [t.part, t.what, t.target, t.measured, t.pass ? 'PASS' : 'MISS'])));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
