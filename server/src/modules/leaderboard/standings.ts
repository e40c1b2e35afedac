import { IsNull, type EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../platform/db/database-errors';
import { dbDateTime, write } from '../../platform/db/sql';
import { Enrollment } from '../cohort/cohort.entity';
import { CohortStanding } from './standing.entity';

/** The member's standing row in the cohort, created at zero the first time (inside the caller's transaction). */
async function ensureStanding(manager: EntityManager, cohortId: number, memberId: number): Promise<void> {
  await manager
    .createQueryBuilder()
    .insert()
    .into(CohortStanding)
    .values({ cohortId, memberId, points: 0, pointsAt: null, streakDays: 0, streakLastDay: 0, streakAt: null, likes: 0, likesAt: null })
    .orIgnore()
    .execute();
}

/**
 * Points a check-in earned afterwards (its group bonus, by being shared into the group), inside
 * that transaction: they count on the points board like those earned at the check-in.
 */
export async function addStandingPoints(manager: EntityManager, input: { cohortId: number; memberId: number; points: number; now: Date }): Promise<void> {
  await ensureStanding(manager, input.cohortId, input.memberId);
  await manager
    .createQueryBuilder()
    .update(CohortStanding)
    .set({ points: () => `points + ${Math.trunc(input.points)}`, pointsAt: input.now })
    .where('cohort_id = :cohortId AND member_id = :memberId', { cohortId: input.cohortId, memberId: input.memberId })
    .execute();
}

/** A like given (+1) or taken back (-1) on one of the member's check-ins, inside that transaction. */
export async function moveLikesReceived(
  manager: EntityManager,
  input: { cohortId: number; memberId: number; delta: 1 | -1; now: Date },
): Promise<void> {
  await ensureStanding(manager, input.cohortId, input.memberId);
  await manager
    .createQueryBuilder()
    .update(CohortStanding)
    .set({ likes: () => `likes + ${input.delta}`, likesAt: input.now })
    .where('cohort_id = :cohortId AND member_id = :memberId', { cohortId: input.cohortId, memberId: input.memberId })
    .execute();
}

/** What a member's standing row in a cohort said before a check-in (null: there is no row yet). */
export interface DaysBefore {
  doneDays: number;
  makeUpsUsed: number;
  streakDays: number;
  streakLastDay: number;
}

export interface DayClaim {
  cohortId: number;
  memberId: number;
  /** The row as read before; the claim succeeds only if it is still exactly that. */
  before: DaysBefore | null;
  doneDaysAfter: number;
  isMakeUp: boolean;
  pointsEarned: number;
  run: { lastDay: number; length: number };
  now: Date;
}

/**
 * Claims a check-in's day on the member's standing row in one statement, inside the check-in's
 * transaction: a conditional update that applies only while the row still holds the days and
 * make-ups read before (and the member is still enrolled), moving the days, the make-ups, the
 * points and the run together; or, for a member with no row yet, its insert. False when the row
 * changed meanwhile (or appeared): the caller then reads it again under a lock and claims again.
 */
export async function claimCheckinDay(manager: EntityManager, claim: DayClaim): Promise<boolean> {
  const { cohortId, memberId, before } = claim;
  const points = Math.trunc(claim.pointsEarned);
  const now = dbDateTime(manager, claim.now);
  if (!before) {
    try {
      await write(
        manager,
        `INSERT INTO cohort_standing (cohort_id, member_id, points, points_at, streak_days, streak_last_day, streak_at, likes, likes_at, done_days, make_ups_used)
         VALUES (?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?)`,
        [
          cohortId, memberId, points, points > 0 ? now : null, claim.run.length, claim.run.lastDay, claim.run.length > 0 ? now : null,
          claim.doneDaysAfter, claim.isMakeUp ? 1 : 0,
        ],
      );
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }
  const streakChanged = claim.run.length !== before.streakDays || claim.run.lastDay !== before.streakLastDay;
  const claimed = await write(
    manager,
    `UPDATE cohort_standing SET done_days = ?, make_ups_used = ?, points = points + ?${points > 0 ? ', points_at = ?' : ''}${
      streakChanged ? ', streak_days = ?, streak_last_day = ?, streak_at = ?' : ''}
     WHERE cohort_id = ? AND member_id = ? AND done_days = ? AND make_ups_used = ?
       AND EXISTS (SELECT 1 FROM enrollment e WHERE e.cohort_id = ? AND e.member_id = ? AND e.left_at IS NULL)`,
    [
      claim.doneDaysAfter, before.makeUpsUsed + (claim.isMakeUp ? 1 : 0), points,
      ...(points > 0 ? [now] : []),
      ...(streakChanged ? [claim.run.length, claim.run.lastDay, now] : []),
      cohortId, memberId, before.doneDays, before.makeUpsUsed, cohortId, memberId,
    ],
  );
  return claimed.affected === 1;
}

/**
 * The member's standing row in the cohort read under a lock (created at zero when missing), and
 * whether they are still enrolled: the slow path of a check-in whose claim found the row changed.
 */
export async function lockedDaysOf(manager: EntityManager, cohortId: number, memberId: number): Promise<{ days: DaysBefore; enrolled: boolean }> {
  await ensureStanding(manager, cohortId, memberId);
  const query = manager.createQueryBuilder(CohortStanding, 's').where('s.cohort_id = :cohortId AND s.member_id = :memberId', { cohortId, memberId });
  // SQLite has no row locks and needs none: its transactions take turns.
  if (manager.connection.options.type !== 'better-sqlite3') query.setLock('pessimistic_write');
  const row = await query.getOneOrFail();
  const enrolled = await manager.existsBy(Enrollment, { cohortId, memberId, leftAt: IsNull() });
  return { days: { doneDays: row.doneDays, makeUpsUsed: row.makeUpsUsed, streakDays: row.streakDays, streakLastDay: row.streakLastDay }, enrolled };
}

/** The day indexes of a done-days mask (day n is bit n-1). */
export function daysOfMask(mask: number): Set<number> {
  const days = new Set<number>();
  for (let day = 1; mask >>> (day - 1) !== 0; day++) if (mask & dayBit(day)) days.add(day);
  return days;
}

export const dayBit = (dayIndex: number) => 1 << (dayIndex - 1);
