/**
 * Reads at scale: one cohort of `members` members on its last day (`days` days of check-ins, seeded
 * with bulk multi-row INSERTs), about 70 % of check-ins reviewed, a teacher, likes and comments, offers
 * with views and paid orders. Then N sequential requests each of the teacher's review queue (first page and a deep
 * page through `after`) and the operator's cohort metrics, plus direct timings of the statements
 * behind them (to say where the time goes).
 */
import { randomBytes } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { lastRun } from '../../../server/src/modules/checkin/streak';
import {
  addDays, BENCH_NOW, bulkInsert, enroll, getJson, log, seedCohort, seedMembers, timeSequential, TODAY,
  type BenchDatabase, type BenchServer, type Timing,
} from '../support';

export interface ReadsResult {
  members: number;
  days: number;
  seedSeconds: number;
  rows: { checkins: number; reviews: number; pending: number; ledger: number; paidOrders: number; offerViews: number; likes: number; comments: number };
  deepCursor: number;
  queueFirst: Timing;
  queueDeep: Timing;
  metrics: Timing;
  /** GET /cohorts/:id/leaderboard?by=… as a member ranked below the top 50 (so "me" is counted). */
  leaderboard: { points: Timing; streak: Timing; likes: Timing };
  /** Baseline: the points board added up from the ledger and check-ins in SQL, without standings. */
  leaderboardFromLedger: Timing;
  /** GET /cohorts/:id/members: a filtered page (streak of 7+ days and a tag), and a deep page of a segment. */
  membersFiltered: Timing;
  membersDeep: Timing;
  /** The whole cohort (every member) as a streamed CSV / XLSX download. */
  exportCsv: Timing;
  exportXlsx: Timing;
  exportRows: number;
  bytes: { queueFirst: number; queueDeep: number; metrics: number; leaderboard: number; membersFiltered: number; exportCsv: number; exportXlsx: number };
}

/** A small deterministic PRNG (mulberry32), so every run seeds the same data. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
/** The instant of `hour` (may be fractional) local Shanghai time on `date`. */
const localInstant = (date: string, hour: number) => new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS + hour * 3600_000);

const texts = [
  'Read the dialogue aloud three times, recorded the last one. Struggled with the th sound.',
  '今天朗读了第三课，跟读了两遍，录音发在下面。',
  'Shadowed a 2-minute news clip. New words: commute, itinerary, rehearse.',
  '打卡第 N 天：背了 20 个单词，复述了一段短文。',
  'Practised ordering at a restaurant with my partner; photos of my notes attached.',
];

/**
 * The likes each member's standing says they received, given by other members of the cohort to their
 * check-ins, and a comment on about one check-in in seven (1 % held by the content check), with each
 * check-in's stored counts to match. A PRNG of its own, so the rest of the seeded data stays the same.
 */
async function seedLikesAndComments(pool: mysql.Pool, cohortId: number, memberIds: number[], likesReceived: Map<number, number>, now: Date) {
  const random = prng(20261201);
  const [rows] = await pool.query<mysql.RowDataPacket[]>('SELECT id, member_id FROM checkin WHERE cohort_id = ?', [cohortId]);
  const checkinsOf = new Map<number, number[]>();
  for (const row of rows) checkinsOf.set(Number(row.member_id), [...(checkinsOf.get(Number(row.member_id)) ?? []), Number(row.id)]);
  const other = (memberId: number) => {
    for (;;) {
      const candidate = memberIds[Math.floor(random() * memberIds.length)];
      if (candidate !== memberId) return candidate;
    }
  };
  const given = new Set<string>();
  const likes: unknown[][] = [];
  for (const [memberId, count] of likesReceived) {
    const theirs = checkinsOf.get(memberId) ?? [];
    for (let i = 0; i < count && theirs.length > 0; i++) {
      const checkinId = theirs[Math.floor(random() * theirs.length)];
      const liker = other(memberId);
      if (given.has(`${checkinId}:${liker}`)) continue;
      given.add(`${checkinId}:${liker}`);
      likes.push([checkinId, cohortId, liker, now]);
    }
  }
  const comments: unknown[][] = rows
    .filter(() => random() < 0.14)
    .map((row) => [Number(row.id), cohortId, other(Number(row.member_id)), texts[Math.floor(random() * texts.length)].slice(0, 40), random() < 0.01 ? 'review' : 'pass', now]);
  await bulkInsert(pool, 'checkin_like', ['checkin_id', 'cohort_id', 'member_id', 'created_at'], likes);
  await bulkInsert(pool, 'checkin_comment', ['checkin_id', 'cohort_id', 'member_id', 'text', 'moderation', 'created_at'], comments);
  await pool.query(
    `UPDATE checkin k JOIN (SELECT checkin_id, COUNT(*) AS n FROM checkin_like WHERE cohort_id = ? GROUP BY checkin_id) l ON l.checkin_id = k.id
     SET k.like_count = l.n`,
    [cohortId],
  );
  await pool.query(
    `UPDATE checkin k JOIN (SELECT checkin_id, COUNT(*) AS n FROM checkin_comment WHERE cohort_id = ? AND moderation = 'pass' GROUP BY checkin_id) c ON c.checkin_id = k.id
     SET k.comment_count = c.n`,
    [cohortId],
  );
  return { likes: likes.length, comments: comments.length };
}

