import { IsNull, type DataSource } from 'typeorm';
import type { Clock } from '../../platform/clock/clock';
import { withTransaction } from '../../platform/db/transaction';
import { conflict, notFound } from '../../platform/http/errors';
import { Checkin } from '../checkin/checkin.entity';
import { Cohort, Enrollment } from '../cohort/cohort.entity';
import { canEnroll, cohortStatus } from '../cohort/cohort-rules';
import type { CohortService } from '../cohort/cohort.service';
import type { NotifyService } from '../notify/notify.service';
import { CohortOutcome, OfferOrder } from './conversion.entity';

const OUTCOME_BATCH = 500;

export class DisbandService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly cohorts: CohortService,
    private readonly notify: NotifyService,
  ) {}

  /**
   * The operator disbands a cohort after its last day: check-ins close (status `disbanded`), the
   * group is unbound (and its QR taken away), reminders stop (the job skips disbanded cohorts), who completed and who
   * converted is recorded, and members are invited to the next cohort if one is named. WeChat has
   * no API to dissolve the chat itself: the operator does that in WeChat.
   */
  async disband(operatorId: number, cohortId: number, nextCohortId: number | null) {
    const cohort = await this.dataSource.manager.findOneBy(Cohort, { id: cohortId });
    if (!cohort) throw notFound('Cohort');
    const status = cohortStatus(cohort, this.cohorts.today());
    if (status === 'disbanded') throw conflict('COHORT_DISBANDED', 'This cohort is already disbanded.');
    if (status !== 'converting') {
      throw conflict('COHORT_NOT_FINISHED', `A cohort can be disbanded after its last day; this one is ${status}.`, { status });
    }
    const next = nextCohortId === null ? null : await this.dataSource.manager.findOneBy(Cohort, { id: nextCohortId });
    if (nextCohortId !== null) {
      if (!next || next.id === cohortId) throw notFound('Next cohort');
      const nextStatus = cohortStatus(next, this.cohorts.today());
      if (!canEnroll(nextStatus)) {
        throw conflict('NEXT_COHORT_NOT_OPEN', `The next cohort is ${nextStatus}; choose one that is recruiting or running.`, { status: nextStatus });
      }
    }

    const now = this.clock.now();
    const members = await withTransaction(this.dataSource, async (manager) => {
      const claimed = await manager.createQueryBuilder().update(Cohort)
        .set({ disbandedAt: now, groupOpengid: null, groupBoundAt: null, groupQrKey: null, groupQrUploadedAt: null, nextCohortId })
        .where('id = :cohortId AND disbanded_at IS NULL', { cohortId })
        .execute();
      if (claimed.affected !== 1) throw conflict('COHORT_DISBANDED', 'This cohort is already disbanded.');
      await this.cohorts.letGoGroupQr(manager, cohortId);

      const enrolled = await manager.find(Enrollment, { select: { memberId: true }, where: { cohortId, leftAt: IsNull() } });
      const daysDone: Array<{ memberId: number; n: string }> = await manager.createQueryBuilder(Checkin, 'c')
        .select('c.member_id', 'memberId').addSelect('COUNT(*)', 'n')
        .where('c.cohort_id = :cohortId', { cohortId }).groupBy('c.member_id').getRawMany();
      const payers: Array<{ memberId: number }> = await manager.createQueryBuilder(OfferOrder, 'o')
        .select('DISTINCT o.member_id', 'memberId').where("o.cohort_id = :cohortId AND o.state = 'paid'", { cohortId }).getRawMany();
      const done = new Map(daysDone.map((row) => [Number(row.memberId), Number(row.n)]));
      const paid = new Set(payers.map((row) => Number(row.memberId)));
      const outcomes = enrolled.map(({ memberId }) => ({
        cohortId, memberId, completed: (done.get(memberId) ?? 0) >= cohort.durationDays, converted: paid.has(memberId), recordedAt: now,
      }));
      for (let i = 0; i < outcomes.length; i += OUTCOME_BATCH) await manager.insert(CohortOutcome, outcomes.slice(i, i + OUTCOME_BATCH));
      return enrolled.map((e) => e.memberId);
    });
    await this.cohorts.changed(cohortId);

    let invited = 0;
    if (next) {
      const withSends = new Set(await this.notify.membersWithSendsLeft(members, 'invitation'));
      for (const memberId of members) {
        const notice = {
          memberId,
          dedupeKey: `invitation:${cohortId}:${memberId}`,
          page: `pages/cohort/index?id=${next.id}`,
          data: { thing1: next.title, date2: next.startDate, thing3: `${cohort.title} 已结束，欢迎继续` },
        };
        if (await this.notify.notifyInApp({ ...notice, kind: 'invitation' })) invited++;
        if (withSends.has(memberId)) await this.notify.notify({ ...notice, template: 'invitation', dedupeKey: `${notice.dedupeKey}:subscribe` });
      }
    }
    const converted = await this.dataSource.manager.countBy(CohortOutcome, { cohortId, converted: true });
    return { cohort: await this.cohorts.get(operatorId, cohortId), invited, members: members.length, converted };
  }
}
