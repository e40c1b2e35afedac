import { Column, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { ModerationState } from '../checkin/checkin.entity';
import { Checkin } from '../checkin/checkin.entity';
import { Member } from '../identity/member.entity';

/**
 * One member's like of one check-in: the primary key is what makes "one like each" true. The check-in's
 * cohort is copied onto the row, so the cohort's metrics count likes and likers off one index range.
 */
@Entity({ name: 'checkin_like' })
@Index(['cohortId', 'memberId'])
export class CheckinLike {
  @PrimaryColumn({ name: 'checkin_id', type: 'integer' })
  @ForeignKey(() => Checkin, { onDelete: 'CASCADE' })
  checkinId: number;

  @PrimaryColumn({ name: 'member_id', type: 'integer' })
  @Index()
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  /** The check-in's cohort (a check-in never changes cohort). */
  @Column({ name: 'cohort_id', type: 'integer' })
  cohortId: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}

/**
 * A comment under a check-in, by a member of its cohort or by staff. Deleting it removes it. The
 * check-in's cohort is copied onto the row, for the cohort's metrics (as on a like).
 */
@Entity({ name: 'checkin_comment' })
@Index(['checkinId', 'id'])
@Index(['cohortId', 'memberId', 'moderation'])
export class CheckinComment {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'checkin_id', type: 'integer' })
  @ForeignKey(() => Checkin, { onDelete: 'CASCADE' })
  checkinId: number;

  /** The check-in's cohort (a check-in never changes cohort). */
  @Column({ name: 'cohort_id', type: 'integer' })
  cohortId: number;

  @Index()
  @Column({ name: 'member_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  @Column({ type: 'varchar', length: 500 })
  text: string;

  /** `review`: the content check held it; only its author and staff see it. */
  @Column({ type: 'varchar', length: 16 })
  moderation: ModerationState;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}

export const interactionEntities = [CheckinLike, CheckinComment];
