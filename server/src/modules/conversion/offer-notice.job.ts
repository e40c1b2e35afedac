import { DateTime } from 'luxon';
import type { ScheduledJob } from '../../platform/jobs/scheduler';
import type { NotifyService } from '../notify/notify.service';
import type { ConversionService } from './conversion.service';

/**
 * When an offer's window opens, one subscription message to each member of its audience who has
 * an "offer" send left. Each offer is announced once, whichever instance claims it.
 */
export function offerNoticeJob(conversion: ConversionService, notify: NotifyService, timeZone: string): ScheduledJob {
  return {
    name: 'offer-open-notice',
    async run(now, claim) {
      for (const offer of await conversion.openOffers(now)) {
        if (!(await claim(String(offer.id)))) continue;
        const members = await notify.membersWithSendsLeft(await conversion.audienceOf(offer), 'offer');
        for (const memberId of members) {
          await notify.notify({
            memberId,
            template: 'offer',
            dedupeKey: `offer:${offer.id}:${memberId}`,
            page: `pages/offers/index?cohortId=${offer.cohortId}`,
            data: {
              thing1: offer.title,
              amount2: `¥${(offer.priceFen / 100).toFixed(2)}`,
              time3: DateTime.fromJSDate(offer.closesAt, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm'),
            },
          });
        }
      }
    },
  };
}
