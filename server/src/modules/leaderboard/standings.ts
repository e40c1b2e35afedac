import type { EntityManager } from 'typeorm';
import { lastRun } from '../checkin/streak';
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
 * After a check-in, inside its transaction (which holds the member's enrollment lock, so one
 * member's check-ins in a cohort take turns): add the points it earned and store the run of days
 * ending at the last day checked in. A value's instant moves only when the value changes.
 */
export async function recordCheckinStanding(
  manager: EntityManager,
  input: { cohortId: number; memberId: number; pointsEarned: number; days: ReadonlySet<number>; now: Date },
): Promise<void> {
  const { cohortId, memberId, now } = input;
  await ensureStanding(manager, cohortId, memberId);
  const before = await manager.findOneByOrFail(CohortStanding, { cohortId, memberId });
  const run = lastRun(input.days);
  const streakChanged = run.length !== before.streakDays || run.lastDay !== before.streakLastDay;
  await manager
    .createQueryBuilder()
    .update(CohortStanding)
    .set({
      points: () => `points + ${Math.trunc(input.pointsEarned)}`,
      ...(input.pointsEarned > 0 ? { pointsAt: now } : {}),
      ...(streakChanged ? { streakDays: run.length, streakLastDay: run.lastDay, streakAt: now } : {}),
    })
    .where('cohort_id = :cohortId AND member_id = :memberId', { cohortId, memberId })
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
