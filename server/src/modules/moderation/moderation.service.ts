import { In, type DataSource } from 'typeorm';
import type { Clock } from '../../platform/clock/clock';
import { withTransaction } from '../../platform/db/transaction';
import type { Principal } from '../../platform/http/api-router';
import { conflict, notFound } from '../../platform/http/errors';
import { recordAudit } from '../audit/audit';
import { Checkin } from '../checkin/checkin.entity';
import { toCheckinDto } from '../checkin/checkin.service';
import { Cohort, Enrollment } from '../cohort/cohort.entity';
import { Member } from '../identity/member.entity';
import type { NotifyService } from '../notify/notify.service';
import { cohortForStaff, staffCohortIds } from '../staff/staff-access';

const notHeld = () => conflict('NOT_HELD', 'This check-in is not waiting for moderation (someone already released or rejected it).');

/**
 * Moderation: posts the content check held back are released or rejected by staff (the author is
 * told), and staff can remove a member from a cohort. Every action is audited (who, when, why).
 */
export class ModerationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly notify: NotifyService,
  ) {}

  /** Held check-ins of the cohorts the caller staffs, oldest first (whoever waits longest first). */
  async held(principal: Principal, filter: { cohortId?: number; limit: number; after?: number }) {
    const manager = this.dataSource.manager;
    let cohortIds = await staffCohortIds(manager, principal);
    if (filter.cohortId !== undefined) {
      await cohortForStaff(manager, principal, filter.cohortId);
      cohortIds = [filter.cohortId];
    }
    if (cohortIds !== null && cohortIds.length === 0) return { items: [], nextCursor: null };
    const query = manager
      .createQueryBuilder(Checkin, 'c')
      .where("c.moderation = 'review'")
      .orderBy('c.id', 'ASC')
      .take(filter.limit + 1);
    if (cohortIds !== null) query.andWhere('c.cohort_id IN (:...cohortIds)', { cohortIds });
    if (filter.after) query.andWhere('c.id > :after', { after: filter.after });
    const rows = await query.getMany();
    const items = rows.slice(0, filter.limit);
    const [authors, cohorts] = items.length
      ? await Promise.all([
          manager.findBy(Member, { id: In([...new Set(items.map((c) => c.memberId))]) }),
          manager.findBy(Cohort, { id: In([...new Set(items.map((c) => c.cohortId))]) }),
        ])
      : [[], []];
    return {
      items: items.map((c) => ({
        ...toCheckinDto(c, authors.find((a) => a.id === c.memberId)!),
        cohortTitle: cohorts.find((cohort) => cohort.id === c.cohortId)?.title ?? '',
      })),
      nextCursor: rows.length > filter.limit ? String(items[items.length - 1].id) : null,
    };
  }

  async release(principal: Principal, checkinId: number) {
    return this.decide(principal, checkinId, 'pass', null);
  }

  async reject(principal: Principal, checkinId: number, reason: string) {
    return this.decide(principal, checkinId, 'rejected', reason);
  }

  /**
   * Removes a member from a cohort: no more check-ins (the enrollment is closed and cannot be
   * reopened by the member), points and past check-ins kept.
   */
  async removeMember(principal: Principal, cohortId: number, memberId: number, reason: string) {
    const now = this.clock.now();
    const cohort = await withTransaction(this.dataSource, async (manager) => {
      const found = await cohortForStaff(manager, principal, cohortId);
      const enrollment = await manager.findOneBy(Enrollment, { cohortId, memberId });
      if (!enrollment) throw notFound('Member of this cohort');
      const changed = await manager
        .createQueryBuilder()
        .update(Enrollment)
        .set({ removedAt: now, removedBy: principal.memberId, leftAt: enrollment.leftAt ?? now })
        .where('id = :id AND removed_at IS NULL', { id: enrollment.id })
        .execute();
      if (changed.affected !== 1) throw conflict('ALREADY_REMOVED', 'This member was already removed from the cohort.');
      await recordAudit(manager, {
        actorId: principal.memberId, action: 'enrollment.remove', cohortId, memberId,
        target: { type: 'enrollment', id: enrollment.id }, details: { reason },
      }, now);
      return found;
    });
    await this.notify.notifyInApp({
      memberId, kind: 'removed', dedupeKey: `removed:${cohortId}:${memberId}:${now.getTime()}`,
      page: 'pages/home/index', data: { cohortTitle: cohort.title, reason },
    });
    return { cohortId, memberId, removedAt: now.toISOString() };
  }

  /** Undoes a removal: the member is in the cohort again and may check in. */
  async reinstateMember(principal: Principal, cohortId: number, memberId: number) {
    const now = this.clock.now();
    await withTransaction(this.dataSource, async (manager) => {
      await cohortForStaff(manager, principal, cohortId);
      const enrollment = await manager.findOneBy(Enrollment, { cohortId, memberId });
      if (!enrollment?.removedAt) throw notFound('Removal of this member');
      await manager.update(Enrollment, { id: enrollment.id }, { removedAt: null, removedBy: null, leftAt: null });
      await recordAudit(manager, { actorId: principal.memberId, action: 'enrollment.reinstate', cohortId, memberId, target: { type: 'enrollment', id: enrollment.id } }, now);
    });
    return { cohortId, memberId, removedAt: null };
  }

  private async decide(principal: Principal, checkinId: number, outcome: 'pass' | 'rejected', reason: string | null) {
    const now = this.clock.now();
    const { checkin, cohort } = await withTransaction(this.dataSource, async (manager) => {
      const found = await manager.findOneBy(Checkin, { id: checkinId });
      if (!found) throw notFound('Check-in');
      const staffed = await cohortForStaff(manager, principal, found.cohortId);
      const changed = await manager
        .createQueryBuilder()
        .update(Checkin)
        .set({ moderation: outcome })
        .where("id = :id AND moderation = 'review'", { id: checkinId })
        .execute();
      if (changed.affected !== 1) throw notHeld();
      await recordAudit(manager, {
        actorId: principal.memberId, action: outcome === 'pass' ? 'checkin.release' : 'checkin.reject',
        cohortId: found.cohortId, memberId: found.memberId, target: { type: 'checkin', id: checkinId },
        details: reason ? { reason } : undefined,
      }, now);
      return { checkin: found, cohort: staffed };
    });
    await this.notify.notifyInApp({
      memberId: checkin.memberId,
      kind: outcome === 'pass' ? 'checkin-released' : 'checkin-rejected',
      dedupeKey: `moderation:${checkinId}`,
      page: `pages/cohort/progress?id=${checkin.cohortId}`,
      data: { cohortTitle: cohort.title, date: checkin.businessDate, ...(reason ? { reason } : {}) },
    });
    return { checkinId, moderation: outcome === 'pass' ? ('released' as const) : ('rejected' as const), reason };
  }
}
