import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per (job, period) that some server instance claimed; the primary key makes it once. */
@Entity({ name: 'job_run' })
export class JobRun {
  @PrimaryColumn({ name: 'job_name', type: 'varchar', length: 64 })
  jobName: string;

  @PrimaryColumn({ name: 'period_key', type: 'varchar', length: 64 })
  periodKey: string;

  @Column({ name: 'claimed_by', type: 'varchar', length: 64 })
  claimedBy: string;

  @Column({ name: 'claimed_at', type: 'datetime', precision: 3 })
  claimedAt: Date;

  @Column({ name: 'finished_at', type: 'datetime', precision: 3, nullable: true })
  finishedAt: Date | null;
}
