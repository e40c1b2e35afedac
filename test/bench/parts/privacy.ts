/**
 * A copy of a heavy member's data (issue 15): GET /me/data-export for a member of 10 finished
 * 21-day cohorts who checked in every day with 9 photos (210 check-ins, 1,890 uploads), was reviewed
 * every day, liked and commented, redeemed and got notices, among 300 other members per cohort who
 * did the same (so every query reads one member out of large tables). Baseline, in the same run:
 * the same rows read with raw mysql2 (one SELECT per table, all at once on the pool) and
 * serialized, without HTTP, TypeORM or the export's shaping.
 */
import { randomBytes } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { exportedColumns } from '../../../server/src/modules/privacy/privacy-coverage';
import {
  addDays, BENCH_NOW, bulkInsert, enroll, getJson, log, seedCohort, seedMembers, timeSequential, TODAY,
  type BenchDatabase, type BenchServer, type Timing,
} from '../support';

export interface PrivacyResult {
  cohorts: number;
  othersPerCohort: number;
  seedSeconds: number;
  rows: { checkins: number; uploads: number; memberCheckins: number; memberUploads: number; memberLedger: number };
  exportTiming: Timing;
  baseline: Timing;
  bytes: number;
  sections: number;
}

const COHORTS = 10;
const DAYS = 21;
const PHOTOS = 9;

const photoKey = () => `img/2026/02/${randomBytes(16).toString('hex')}.jpg`;

