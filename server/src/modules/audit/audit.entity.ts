import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Who did what to whom, and when: every staff action of the console (moderation, removals, tags,
 * exports). Plain ids, no foreign keys, so the record outlives what it is about.
 */
@Entity({ name: 'audit_log' })
@Index(['cohortId', 'id'])
@Index(['memberId', 'id'])
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'actor_id', type: 'integer' })
  actorId: number;

  /** e.g. `checkin.release`, `checkin.reject`, `enrollment.remove`, `members.tag`, `members.export`. */
  @Column({ type: 'varchar', length: 48 })
  action: string;

  @Column({ name: 'cohort_id', type: 'integer', nullable: true })
  cohortId: number | null;

  /** The member the action was about, when there is one. */
  @Column({ name: 'member_id', type: 'integer', nullable: true })
  memberId: number | null;

  @Column({ name: 'target_type', type: 'varchar', length: 24, nullable: true })
  targetType: string | null;

  @Column({ name: 'target_id', type: 'integer', nullable: true })
  targetId: number | null;

  @Column({ type: 'simple-json', nullable: true })
  details: Record<string, string | number | boolean | null> | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