export async function benchReads(db: BenchDatabase, server: BenchServer, options: { members: number; days: number; samples: number }): Promise<ReadsResult> {
  const { pool } = db;
  const seedStarted = Date.now();
  const random = prng(20260322);
  const now = new Date(BENCH_NOW);

  const staff = await seedMembers(pool, 'rd-staff', 2);
  const [teacherId, operatorId] = staff.ids;
  await pool.query(`INSERT INTO member_role (member_id, role, granted_at) VALUES (?, 'teacher', ?), (?, 'operator', ?)`, [teacherId, now, operatorId, now]);
  const [teacherToken, operatorToken] = staff.tokens;

  // Today is the last day: day `days` started at 00:00 today.
  const startDate = addDays(TODAY, -(options.days - 1));
  const cohortId = await seedCohort(pool, { title: `Reads at scale: ${options.members} x ${options.days}`, startDate, durationDays: options.days, createdBy: operatorId });
  await pool.query('INSERT INTO cohort_teacher (cohort_id, member_id) VALUES (?, ?)', [cohortId, teacherId]);

  log(`reads: seeding ${options.members} members`);
  const members = await seedMembers(pool, 'rd', options.members);
  await enroll(pool, cohortId, members.ids, 0.05);

  // Each member has a commitment: most check in most days, participation fading over the cohort.
  const commitment = members.ids.map(() => 0.55 + 0.45 * random());
  const columns = ['cohort_id', 'member_id', 'day_index', 'business_date', 'text', 'image_keys', 'via_group', 'is_make_up', 'moderation', 'created_at', 'reviewed_at', 'featured'];
  let checkins = 0;
  // What each member's standing will hold: points earned, days checked in and when.
  const seeded = new Map<number, { points: number; days: Map<number, Date> }>();
  for (let day = 1; day <= options.days; day++) {
    const date = addDays(startDate, day - 1);
    const isToday = day === options.days;
    const rows: unknown[][] = [];
    for (let m = 0; m < members.ids.length; m++) {
      const fade = 1 - 0.25 * ((day - 1) / Math.max(1, options.days - 1));
      const p = commitment[m] * fade * (isToday ? 0.5 : 1);
      if (random() >= p) continue;
      // Today's check-ins happened between 06:00 and 10:00 (the clock stands at 10:00).
      const hour = isToday ? 6 + 4 * random() : 6 + 17 * random();
      const createdAt = localInstant(date, hour);
      const photos = random() < 0.6 ? Math.floor(random() * 10) : 0;
      const imageKeys = Array.from({ length: photos }, () => `img/2026/03/${randomBytes(16).toString('hex')}.jpg`);
      // ~70 % of earlier days reviewed, within 2-30 hours; today's mostly still waiting.
      const reviewed = isToday ? random() < 0.15 : random() < 0.72;
      const reviewedAt = reviewed ? new Date(Math.min(now.getTime() - 60_000, createdAt.getTime() + (isToday ? 0.2 : 2 + 28 * random()) * 3600_000)) : null;
      const viaGroup = random() < 0.3;
      rows.push([
        cohortId, members.ids[m], day, date, texts[(m + day) % texts.length], JSON.stringify(imageKeys), viaGroup ? 1 : 0, 0,
        random() < 0.01 ? 'review' : 'pass', createdAt, reviewedAt, random() < 0.005 ? 1 : 0,
      ]);
      const mine = seeded.get(members.ids[m]) ?? { points: 0, days: new Map<number, Date>() };
      mine.points += viaGroup ? 20 : 10;
      mine.days.set(day, createdAt);
      seeded.set(members.ids[m], mine);
    }
    // Rows of a day go in in time order, so ids grow with created_at as they would in production.
    rows.sort((a, b) => (a[9] as Date).getTime() - (b[9] as Date).getTime());
    await bulkInsert(pool, 'checkin', columns, rows, 3000);
    checkins += rows.length;
  }
  log(`reads: ${checkins} check-ins seeded; reviews, ledger, offers`);

  await pool.query(
    'UPDATE checkin SET review_latency_seconds = TIMESTAMPDIFF(SECOND, created_at, reviewed_at) WHERE cohort_id = ? AND reviewed_at IS NOT NULL',
    [cohortId],
  );
  await pool.query(
    `INSERT INTO review (checkin_id, cohort_id, teacher_id, latency_seconds, text, audio_key, audio_seconds, created_at, updated_at)
     SELECT id, cohort_id, ?, review_latency_seconds, 'Good pronunciation today; slow down on the long sentences.', NULL, NULL, reviewed_at, reviewed_at
     FROM checkin WHERE cohort_id = ? AND reviewed_at IS NOT NULL`,
    [teacherId, cohortId],
  );
  await pool.query(
    `INSERT INTO points_ledger (member_id, delta, reason, ref_type, ref_id, idempotency_key, created_at)
     SELECT member_id, 10, 'checkin', 'checkin', id, CONCAT('checkin:', id, ':base'), created_at FROM checkin WHERE cohort_id = ?`,
    [cohortId],
  );
  await pool.query(
    `INSERT INTO points_ledger (member_id, delta, reason, ref_type, ref_id, idempotency_key, created_at)
     SELECT member_id, 10, 'group_bonus', 'checkin', id, CONCAT('checkin:', id, ':group'), created_at FROM checkin WHERE cohort_id = ? AND via_group = 1`,
    [cohortId],
  );
  await pool.query(
    `UPDATE member_points p JOIN (SELECT l.member_id, SUM(l.delta) AS s FROM points_ledger l JOIN enrollment e ON e.member_id = l.member_id AND e.cohort_id = ? GROUP BY l.member_id) t
     ON t.member_id = p.member_id SET p.balance = t.s`,
    [cohortId],
  );

  // Offers of rounds 1-3 (the windows start after the last day; views and orders as if they had run).
  const offerIds: number[] = [];
  for (const round of [1, 2, 3]) {
    const opensAt = localInstant(addDays(startDate, options.days + 2 * round - 2), 0);
    const closesAt = localInstant(addDays(startDate, options.days + 2 * round), 0);
    const [inserted] = await pool.query<mysql.ResultSetHeader>(
      `INSERT INTO offer (cohort_id, round, title, description, price_fen, original_price_fen, opens_at, closes_at, audience, created_at)
       VALUES (?, ?, ?, 'The next level', ?, 39900, ?, ?, 'all', ?)`,
      [cohortId, round, `Round ${round} offer`, 29900 - round * 5000, opensAt, closesAt, now],
    );
    offerIds.push(inserted.insertId);
  }
  const views: unknown[][] = [];
  const orders: unknown[][] = [];
  members.ids.forEach((memberId, m) => {
    [0.65, 0.45, 0.3].forEach((share, r) => {
      if (random() < share) views.push([offerIds[r], memberId, now]);
    });
    const pay = random();
    const round = pay < 0.08 ? 1 : pay < 0.11 ? 2 : pay < 0.125 ? 3 : 0;
    if (round) {
      orders.push([offerIds[round - 1], cohortId, round, memberId, `BENCH${m}R${round}`, 29900 - round * 5000, 'paid', `tx${m}`, now, now]);
    } else if (pay < 0.2) {
      orders.push([offerIds[0], cohortId, 1, memberId, `BENCH${m}X`, 24900, 'expired', null, now, null]);
    }
  });
  // Standings as the check-in and like transactions would have left them (likes received: a few
  // dozen at most, given at random times today).
  const standings = [...seeded].map(([memberId, { points, days }]) => {
    const run = lastRun(new Set(days.keys()));
    const times = [...days.values()].map((d) => d.getTime());
    const runTimes = [...days].filter(([day]) => day > run.lastDay - run.length).map(([, d]) => d.getTime());
    const likes = Math.floor(random() * random() * 40);
    return [
      cohortId, memberId, points, new Date(Math.max(...times)), run.length, run.lastDay, new Date(Math.max(...runTimes)),
      likes, likes ? new Date(now.getTime() - Math.floor(random() * 36_000_000)) : null,
    ];
  });
  await bulkInsert(pool, 'cohort_standing', ['cohort_id', 'member_id', 'points', 'points_at', 'streak_days', 'streak_last_day', 'streak_at', 'likes', 'likes_at'], standings);
  const interaction = await seedLikesAndComments(pool, cohortId, members.ids, new Map(standings.map((row) => [row[1] as number, row[7] as number])), now);
  await bulkInsert(pool, 'offer_view', ['offer_id', 'member_id', 'viewed_at'], views);
  await bulkInsert(pool, 'offer_order', ['offer_id', 'cohort_id', 'round', 'member_id', 'out_trade_no', 'amount_fen', 'state', 'transaction_id', 'created_at', 'paid_at'], orders);
  // Staff follow-up: a tenth of the members tagged, one in twenty followed up.
  const [[tag]] = await pool.query<mysql.RowDataPacket[]>("SELECT id FROM tag WHERE name = '潜力用户'");
  await bulkInsert(pool, 'member_tag', ['member_id', 'tag_id', 'tagged_by', 'tagged_at'], members.ids.filter((_, m) => m % 10 === 0).map((id) => [id, tag.id, operatorId, now]));
  const followed = members.ids.filter((_, m) => m % 20 === 0);
  await bulkInsert(pool, 'follow_up', ['cohort_id', 'member_id', 'state', 'note', 'updated_by', 'updated_at'], followed.map((id) => [cohortId, id, 'contacted', '微信聊过，下周再联系', operatorId, now]));
  await bulkInsert(pool, 'follow_up_event', ['cohort_id', 'member_id', 'state', 'note', 'actor_id', 'created_at'], followed.map((id) => [cohortId, id, 'contacted', '微信聊过，下周再联系', operatorId, now]));
  await pool.query('ANALYZE TABLE checkin, review, checkin_like, checkin_comment, points_ledger, enrollment, offer_order, offer_view, cohort_standing, member_tag, follow_up');
  const seedSeconds = (Date.now() - seedStarted) / 1000;

  const [[counts]] = await pool.query<mysql.RowDataPacket[]>(
    `SELECT COUNT(*) AS checkins, COUNT(reviewed_at) AS reviews, SUM(reviewed_at IS NULL) AS pending FROM checkin WHERE cohort_id = ?`,
    [cohortId],
  );
  const [[ledger]] = await pool.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM points_ledger');
  const pending = Number(counts.pending);
  // A cursor 80 % of the way down the queue (a teacher paging deep into the backlog).
  const [[deep]] = await pool.query<mysql.RowDataPacket[]>(
    'SELECT id FROM checkin WHERE cohort_id = ? AND reviewed_at IS NULL ORDER BY id LIMIT 1 OFFSET ?',
    [cohortId, Math.floor(pending * 0.8)],
  );
  const deepCursor = Number(deep.id);
  log(`reads: seeded in ${seedSeconds.toFixed(1)} s; timing`);

  const base = `${server.baseUrl}/api/v1`;
  const bytes = { queueFirst: 0, queueDeep: 0, metrics: 0, leaderboard: 0, membersFiltered: 0, exportCsv: 0, exportXlsx: 0 };
  const expectOk = (what: keyof typeof bytes) => (answer: { status: number; body: unknown; bytes: number }) => {
    if (answer.status !== 200) throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    bytes[what] = answer.bytes;
  };
  const queueFirst = await timeSequential(options.samples, 3, async () => expectOk('queueFirst')(await getJson(`${base}/teacher/review-queue`, teacherToken)));
  const queueDeep = await timeSequential(options.samples, 3, async () => expectOk('queueDeep')(await getJson(`${base}/teacher/review-queue?after=${deepCursor}`, teacherToken)));
  const metrics = await timeSequential(options.samples, 2, async () => expectOk('metrics')(await getJson(`${base}/cohorts/${cohortId}/metrics`, operatorToken)));
  const membersFiltered = await timeSequential(options.samples, 3, async () =>
    expectOk('membersFiltered')(await getJson(`${base}/cohorts/${cohortId}/members?segment=streak&minStreak=7&tag=${tag.id}&limit=50`, operatorToken)));
  const membersDeep = await timeSequential(options.samples, 3, async () => {
    const answer = await getJson(`${base}/cohorts/${cohortId}/members?segment=missed-today&limit=50&offset=${Math.floor(options.members * 0.3)}`, operatorToken);
    if (answer.status !== 200 || (answer.body as { items: unknown[] }).items.length !== 50) throw new Error(`members deep page: ${answer.status}`);
  });
  let exportRows = 0;
  const download = (format: 'csv' | 'xlsx') => async () => {
    const response = await fetch(`${base}/cohorts/${cohortId}/members?format=${format}`, { headers: { Authorization: `Bearer ${operatorToken}` } });
    const body = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200) throw new Error(`export ${format} answered ${response.status}`);
    bytes[format === 'csv' ? 'exportCsv' : 'exportXlsx'] = body.length;
    if (format === 'csv') exportRows = body.toString('utf8').trim().split('\n').length - 1;
  };
  const exportCsv = await timeSequential(Math.min(options.samples, 5), 1, download('csv'));
  const exportXlsx = await timeSequential(Math.min(options.samples, 3), 1, download('xlsx'));
  if (exportRows !== options.members) throw new Error(`the export has ${exportRows} rows for ${options.members} members`);

  // A member in the middle of the points board: their own rank has to be counted, not read off the top 50.
  const [[middle]] = await pool.query<mysql.RowDataPacket[]>(
    `SELECT s.member_id FROM cohort_standing s JOIN enrollment e ON e.cohort_id = s.cohort_id AND e.member_id = s.member_id AND e.left_at IS NULL
     WHERE s.cohort_id = ? ORDER BY s.points DESC, s.points_at, s.member_id LIMIT 1 OFFSET ?`,
    [cohortId, Math.floor(seeded.size / 2)],
  );
  const middleToken = members.tokens[members.ids.indexOf(Number(middle.member_id))];
  const board = (by: string) => timeSequential(options.samples, 2, async () => {
    const answer = await getJson(`${base}/cohorts/${cohortId}/leaderboard?by=${by}`, middleToken);
    expectOk('leaderboard')(answer);
    if ((answer.body as { items: unknown[] }).items.length !== 50) throw new Error(`leaderboard by ${by} listed fewer than 50`);
  });
  const leaderboard = { points: await board('points'), streak: await board('streak'), likes: await board('likes') };
  const leaderboardFromLedger = await timeSequential(Math.min(options.samples, 10), 1, async () => {
    await pool.query(
      `SELECT c.member_id, SUM(l.delta) AS points, MAX(l.created_at) AS reached
       FROM points_ledger l JOIN checkin c ON l.ref_type = 'checkin' AND l.ref_id = c.id
       JOIN enrollment e ON e.cohort_id = c.cohort_id AND e.member_id = c.member_id AND e.left_at IS NULL
       WHERE c.cohort_id = ? AND l.delta > 0
       GROUP BY c.member_id ORDER BY points DESC, reached, c.member_id LIMIT 50`,
      [cohortId],
    );
  });

  return {
    members: options.members,
    days: options.days,
    seedSeconds,
    rows: {
      checkins: Number(counts.checkins), reviews: Number(counts.reviews), pending, ledger: Number(ledger.n),
      paidOrders: orders.filter((o) => o[6] === 'paid').length, offerViews: views.length, likes: interaction.likes, comments: interaction.comments,
    },
    deepCursor, queueFirst, queueDeep, metrics, leaderboard, leaderboardFromLedger, membersFiltered, membersDeep, exportCsv, exportXlsx, exportRows, bytes,
  };
}
