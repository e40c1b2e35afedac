/**
 * Check-in throughput and latency: the real POST /api/v1/cohorts/:id/checkins against the raw mysql2
 * baseline on the same Koa instance, at 1, 16 and 64 connections. Every request is a different
 * member's first check-in of the day (a 409 would mean the member pool ran out).
 *
 * As in the app, each member opened it (its first screen asks GET /me, which reads their token)
 * minutes before posting: the members of the timed runs are warmed that way beforehand, so their
 * token comes from the server's token cache. One more run at 16 connections uses members never seen before (the
 * token read from the database), reported apart.
 */
import autocannon from 'autocannon';
import os from 'node:os';
import { addDays, enroll, log, profileDuring, seedCohort, seedMembers, sendJson, TODAY, type BenchDatabase, type BenchServer } from '../support';

export interface CheckinRun {
  target: 'real' | 'real-cold-token' | 'baseline' | 'raw-equivalent';
  connections: number;
  requests: number;
  durationSeconds: number;
  reqPerSec: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  /** The machine's 1-minute load average after the run (2 cores: above ~2, something else was busy too). */
  loadAfter: number;
}

export interface CheckinResult {
  poolMembers: number;
  runSeconds: number;
  runs: CheckinRun[];
  byConnections: Array<{ connections: number; real: CheckinRun; baseline: CheckinRun; throughputRatio: number }>;
  statementsPerRealCheckin: string[];
  /** At 16 connections: the real check-in's fast-path statements with raw mysql2 (no router, zod, TypeORM). */
  rawEquivalent16?: CheckinRun;
  /** At 16 connections, members whose token the server has not seen yet (one more statement). */
  coldToken16?: CheckinRun;
  /** Members warmed (the app opened: GET /me) before the timed runs, and how long that took. */
  warmed: { members: number; seconds: number };
}

const START_OFFSET_DAYS = 7; // today is day 8 of 21
const TEXT = 'Day 8: read the news article aloud twice and recorded it. New words: itinerary, commute.';

