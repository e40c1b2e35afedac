import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock/clock';
import { isUniqueViolation } from '../db/database-errors';
import { withTransaction } from '../db/transaction';
import { JobRun } from './job-run.entity';

/** Claims a (job, period) for this instance; false when another instance (or an earlier tick) has it. */
export type ClaimPeriod = (periodKey: string) => Promise<boolean>;

export interface ScheduledJob {
  name: string;
  /** Called on every tick; it decides which periods are due and runs each one it can claim. */
  run(now: Date, claim: ClaimPeriod): Promise<void>;
}

/**
 * Runs jobs inside the server process. Any number of instances may run one on the same database:
 * each (job, period) is claimed by inserting its job_run row, and the primary key lets only one
 * instance win.
 */
export class JobScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly jobs: ScheduledJob[],
    private readonly logger: Logger,
    readonly instanceId: string = randomUUID(),
  ) {}

  /** One pass over every job. Errors are logged per job so one failure does not stop the others. */
  async tick(): Promise<void> {
    const now = this.clock.now();
    for (const job of this.jobs) {
      try {
        await job.run(now, (periodKey) => this.claim(job.name, periodKey, now));
      } catch (error) {
        this.logger.error({ err: error, job: job.name }, 'scheduled job failed');
      }
    }
  }

  start(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return; // a slow tick is never run twice at once
      this.running = this.tick().finally(() => {
        this.running = null;
      });
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops scheduling and waits for a tick in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async claim(jobName: string, periodKey: string, now: Date): Promise<boolean> {
    try {
      await withTransaction(this.dataSource, (manager) =>
        manager.insert(JobRun, { jobName, periodKey, claimedBy: this.instanceId, claimedAt: now, finishedAt: null }),
      );
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }
}
