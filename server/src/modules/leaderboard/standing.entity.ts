import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Cohort } from '../cohort/cohort.entity';
import { Member } from '../identity/member.entity';

/**
 * A member's standing in one cohort, written by the same transactions that change it (a check-in,
 * a like), so the leaderboard reads one index range instead of adding up ledgers and likes. Each
 * value has the instant it was reached: ties go to whoever got there first.
 */
@Entity({ name: 'cohort_standing' })
@Index(['cohortId', 'points', 'pointsAt'])
@Index(['cohortId', 'likes', 'likesAt'])
@Index(['cohortId', 'streakLastDay', 'streakDays', 'streakAt'])
export class CohortStanding {
  @PrimaryColumn({ name: 'cohort_id', type: 'integer' })
  @ForeignKey(() => Cohort, { onDelete: 'CASCADE' })
  cohortId: number;

  @PrimaryColumn({ name: 'member_id', type: 'integer' })
  @Index()
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  /** Points earned by check-ins in this cohort (awards; the make-up fee is spending, not counted). */
  @Column({ type: 'integer', default: 0 })
  points: number;

  @Column({ name: 'points_at', type: 'datetime', precision: 3, nullable: true })
  pointsAt: Date | null;

  /** The run of consecutive days ending at the last day checked in (`streakLastDay`). */
  @Column({ name: 'streak_days', type: 'integer', default: 0 })
  streakDays: number;

  @Column({ name: 'streak_last_day', type: 'integer', default: 0 })
  streakLastDay: number;

  @Column({ name: 'streak_at', type: 'datetime', precision: 3, nullable: true })
  streakAt: Date | null;

  /** Likes on the member's check-ins in this cohort. */
  @Column({ type: 'integer', default: 0 })
  likes: number;

  @Column({ name: 'likes_at', type: 'datetime', precision: 3, nullable: true })
  likesAt: Date | null;

  /**
   * The days checked in, day n as bit n-1 (cohorts last at most 21 days), make-ups included: the
   * check-in claims its day by one conditional update of this row.
   */
  @Column({ name: 'done_days', type: 'integer', default: 0 })
  doneDays: number;

  @Column({ name: 'make_ups_used', type: 'integer', default: 0 })
  makeUpsUsed: number;
}
