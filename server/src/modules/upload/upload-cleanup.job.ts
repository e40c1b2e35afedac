import type { ScheduledJob } from '../../platform/jobs/scheduler';
import type { UploadService } from './upload.service';

/**
 * Once an hour (whichever instance claims the hour): deletes uploads nothing has referred to for a
 * day, such as photos picked for a check-in that was never sent, or an avatar since replaced.
 */
export function uploadCleanupJob(uploads: UploadService): ScheduledJob {
  return {
    name: 'upload-cleanup',
    async run(now, claim) {
      if (!(await claim(now.toISOString().slice(0, 13)))) return;
      await uploads.deleteUnreferenced(now);
    },
  };
}
