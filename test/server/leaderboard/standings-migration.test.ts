import { CohortStanding } from '../../../server/src/modules/leaderboard/standing.entity';
import { executedMigrations, sqlInstant, undoMigrationsThrough } from '../support/migrations';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * The migration that adds the leaderboard's standings fills them from the check-ins and ledger lines
 * already there, so running cohorts keep their board; issue 17's migration then fills the days done
 * (a bit mask) and make-ups used from the same check-ins. Written with plain SQL: before the migration
 * the entities do not match the tables.
 */
let db: TestDatabase;
const MIGRATION = 'LikesCommentsStandings1764320000011';

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

it('fills each member\'s points earned (awards only) and last run of days per cohort', async () => {
  await undoMigrationsThrough(db.dataSource, MIGRATION);

  const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
  const created = sqlInstant('2026-03-01T00:00:00Z');
  await q('INSERT INTO member (openid, created_at, last_login_at) VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?)', ['op', created, created, 'm1', created, created, 'm2', created, created]);
  const [op, m1, m2] = (await q('SELECT id FROM member ORDER BY id')).map((row: { id: number }) => Number(row.id));
  await q(
    `INSERT INTO cohort (title, theme, duration_days, start_date, base_points, group_bonus_points, streak_bonus_points,
       completion_bonus_points, make_up_cost, make_up_limit, created_by, created_at) VALUES ('旧班', 'spoken-english', 7, '2026-03-02', 10, 10, 30, 50, 20, 2, ?, ?)`,
    [op, created],
  );
  const cohortId = Number((await q('SELECT id FROM cohort'))[0].id);

  // m1: days 1 and 3 on time, day 2 made up on day 3 (a run of 3); m2: days 1 and 3 (a run of 1).
  const checkins: Array<[number, number, string, boolean]> = [
    [m1, 1, '2026-03-02T01:00:00Z', false], [m1, 3, '2026-03-04T01:00:00Z', false], [m1, 2, '2026-03-04T02:00:00Z', true],
    [m2, 1, '2026-03-02T03:00:00Z', false], [m2, 3, '2026-03-04T03:00:00Z', false],
  ];
  for (const [memberId, day, at, makeUp] of checkins) {
    await q(
      `INSERT INTO checkin (cohort_id, member_id, day_index, business_date, text, image_keys, via_group, is_make_up, moderation, created_at, featured)
       VALUES (?, ?, ?, ?, 'x', '[]', ?, ?, 'pass', ?, ?)`,
      [cohortId, memberId, day, `2026-03-0${day + 1}`, 0, makeUp ? 1 : 0, sqlInstant(at), 0],
    );
    const checkinId = Number((await q('SELECT id FROM checkin WHERE member_id = ? AND day_index = ?', [memberId, day]))[0].id);
    const lines: Array<[number, string]> = [[10, 'checkin'], ...(makeUp ? [[-20, 'make_up_fee'] as [number, string]] : [])];
    if (memberId === m1 && day === 2) lines.push([30, 'streak_bonus']);
    for (const [delta, reason] of lines) {
      await q(
        'INSERT INTO points_ledger (member_id, delta, reason, ref_type, ref_id, idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [memberId, delta, reason, 'checkin', checkinId, `${reason}:${checkinId}`, sqlInstant(at)],
      );
    }
  }

  await db.dataSource.runMigrations({ transaction: 'each' });
  expect(await executedMigrations(db.dataSource)).toContain(MIGRATION);
  const standings = await db.dataSource.manager.find(CohortStanding, { order: { memberId: 'ASC' } });
  expect(standings.map((s) => ({ ...s, pointsAt: s.pointsAt?.toISOString(), streakAt: s.streakAt?.toISOString() }))).toEqual([
    { cohortId, memberId: m1, points: 60, pointsAt: '2026-03-04T02:00:00.000Z', streakDays: 3, streakLastDay: 3, streakAt: '2026-03-04T02:00:00.000Z', likes: 0, likesAt: null, doneDays: 0b111, makeUpsUsed: 1 },
    { cohortId, memberId: m2, points: 20, pointsAt: '2026-03-04T03:00:00.000Z', streakDays: 1, streakLastDay: 3, streakAt: '2026-03-04T03:00:00.000Z', likes: 0, likesAt: null, doneDays: 0b101, makeUpsUsed: 0 },
  ]);
});
