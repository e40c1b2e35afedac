import type { ScheduledJob } from '../../platform/jobs/scheduler';
import type { AnnouncementService } from './announcement.service';

/**
 * Publishes each scheduled announcement once its time has come. Each one is claimed by id (the
 * job_run primary key), so of several instances, or of a restart and the run before it, exactly
 * one publishes and sends it.
 */
export function announcementJob(announcements: AnnouncementService): ScheduledJob {
  return {
    name: 'scheduled-announcements',
    async run(now, claim) {
      for (const announcement of await announcements.due(now)) {
        if (!(await claim(String(announcement.id)))) continue;
        await announcements.publish(announcement, now);
      }
    },
  };
}
