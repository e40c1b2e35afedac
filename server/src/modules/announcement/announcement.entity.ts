import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Cohort } from '../cohort/cohort.entity';
import type { AnnouncementSlot, AnnouncementState } from './announcement-rules';

/**
 * A notice staff plan for a cohort at a time of day. At its time the scheduler publishes it (shown
 * on the cohort page and at the top of the feed) and sends it as a subscription message to members
 * who have a reminder send banked; each delivery is a notification row with its own dedupe key.
 */
@Entity({ name: 'cohort_announcement' })
@Index(['cohortId', 'scheduledAt'])
@Index(['state', 'scheduledAt'])
export class CohortAnnouncement {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'cohort_id', type: 'integer' })
  @ForeignKey(() => Cohort, { onDelete: 'CASCADE' })
  cohortId: number;

  @Column({ type: 'varchar', length: 16 })
  slot: AnnouncementSlot;

  @Column({ type: 'varchar', length: 40 })
  title: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ name: 'scheduled_at', type: 'datetime', precision: 3 })
  scheduledAt: Date;

  @Column({ type: 'varchar', length: 16 })
  state: AnnouncementState;

  @Column({ name: 'published_at', type: 'datetime', precision: 3, nullable: true })
  publishedAt: Date | null;

  /** Active members when it went out, and how many subscription messages WeChat accepted. */
  @Column({ type: 'integer', nullable: true })
  recipients: number | null;

  @Column({ name: 'messages_sent', type: 'integer', nullable: true })
  messagesSent: number | null;

  @Column({ name: 'created_by', type: 'integer' })
  createdBy: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
