import { IsNull, LessThanOrEqual, type DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import { businessDateOf } from '../../platform/clock/business-date';
import type { ScheduledJob } from '../../platform/jobs/scheduler';
import { Checkin } from '../checkin/checkin.entity';
import { Cohort, CohortPrompt, Enrollment } from '../cohort/cohort.entity';
import { cohortStatus, dayIndexOn } from '../cohort/cohort-rules';
import type { NotifyService } from './notify.service';

/**
 * The daily reminder: at each running cohort's reminder time (local, BUSINESS_TZ), one message
 * to every enrolled member who has not checked in today and has a reminder send left.
 */
export function dailyReminderJob(dataSource: DataSource, notify: NotifyService, timeZone: string): ScheduledJob {
  return {
    name: 'daily-reminder',
    async run(now, claim) {
      const today = businessDateOf(now, timeZone);
      const localTime = DateTime.fromJSDate(now, { zone: timeZone }).toFormat('HH:mm');
      const cohorts = await dataSource.manager.findBy(Cohort, { disbandedAt: IsNull(), startDate: LessThanOrEqual(today) });
      for (const cohort of cohorts) {
        if (cohortStatus(cohort, today) !== 'running' || localTime < cohort.reminderTime) continue;
        if (!(await claim(`${cohort.id}:${today}`))) continue;
        await remindCohort(cohort, today);
      }
    },
  };

  async function remindCohort(cohort: Cohort, today: string): Promise<void> {
    const dayIndex = dayIndexOn(cohort, today);
    const pending: Array<{ memberId: number }> = await dataSource.manager
      .createQueryBuilder(Enrollment, 'e')
      .select('e.member_id', 'memberId')
      .where('e.cohort_id = :cohortId AND e.left_at IS NULL', { cohortId: cohort.id })
      .andWhere((qb) => {
        const done = qb.subQuery().select('1').from(Checkin, 'c')
          .where('c.cohort_id = e.cohort_id AND c.member_id = e.member_id AND c.day_index = :dayIndex')
          .getQuery();
        return `NOT EXISTS ${done}`;
      })
      .setParameter('dayIndex', dayIndex)
      .getRawMany();
    const recipients = await notify.membersWithSendsLeft(pending.map((row) => Number(row.memberId)), 'reminder');
    const prompt = await dataSource.manager.findOneBy(CohortPrompt, { cohortId: cohort.id, dayIndex });
    for (const memberId of recipients) {
      await notify.notify({
        memberId,
        template: 'reminder',
        dedupeKey: `reminder:${cohort.id}:${memberId}:${today}`,
        page: `pages/cohort/index?id=${cohort.id}`,
        data: {
          thing1: cohort.title,
          thing2: prompt?.text ?? `第${dayIndex}天打卡`,
          number3: String(dayIndex),
        },
      });
    }
  }
}