export async function benchPrivacy(db: BenchDatabase, server: BenchServer, options: { othersPerCohort: number; samples: number }): Promise<PrivacyResult> {
  const { pool } = db;
  const started = Date.now();
  const now = new Date(BENCH_NOW);
  const staff = await seedMembers(pool, 'pv-staff', 1, { roles: ['teacher', 'operator'] });
  const teacherId = staff.ids[0];
  const heavy = await seedMembers(pool, 'pv-heavy', 1, { balance: 100 });
  const memberId = heavy.ids[0];
  const others = await seedMembers(pool, 'pv-other', options.othersPerCohort);
  const members = [memberId, ...others.ids];

  let checkins = 0;
  let uploads = 0;
  for (let c = 0; c < COHORTS; c++) {
    // Cohorts one after another, the last finished yesterday.
    const startDate = addDays(TODAY, -(COHORTS - c) * DAYS);
    const cohortId = await seedCohort(pool, { title: `Privacy ${c + 1}`, startDate, durationDays: DAYS, createdBy: teacherId });
    await pool.query('INSERT INTO cohort_teacher (cohort_id, member_id) VALUES (?, ?)', [cohortId, teacherId]);
    await enroll(pool, cohortId, members);
    const checkinRows: unknown[][] = [];
    const uploadRows: unknown[][] = [];
    for (let day = 1; day <= DAYS; day++) {
      const date = addDays(startDate, day - 1);
      const createdAt = new Date(Date.parse(`${date}T12:00:00Z`));
      for (const id of members) {
        const keys = Array.from({ length: PHOTOS }, photoKey);
        checkinRows.push([cohortId, id, day, date, `Day ${day}: read the lesson aloud, photos of my notes.`, JSON.stringify(keys), 0, 0, 'pass', createdAt, createdAt]);
        for (const key of keys) uploadRows.push([key, id, 'image', 'image/jpeg', 180_000, createdAt]);
      }
    }
    await bulkInsert(pool, 'checkin', ['cohort_id', 'member_id', 'day_index', 'business_date', 'text', 'image_keys', 'via_group', 'is_make_up', 'moderation', 'created_at', 'reviewed_at'], checkinRows, 3000);
    await bulkInsert(pool, 'upload', ['storage_key', 'owner_id', 'kind', 'content_type', 'bytes', 'created_at'], uploadRows, 4000);
    checkins += checkinRows.length;
    uploads += uploadRows.length;
    await pool.query(
      `INSERT INTO upload_use (upload_id, ref_type, ref_id)
       SELECT u.id, 'checkin', c.id FROM checkin c JOIN upload u ON u.owner_id = c.member_id AND u.created_at = c.created_at
       WHERE c.cohort_id = ? AND c.member_id = ?`,
      [cohortId, memberId],
    );
    await pool.query(
      `INSERT INTO review (checkin_id, cohort_id, teacher_id, latency_seconds, text, created_at, updated_at)
       SELECT id, cohort_id, ?, review_latency_seconds, 'Clear reading; slow down on the long sentences.', reviewed_at, reviewed_at FROM checkin WHERE cohort_id = ?`,
      [teacherId, cohortId],
    );
    await pool.query(
      `INSERT INTO points_ledger (member_id, delta, reason, ref_type, ref_id, idempotency_key, created_at)
       SELECT member_id, 10, 'checkin', 'checkin', id, CONCAT('checkin:', id, ':base'), created_at FROM checkin WHERE cohort_id = ?`,
      [cohortId],
    );
    await bulkInsert(pool, 'cohort_standing', ['cohort_id', 'member_id', 'points', 'streak_days', 'streak_last_day'], members.map((id) => [cohortId, id, DAYS * 10, DAYS, DAYS]));
    // The heavy member likes and comments on 20 others' check-ins per cohort; others comment back.
    const [theirs] = await pool.query<mysql.RowDataPacket[]>('SELECT id FROM checkin WHERE cohort_id = ? AND member_id <> ? ORDER BY id LIMIT 20', [cohortId, memberId]);
    const [mine] = await pool.query<mysql.RowDataPacket[]>('SELECT id FROM checkin WHERE cohort_id = ? AND member_id = ? ORDER BY id', [cohortId, memberId]);
    await bulkInsert(pool, 'checkin_like', ['checkin_id', 'cohort_id', 'member_id', 'created_at'], theirs.map((row) => [row.id, cohortId, memberId, now]));
    await bulkInsert(pool, 'checkin_comment', ['checkin_id', 'cohort_id', 'member_id', 'text', 'moderation', 'created_at'], [
      ...theirs.slice(0, 10).map((row) => [row.id, cohortId, memberId, '说得真好，明天继续！', 'pass', now]),
      ...mine.map((row, i) => [row.id, cohortId, others.ids[i % others.ids.length], 'Great work today!', 'pass', now]),
    ]);
    await bulkInsert(pool, 'notification', ['member_id', 'channel', 'kind', 'dedupe_key', 'status', 'payload', 'created_at'],
      mine.map((row) => [memberId, 'inbox', 'review', `pv:review:${row.id}`, 'read', JSON.stringify({ page: `/pages/checkin/index?id=${row.id}`, data: { text: 'Clear reading' } }), now]));
  }
  const [product] = await pool.query<mysql.ResultSetHeader>(
    `INSERT INTO mall_product (name, description, image_keys, points_price, stock, per_member_limit, active, kind, created_by, created_at, updated_at)
     VALUES ('帆布包', '纪念', '[]', 10, 1000, NULL, 1, 'physical', ?, ?, ?)`,
    [teacherId, now, now],
  );
  const address = JSON.stringify({ name: '张三', phone: '13800138000', province: '广东省', city: '广州市', district: '天河区', detail: '体育西路 100 号' });
  await bulkInsert(pool, 'mall_redemption', ['member_id', 'product_id', 'request_id', 'product_name', 'kind', 'quantity', 'unit_price', 'points_total', 'state', 'address', 'created_at'],
    Array.from({ length: 20 }, (_, i) => [memberId, product.insertId, `pv-${i}`, '帆布包', 'physical', 1, 10, 10, 'fulfilled', address, now]));
  const seedSeconds = (Date.now() - started) / 1000;
  log(`privacy: ${checkins} check-ins and ${uploads} uploads seeded in ${seedSeconds.toFixed(0)} s`);

  const url = `${server.baseUrl}/api/v1/me/data-export`;
  const token = heavy.tokens[0];
  let bytes = 0;
  let sections = 0;
  const exportTiming = await timeSequential(options.samples, 2, async () => {
    const answer = await getJson(url, token);
    if (answer.status !== 200) throw new Error(`data export answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}`);
    bytes = answer.bytes;
    sections = Object.keys(answer.body as object).length;
  });
  const baseline = await timeSequential(options.samples, 2, async () => {
    const parts = await Promise.all(
      exportedColumns().map(({ table, column }) => pool.query<mysql.RowDataPacket[]>(`SELECT * FROM ${table} WHERE ${column} = ?`, [memberId]).then(([rows]) => rows)),
    );
    JSON.stringify(parts);
  });
  const count = async (sql: string) => Number((await pool.query<mysql.RowDataPacket[]>(sql, [memberId]))[0][0].n);
  return {
    cohorts: COHORTS,
    othersPerCohort: options.othersPerCohort,
    seedSeconds,
    rows: {
      checkins,
      uploads,
      memberCheckins: await count('SELECT COUNT(*) AS n FROM checkin WHERE member_id = ?'),
      memberUploads: await count('SELECT COUNT(*) AS n FROM upload WHERE owner_id = ?'),
      memberLedger: await count('SELECT COUNT(*) AS n FROM points_ledger WHERE member_id = ?'),
    },
    exportTiming,
    baseline,
    bytes,
    sections,
  };
}
