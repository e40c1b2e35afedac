import { Column, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Member } from '../identity/member.entity';
import { checkinKindsFromColumn, checkinKindsToColumn, type CheckinKind } from './cohort-rules';

@Entity({ name: 'cohort' })
export class Cohort {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 64 })
  title: string;

  @Column({ type: 'varchar', length: 32 })
  theme: string;

  @Column({ name: 'duration_days', type: 'integer' })
  durationDays: number;

  /** Day 1, "YYYY-MM-DD" in BUSINESS_TZ. */
  @Column({ name: 'start_date', type: 'varchar', length: 10 })
  startDate: string;

  @Column({ name: 'cover_image_url', type: 'varchar', length: 512, nullable: true })
  coverImageUrl: string | null;

  @Column({ type: 'text', nullable: true })
  rules: string | null;

  @Column({ name: 'welcome_message', type: 'text', nullable: true })
  welcomeMessage: string | null;

  @Column({ type: 'text', nullable: true })
  announcement: string | null;

  /** The bound WeChat group's opengid (per Mini Program, like an openid). */
  @Index()
  @Column({ name: 'group_opengid', type: 'varchar', length: 128, nullable: true })
  groupOpengid: string | null;

  @Column({ name: 'group_bound_at', type: 'datetime', precision: 3, nullable: true })
  groupBoundAt: Date | null;

  @Column({ name: 'base_points', type: 'integer' })
  basePoints: number;

  @Column({ name: 'group_bonus_points', type: 'integer' })
  groupBonusPoints: number;

  @Column({ name: 'streak_bonus_points', type: 'integer' })
  streakBonusPoints: number;

  @Column({ name: 'completion_bonus_points', type: 'integer' })
  completionBonusPoints: number;

  @Column({ name: 'make_up_cost', type: 'integer' })
  makeUpCost: number;

  @Column({ name: 'make_up_limit', type: 'integer' })
  makeUpLimit: number;

  /** What a check-in of this cohort may hold (at least one of them): stored as `text,photo,voice`. */
  @Column({
    name: 'checkin_kinds', type: 'varchar', length: 32, default: 'text,photo,voice',
    transformer: { to: checkinKindsToColumn, from: checkinKindsFromColumn },
  })
  checkinKinds: CheckinKind[];

  /** The longest recording a member may check in with, in seconds (60 by default, at most 180). */
  @Column({ name: 'max_audio_seconds', type: 'integer', default: 60 })
  maxAudioSeconds: number;

  @Column({ name: 'invite_reward_points', type: 'integer', default: 20 })
  inviteRewardPoints: number;

  @Column({ name: 'invite_reward_limit', type: 'integer', default: 10 })
  inviteRewardLimit: number;

  /** The cohort's WeChat group QR image (an upload's storage key), shown to its members. */
  @Column({ name: 'group_qr_key', type: 'varchar', length: 200, nullable: true })
  groupQrKey: string | null;

  /** WeChat expires a group QR 7 days after it is made: the upload time tells when to replace it. */
  @Column({ name: 'group_qr_uploaded_at', type: 'datetime', precision: 3, nullable: true })
  groupQrUploadedAt: Date | null;

  /** Local time ("HH:MM" in BUSINESS_TZ) of the daily reminder. */
  @Column({ name: 'reminder_time', type: 'varchar', length: 5, default: '08:00' })
  reminderTime: string;

  @Column({ name: 'cloned_from_id', type: 'integer', nullable: true })
  clonedFromId: number | null;

  @Column({ name: 'disbanded_at', type: 'datetime', precision: 3, nullable: true })
  disbandedAt: Date | null;

  /** The cohort members were invited to when this one was disbanded. */
  @Column({ name: 'next_cohort_id', type: 'integer', nullable: true })
  nextCohortId: number | null;

  @Column({ name: 'created_by', type: 'integer' })
  @ForeignKey(() => Member)
  createdBy: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}

/** The prompt (today's task) of one day of a cohort. */
@Entity({ name: 'cohort_prompt' })
export class CohortPrompt {
  @PrimaryColumn({ name: 'cohort_id', type: 'integer' })
  @ForeignKey(() => Cohort, { onDelete: 'CASCADE' })
  cohortId: number;

  @PrimaryColumn({ name: 'day_index', type: 'integer' })
  dayIndex: number;

  @Column({ type: 'varchar', length: 500 })
  text: string;
}

@Entity({ name: 'cohort_teacher' })
export class CohortTeacher {
  @PrimaryColumn({ name: 'cohort_id', type: 'integer' })
  @ForeignKey(() => Cohort, { onDelete: 'CASCADE' })
  cohortId: number;

  @PrimaryColumn({ name: 'member_id', type: 'integer' })
  @Index()
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;
}

@Entity({ name: 'enrollment' })
@Index(['cohortId', 'memberId'], { unique: true })
@Index(['cohortId', 'leftAt'])
export class Enrollment {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'cohort_id', type: 'integer' })
  @ForeignKey(() => Cohort, { onDelete: 'CASCADE' })
  cohortId: number;

  @Index()
  @Column({ name: 'member_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  @Column({ name: 'joined_at', type: 'datetime', precision: 3 })
  joinedAt: Date;

  /** Set when the member left (a quit); cleared if they join again. */
  @Column({ name: 'left_at', type: 'datetime', precision: 3, nullable: true })
  leftAt: Date | null;

  /** Set when staff removed the member (left_at is set too); they cannot join again by themselves. */
  @Column({ name: 'removed_at', type: 'datetime', precision: 3, nullable: true })
  removedAt: Date | null;

  @Column({ name: 'removed_by', type: 'integer', nullable: true })
  removedBy: number | null;
}
