import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Checkin } from '../checkin/checkin.entity';
import { Member } from '../identity/member.entity';

/**
 * A teacher's review of one check-in. The unique key keeps it to one per check-in. The cohort and the
 * check-in's review latency are copied onto the row when it is written, so the metrics' per-teacher
 * section reads one index range instead of joining every reviewed check-in of the cohort.
 */
@Entity({ name: 'review' })
@Index(['cohortId', 'teacherId', 'latencySeconds'])
export class Review {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Index({ unique: true })
  @Column({ name: 'checkin_id', type: 'integer' })
  @ForeignKey(() => Checkin, { onDelete: 'CASCADE' })
  checkinId: number;

  /** The check-in's cohort (a check-in never changes cohort). */
  @Column({ name: 'cohort_id', type: 'integer' })
  cohortId: number;

  @Index()
  @Column({ name: 'teacher_id', type: 'integer' })
  @ForeignKey(() => Member)
  teacherId: number;

  /** The check-in's `review_latency_seconds` as it stood when this review was written. */
  @Column({ name: 'latency_seconds', type: 'integer', nullable: true })
  latencySeconds: number | null;

  @Column({ type: 'text' })
  text: string;

  @Column({ name: 'audio_key', type: 'varchar', length: 128, nullable: true })
  audioKey: string | null;

  @Column({ name: 'audio_seconds', type: 'integer', nullable: true })
  audioSeconds: number | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}

/** A teacher's quick reply, to start a review from. */
@Entity({ name: 'review_template' })
export class ReviewTemplate {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Index()
  @Column({ name: 'teacher_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  teacherId: number;

  @Column({ type: 'varchar', length: 500 })
  text: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
