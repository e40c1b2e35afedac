import { In, type DataSource } from 'typeorm';
import type { Principal } from '../../platform/http/api-router';
import { notFound } from '../../platform/http/errors';
import { Checkin } from '../checkin/checkin.entity';
import { Cohort, Enrollment } from '../cohort/cohort.entity';
import { cohortStatus, dateOfDay, dayIndexOn, visibleDayIndex } from '../cohort/cohort-rules';
import type { CohortService } from '../cohort/cohort.service';
import type { IdentityService } from '../identity/identity.service';
import { balanceOf } from '../points/points.service';
import { PointsLedgerLine } from '../points/points.entity';
import { staffCohortIds } from './staff-access';

/** What the console's desk pages read: the cohorts with today's numbers, one person's record. */
export class StaffService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cohorts: CohortService,
    private readonly identity: IdentityService,
  ) {}

  /**
   * The cohorts the caller staffs, newest first, with today's numbers: members, check-ins today,
   * reviews waiting, posts held. Each count reads one index range of one cohort.
   */
  async cohortOverview(principal: Principal) {
    const manager = this.dataSource.manager;
    const ids = await staffCohortIds(manager, principal);
    if (ids !== null && ids.length === 0) return { items: [] };
    const cohorts = await manager.find(Cohort, { where: ids === null ? {} : { id: In(ids) }, order: { id: 'DESC' }, take: 100 });
    const today = this.cohorts.today();
    const count = (cohortId: number, where: string, params: Record<string, unknown> = {}) =>
      manager.createQueryBuilder(Checkin, 'c').where(`c.cohort_id = :cohortId AND ${where}`, { cohortId, ...params }).getCount();
    const items = await Promise.all(
      cohorts.map(async (cohort) => {
        const status = cohortStatus(cohort, today);
        const [members, checkedInToday, pendingReviews, heldPosts] = await Promise.all([
          manager.createQueryBuilder(Enrollment, 'e').where('e.cohort_id = :id AND e.left_at IS NULL', { id: cohort.id }).getCount(),
          status === 'running' ? count(cohort.id, 'c.day_index = :day', { day: dayIndexOn(cohort, today) }) : Promise.resolve(0),
          count(cohort.id, 'c.reviewed_at IS NULL'),
          count(cohort.id, "c.moderation = 'review'"),
        ]);
        return {
          id: cohort.id, title: cohort.title, theme: cohort.theme, status, dayIndex: visibleDayIndex(cohort, today),
          durationDays: cohort.durationDays, startDate: cohort.startDate, endDate: dateOfDay(cohort, cohort.durationDays),
          groupBound: cohort.groupOpengid !== null, members, checkedInToday, pendingReviews, heldPosts,
        };
      }),
    );
    return { items };
  }

  /** One member as an operator sees them: roles, balance, cohorts, the latest points lines. */
  async person(memberId: number) {
    const manager = this.dataSource.manager;
    const member = await this.identity.getMember(memberId).catch(() => null);
    if (!member) throw notFound('Member');
    const [balance, enrollments, lines] = await Promise.all([
      balanceOf(manager, memberId),
      manager.find(Enrollment, { where: { memberId }, order: { id: 'DESC' }, take: 50 }),
      manager.find(PointsLedgerLine, { where: { memberId }, order: { id: 'DESC' }, take: 20 }),
    ]);
    const cohorts = enrollments.length ? await manager.findBy(Cohort, { id: In(enrollments.map((e) => e.cohortId)) }) : [];
    const today = this.cohorts.today();
    return {
      member,
      balance,
      cohorts: enrollments.map((e) => {
        const cohort = cohorts.find((c) => c.id === e.cohortId)!;
        return {
          id: cohort.id, title: cohort.title, status: cohortStatus(cohort, today), joinedAt: e.joinedAt.toISOString(),
          membership: e.removedAt ? ('removed' as const) : e.leftAt ? ('left' as const) : ('active' as const),
        };
      }),
      points: lines.map((l) => ({ id: l.id, delta: l.delta, reason: l.reason, note: l.note, createdAt: l.createdAt.toISOString() })),
    };
  }
}
