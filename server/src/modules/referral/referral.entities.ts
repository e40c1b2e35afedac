import { Column, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Cohort } from '../cohort/cohort.entity';
import { Member } from '../identity/member.entity';
import type { OpenSource, ShareSource } from './referral-rules';

/**
 * A short code standing for {cohort, inviter, source}: a Mini Program code's scene holds at most
 * 32 characters, so posters carry this code and the server looks up the rest. Its code image
 * (wxacode) is kept in object storage once made.
 */
@Entity({ name: 'share_code' })
@Index(['cohortId', 'inviterId', 'source'], { unique: true })
export class ShareCode {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 16 })
  code: string;

  @Column({ name: 'cohort_id', type: 'integer' })
  @ForeignKey(() => Cohort, { onDelete: 'CASCADE' })
  cohortId: number;

  @Index()
  @Column({ name: 'inviter_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  inviterId: number;

  @Column({ type: 'varchar', length: 16 })
  source: ShareSource;

  /** The storage key of its Mini Program code image, once made. */
  @Column({ name: 'image_key', type: 'varchar', length: 200, nullable: true })
  imageKey: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}

/** One open of a share (a scanned poster, a tapped card): the entry funnel counts these. */
@Entity({ name: 'referral_open' })
@Index(['cohortId', 'source'])
@Index(['cohortId', 'memberId'])
export class ReferralOpen {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Index()
  @Column({ name: 'share_code_id', type: 'integer' })
  @ForeignKey(() => ShareCode, { onDelete: 'CASCADE' })
  shareCodeId: number;

  @Column({ name: 'cohort_id', type: 'integer' })
  @ForeignKey(() => Cohort, { onDelete: 'CASCADE' })
  cohortId: number;

  /** Who opened it; null when opened before logging in (Moments' single-page mode has no login). */
  @Index()
  @Column({ name: 'member_id', type: 'integer', nullable: true })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number | null;

  @Column({ type: 'varchar', length: 16 })
  source: OpenSource;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}

/**
 * A newcomer attributed to the member who invited them, once and for good (the unique invitee).
 * `rewardPoints` is set at the invitee's first check-in in the cohort: the reward paid, or 0 when
 * the inviter had reached the cohort's limit.
 */
@Entity({ name: 'referral' })
@Index(['inviterId', 'id'])
@Index(['cohortId', 'inviterId'])
export class Referral {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'cohort_id', type: 'integer' })
  @ForeignKey(() => Cohort, { onDelete: 'CASCADE' })
  cohortId: number;

  @Column({ name: 'inviter_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  inviterId: number;

  @Index({ unique: true })
  @Column({ name: 'invitee_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  inviteeId: number;

  @Index()
  @Column({ name: 'share_code_id', type: 'integer' })
  @ForeignKey(() => ShareCode, { onDelete: 'CASCADE' })
  shareCodeId: number;

  @Column({ type: 'varchar', length: 16 })
  source: OpenSource;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'first_checkin_at', type: 'datetime', precision: 3, nullable: true })
  firstCheckinAt: Date | null;

  @Column({ name: 'reward_points', type: 'integer', nullable: true })
  rewardPoints: number | null;
}

/**
 * How many invitees have earned an inviter their reward in a cohort: a conditional update
 * (`rewarded < limit`) on this row is what keeps the limit under concurrent first check-ins.
 */
@Entity({ name: 'referral_tally' })
export class ReferralTally {
  @PrimaryColumn({ name: 'cohort_id', type: 'integer' })
  @ForeignKey(() => Cohort, { onDelete: 'CASCADE' })
  cohortId: number;

  @PrimaryColumn({ name: 'inviter_id', type: 'integer' })
  @Index()
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  inviterId: number;

  @Column({ type: 'integer' })
  rewarded: number;
}

export const referralEntities = [ShareCode, ReferralOpen, Referral, ReferralTally];
