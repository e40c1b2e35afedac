import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { withTransaction } from '../../platform/db/transaction';
import type { ScheduledJob } from '../../platform/jobs/scheduler';
import { MallRedemption } from '../mall/mall.entities';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Forgets the delivery address (name, phone, address) of redemptions fulfilled more than
 * `retentionDays` ago: the parcel has long arrived, and the redemption itself stays as the record.
 * One conditional UPDATE, so it is harmless to run twice; the hourly claim has one instance do it.
 * Logs only how many were purged, never whose or what.
 */
export async function purgeOldAddresses(dataSource: DataSource, now: Date, retentionDays: number): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  const result = await withTransaction(dataSource, (manager) =>
    manager
      .createQueryBuilder()
      .update(MallRedemption)
      .set({ address: null })
      .where("state = 'fulfilled' AND fulfilled_at < :cutoff AND address IS NOT NULL", { cutoff })
      .execute(),
  );
  return result.affected ?? 0;
}

export function addressRetentionJob(dataSource: DataSource, logger: Logger, retentionDays: number): ScheduledJob {
  return {
    name: 'address-retention',
    async run(now, claim) {
      if (!(await claim(now.toISOString().slice(0, 13)))) return;
      const purged = await purgeOldAddresses(dataSource, now, retentionDays);
      if (purged > 0) logger.info({ job: 'address-retention', purged, retentionDays }, 'purged delivery addresses of old fulfilled redemptions');
    },
  };
}
