import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Cohort } from '../cohort/cohort.entity';
import { Member } from '../identity/member.entity';

/** `rejected`: staff turned a held post down; only its author still sees it. */
export type ModerationState = 'pass' | 'review' | 'rejected';

/** One member's check-in for one day of a cohort. The unique key is what makes "once a day" true. */
@Entity({ name: 'checkin' })
@Index(['cohortId', 'memberId', 'dayIndex'], { unique: true })
@Index(['cohortId', 'id'])
@Index(['cohortId', 'reviewedAt', 'id'])
@Index(['cohortId', 'reviewedAt', 'createdAt'])
@Index(['cohortId', 'reviewLatencySeconds'])
@Index(['cohortId', 'featured', 'id'])
@Index(['moderation', 'cohortId', 'id'])
export class Checkin {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'cohort_id', type: 'integer' })
  @ForeignKey(() => Cohort, { onDelete: 'CASCADE' })
  cohortId: number;

  @Index()
  @Column({ name: 'member_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  memberId: number;

  @Column({ name: 'day_index', type: 'integer' })
  dayIndex: number;

  /** The business date of `dayIndex` ("YYYY-MM-DD"). */
  @Column({ name: 'business_date', type: 'varchar', length: 10 })
  businessDate: string;

  /** May be empty when the check-in has a photo or a recording. */
  @Column({ type: 'text' })
  text: string;

  /** Keys of images uploaded through POST /uploads/images. */
  @Column({ name: 'image_keys', type: 'simple-json' })
  imageKeys: string[];

  /** Key of the member's recording uploaded through POST /uploads/audio, if any. */
  @Column({ name: 'audio_key', type: 'varchar', length: 128, nullable: true })
  audioKey: string | null;

  /** The recording's length as the server measured it at upload. */
  @Column({ name: 'audio_seconds', type: 'integer', nullable: true })
  audioSeconds: number | null;

  @Column({ name: 'via_group', type: 'boolean' })
  viaGroup: boolean;

  @Column({ name: 'is_make_up', type: 'boolean' })
  isMakeUp: boolean;

  /** `review`: the content check held the text; only its author, teachers and operators see it. */
  @Column({ type: 'varchar', length: 16 })
  moderation: ModerationState;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  /** When a teacher first reviewed it (null: waiting in the review queue). */
  @Column({ name: 'reviewed_at', type: 'datetime', precision: 3, nullable: true })
  reviewedAt: Date | null;

  /** Seconds from the check-in to its first review (for the median the metrics report). */
  @Column({ name: 'review_latency_seconds', type: 'integer', nullable: true })
  reviewLatencySeconds: number | null;

  /**
   * When the member shared this check-in's card into the cohort's group and opened it there, which
   * earned the group bonus after the fact (never for a check-in made in the group, or a make-up).
   */
  @Column({ name: 'group_shared_at', type: 'datetime', precision: 3, nullable: true })
  groupSharedAt: Date | null;

  /** A teacher marked it as an example for the cohort. */
  @Column({ type: 'boolean', default: false })
  featured: boolean;

  /** Rows in checkin_like for it, kept by the same transaction that adds or removes one. */
  @Column({ name: 'like_count', type: 'integer', default: 0 })
  likeCount: number;

  /** Its published comments (held ones are not counted), kept like likeCount. */
  @Column({ name: 'comment_count', type: 'integer', default: 0 })
  commentCount: number;
}