export async function benchCheckin(db: BenchDatabase, server: BenchServer, options: { seconds: number; connections: number[]; poolMembers: number }): Promise<CheckinResult> {
  const { pool } = db;
  const [operator] = (await seedMembers(pool, 'ck-op', 1, { roles: ['operator'] })).ids;
  const startDate = addDays(TODAY, -START_OFFSET_DAYS);
  const realCohort = await seedCohort(pool, { title: 'Bench real check-ins', startDate, durationDays: 21, createdBy: operator });
  const rawCohort = await seedCohort(pool, { title: 'Bench raw-equivalent check-ins', startDate, durationDays: 21, createdBy: operator });
  const baselineCohort = await seedCohort(pool, { title: 'Bench baseline check-ins', startDate, durationDays: 21, createdBy: operator });
  log(`check-in: seeding ${options.poolMembers} members`);
  const members = await seedMembers(pool, 'ck', options.poolMembers);
  await enroll(pool, realCohort, members.ids);
  await enroll(pool, baselineCohort, members.ids);
  await enroll(pool, rawCohort, members.ids);
  const dayIndex = START_OFFSET_DAYS + 1;

  // Members are handed out in order, separately for each endpoint; each is used once. The timed runs of
  // the real endpoint take theirs from the front of the pool (warmed first), the cold-token run from the back.
  const coldFrom = Math.floor(members.ids.length * 0.6);
  let nextReal = 0;
  let nextCold = coldFrom;
  let nextBaseline = 0;
  let nextRaw = 0;
  const body = JSON.stringify({ text: TEXT, imageUrls: [] });
  const checkinOf = (i: number) => ({
    method: 'POST',
    path: `/api/v1/cohorts/${realCohort}/checkins`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${members.tokens[i]}` },
    body,
  });
  const coldRequest = () => checkinOf(nextCold++ % members.ids.length);
  const realRequest = () => {
    // Past the warmed part of the pool members repeat (and get 409): the run then reports non2xx.
    const i = nextReal++ % coldFrom;
    return {
      method: 'POST',
      path: `/api/v1/cohorts/${realCohort}/checkins`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${members.tokens[i]}` },
      body,
    };
  };
  const baselineRequest = () => {
    const i = nextBaseline++ % members.ids.length;
    return {
      method: 'POST',
      path: `/bench/baseline-checkin?member=${members.ids[i]}&cohort=${baselineCohort}&day=${dayIndex}&date=${TODAY}`,
      headers: { 'content-type': 'application/json' },
      body,
    };
  };

  const rawRequest = () => {
    // Signed in as the real endpoint's cached token would say: the member id comes with the request.
    const i = nextRaw++ % members.ids.length;
    return {
      method: 'POST',
      path: `/bench/raw-equivalent-checkin?member=${members.ids[i]}&cohort=${rawCohort}&day=${dayIndex}&date=${TODAY}`,
      headers: { 'content-type': 'application/json' },
      body,
    };
  };

  // Every member of the warm runs opens the app first (outside the timed runs).
  const warmStarted = Date.now();
  let nextWarm = 0;
  const warm = await autocannon({
    url: server.baseUrl,
    connections: 16,
    amount: coldFrom,
    timeout: 30,
    requests: [{ method: 'GET', setupRequest: () => ({ method: 'GET', path: '/api/v1/me', headers: { authorization: `Bearer ${members.tokens[nextWarm++]}` } }) }],
  });
  if (warm.non2xx || warm.errors) throw new Error(`opening the app answered ${warm.non2xx} non-2xx and ${warm.errors} errors`);
  const warmed = { members: coldFrom, seconds: Math.round((Date.now() - warmStarted) / 100) / 10 };
  log(`check-in: ${warmed.members} members opened the app in ${warmed.seconds} s`);

  const run = async (target: CheckinRun['target'], connections: number, seconds: number): Promise<CheckinRun> => {
    const make = { real: realRequest, 'real-cold-token': coldRequest, baseline: baselineRequest, 'raw-equivalent': rawRequest }[target];
    const result = await autocannon({
      url: server.baseUrl,
      connections,
      duration: seconds,
      timeout: 30,
      requests: [{ method: 'POST', setupRequest: () => make() }],
    });
    return {
      target,
      connections,
      requests: result.requests.total,
      durationSeconds: result.duration,
      reqPerSec: Math.round(result.requests.total / result.duration),
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      loadAfter: Math.round(os.loadavg()[0] * 100) / 100,
    };
  };

  log('check-in: warming up both endpoints');
  await run('baseline', 16, 2);
  await run('real', 16, 2);

  // The statements behind one real check-in (one member, outside the timed runs; after the warm-up, as in them).
  // Requests of the warm-up the server has not finished yet would show in the log: let them end.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  await sendJson(`${server.baseUrl}/bench/query-log?on=1`, 'POST', null, {});
  const one = realRequest();
  const probe = await fetch(`${server.baseUrl}${one.path}`, { method: 'POST', headers: one.headers, body: one.body });
  if (probe.status !== 201) throw new Error(`check-in probe answered ${probe.status}: ${await probe.text()}`);
  const statements = ((await sendJson(`${server.baseUrl}/bench/query-log?on=0`, 'POST', null, {})).body as { statements: string[] }).statements;

  const runs: CheckinRun[] = [];
  const byConnections: CheckinResult['byConnections'] = [];
  for (const connections of options.connections) {
    // Baseline first, then the real endpoint, at the same table sizes give or take one run.
    const baseline = await run('baseline', connections, options.seconds);
    const real = (await profileDuring(server, `checkin-real-${connections}conn`, () => run('real', connections, options.seconds))).result;
    runs.push(baseline, real);
    byConnections.push({ connections, real, baseline, throughputRatio: Math.round((real.reqPerSec / baseline.reqPerSec) * 1000) / 1000 });
    log(`check-in ${connections} conn: real ${real.reqPerSec} req/s p99 ${real.p99} ms; baseline ${baseline.reqPerSec} req/s p99 ${baseline.p99} ms`);
  }
  const rawEquivalent16 = options.connections.includes(16) ? await run('raw-equivalent', 16, options.seconds) : undefined;
  if (rawEquivalent16) log(`check-in 16 conn: raw mysql2 with the real endpoint's fast-path statements ${rawEquivalent16.reqPerSec} req/s p99 ${rawEquivalent16.p99} ms`);
  const coldToken16 = options.connections.includes(16) ? await run('real-cold-token', 16, options.seconds) : undefined;
  if (coldToken16) log(`check-in 16 conn, tokens not cached: ${coldToken16.reqPerSec} req/s p99 ${coldToken16.p99} ms`);
  log(`check-in: used ${nextReal} warmed + ${nextCold - coldFrom} cold of ${members.ids.length} members, baseline ${nextBaseline}`);
  if (nextReal > coldFrom || nextCold > members.ids.length) log('check-in: WARNING the member pool ran out (members repeated: 409s)');
  return { poolMembers: members.ids.length, runSeconds: options.seconds, runs, byConnections, statementsPerRealCheckin: statements, rawEquivalent16, coldToken16, warmed };
}
