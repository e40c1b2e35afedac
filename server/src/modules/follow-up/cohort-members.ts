import { In, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { type Cohort, Enrollment } from '../cohort/cohort.entity';
import { dayIndexOn } from '../cohort/cohort-rules';
import { computeStreak } from '../checkin/streak';
import { defaultNickname } from '../identity/member.dto';
import { Member } from '../identity/member.entity';
import { FollowUp, MemberTag, Tag } from './follow-up.entity';
import { roundPaymentState, streakWindows, type FollowUpState, type SegmentFilter } from './follow-up-rules';

/** What staff filter a cohort's members by: a segment, a tag, a follow-up state, a name or id. */
export interface MembersFilter extends SegmentFilter {
  tagId?: number;
  followUp?: FollowUpState;
  q?: string;
}

export interface CohortMemberRow {
  member: { id: number; nickname: string; avatarUrl: string | null };
  status: 'active' | 'left' | 'removed';
  joinedAt: string;
  leftAt: string | null;
  daysDone: number;
  makeUps: number;
  streak: { current: number; longest: number };
  checkedInToday: boolean;
  lastCheckinDay: number | null;
  /** Points earned by this cohort's check-ins (awards; make-up fees not subtracted). */
  points: number;
  payments: Array<{ round: number; state: 'paid' | 'unpaid'; amountFen: number }>;
  tags: Array<{ id: number; name: string; color: string }>;
  followUp: { state: FollowUpState; note: string | null; updatedAt: string; by: { id: number; nickname: string } } | null;
}

/** The cohort's day for "today" questions: null before day 1; capped at the last day afterwards. */
function todayOf(cohort: Cohort, today: string): { index: number; running: boolean } {
  const index = dayIndexOn(cohort, today);
  return { index: Math.min(index, cohort.durationDays), running: index >= 1 && index <= cohort.durationDays && !cohort.disbandedAt };
}

const checkinsOfRow = 'checkin c WHERE c.cohort_id = e.cohort_id AND c.member_id = e.member_id';

/**
 * The members of one cohort as staff see them, in SQL: the filter runs on the enrollment rows with
 * correlated EXISTS / COUNT lookups on the (cohort, member, day) key, then each page's columns come
 * from one grouped query per source for that page's members only.
 */
export class CohortMembers {
  constructor(
    private readonly manager: EntityManager,
    private readonly cohort: Cohort,
    private readonly today: string,
  ) {}

  /** Enrollment rows matching the filter, in join order. */
  filtered(filter: MembersFilter): SelectQueryBuilder<Enrollment> {
    const { cohort } = this;
    const day = todayOf(cohort, this.today);
    const query = this.manager
      .createQueryBuilder(Enrollment, 'e')
      .leftJoin(FollowUp, 'f', 'f.cohort_id = e.cohort_id AND f.member_id = e.member_id')
      .where('e.cohort_id = :cohortId', { cohortId: cohort.id });
    const active = () => query.andWhere('e.left_at IS NULL');
    switch (filter.segment) {
      case 'all':
        break;
      case 'active':
        active();
        break;
      case 'left':
        query.andWhere('e.left_at IS NOT NULL');
        break;
      case 'checked-in-today':
      case 'missed-today': {
        active();
        if (!day.running) {
          query.andWhere('1 = 0');
          break;
        }
        const exists = `EXISTS (SELECT 1 FROM ${checkinsOfRow} AND c.day_index = :todayIndex)`;
        query.andWhere(filter.segment === 'checked-in-today' ? exists : `NOT ${exists}`, { todayIndex: day.index });
        break;
      }
      case 'streak': {
        active();
        const n = filter.minStreak ?? 7;
        const windows = streakWindows(day.index, n);
        if (windows.length === 0) {
          query.andWhere('1 = 0');
          break;
        }
        const runs = windows.map((_, i) => `(SELECT COUNT(*) FROM ${checkinsOfRow} AND c.day_index BETWEEN :from${i} AND :to${i}) = :streakLength`);
        const params = Object.fromEntries(windows.flatMap((w, i) => [[`from${i}`, w.from], [`to${i}`, w.to]]));
        query.andWhere(`(${runs.join(' OR ')})`, { ...params, streakLength: n });
        break;
      }
      case 'completed':
        query.andWhere(`(SELECT COUNT(*) FROM ${checkinsOfRow}) = :durationDays`, { durationDays: cohort.durationDays });
        break;
      case 'paid':
        query.andWhere(
          `EXISTS (SELECT 1 FROM offer_order o WHERE o.member_id = e.member_id AND o.cohort_id = e.cohort_id AND o.state = 'paid'${filter.round ? ' AND o.round = :round' : ''})`,
          { round: filter.round },
        );
        break;
      case 'not-paid':
        active();
        query.andWhere("NOT EXISTS (SELECT 1 FROM offer_order o WHERE o.member_id = e.member_id AND o.cohort_id = e.cohort_id AND o.state = 'paid')");
        break;
    }
    if (filter.tagId) {
      query.andWhere('EXISTS (SELECT 1 FROM member_tag t WHERE t.member_id = e.member_id AND t.tag_id = :tagId)', { tagId: filter.tagId });
    }
    if (filter.followUp === 'not_contacted') query.andWhere("(f.state IS NULL OR f.state = 'not_contacted')");
    else if (filter.followUp) query.andWhere('f.state = :followUp', { followUp: filter.followUp });
    if (filter.q) {
      const asId = /^\d{1,9}$/.test(filter.q) ? Number(filter.q) : -1;
      // '!' escapes LIKE wildcards the same way in SQLite and MySQL.
      const like = `%${filter.q.replace(/[!%_]/g, '!$&')}%`;
      query.andWhere(
        "(e.member_id = :asId OR EXISTS (SELECT 1 FROM member m WHERE m.id = e.member_id AND m.nickname LIKE :like ESCAPE '!'))",
        { asId, like },
      );
    }
    return query;
  }

  async count(filter: MembersFilter): Promise<number> {
    const row = await this.filtered(filter).select('COUNT(*)', 'n').getRawOne<{ n: number | string }>();
    return Number(row?.n ?? 0);
  }

  /** One page, in join order. */
  async page(filter: MembersFilter, page: { limit: number; offset: number }): Promise<CohortMemberRow[]> {
    const ids = await this.filtered(filter)
      .select('e.id', 'id')
      .orderBy('e.id', 'ASC')
      .offset(page.offset)
      .limit(page.limit)
      .getRawMany<{ id: number }>();
    return this.rowsOf(ids.map((row) => Number(row.id)));
  }

  /**
   * Every matching member, `size` at a time (keyset paging on the enrollment id), for exports. The
   * next chunk is read while the caller writes out the current one.
   */
  async *chunks(filter: MembersFilter, size: number): AsyncGenerator<CohortMemberRow[]> {
    let next = this.chunkAfter(filter, 0, size);
    for (;;) {
      const { rows, lastId } = await next;
      if (rows.length === 0) return;
      const more = rows.length === size;
      if (more) next = this.chunkAfter(filter, lastId, size);
      yield rows;
      if (!more) return;
    }
  }

  private async chunkAfter(filter: MembersFilter, after: number, size: number): Promise<{ rows: CohortMemberRow[]; lastId: number }> {
    const ids = await this.filtered(filter)
      .andWhere('e.id > :after', { after })
      .select('e.id', 'id')
      .orderBy('e.id', 'ASC')
      .limit(size)
      .getRawMany<{ id: number }>();
    const enrollmentIds = ids.map((row) => Number(row.id));
    return { rows: await this.rowsOf(enrollmentIds), lastId: enrollmentIds[enrollmentIds.length - 1] ?? after };
  }

  /** The table's columns for these enrollments, in the order given. */
  private async rowsOf(enrollmentIds: number[]): Promise<CohortMemberRow[]> {
    if (enrollmentIds.length === 0) return [];
    const { manager, cohort } = this;
    const enrollments = await manager.find(Enrollment, { where: { id: In(enrollmentIds) }, order: { id: 'ASC' } });
    const memberIds = enrollments.map((e) => e.memberId);
    const scope = { cohortId: cohort.id, memberIds };
    const [members, checkins, points, orders, tags, followUps] = await Promise.all([
      manager.find(Member, { where: { id: In(memberIds) }, select: { id: true, nickname: true, avatarUrl: true } }),
      manager
        .createQueryBuilder()
        .select('c.member_id', 'memberId')
        .addSelect('COUNT(*)', 'days')
        .addSelect('SUM(CASE WHEN c.is_make_up THEN 1 ELSE 0 END)', 'makeUps')
        // One bit per day: day_index is unique per member, so the sum is the set of days.
        .addSelect('SUM(1 << (c.day_index - 1))', 'mask')
        .from('checkin', 'c')
        .where('c.cohort_id = :cohortId AND c.member_id IN (:...memberIds)', scope)
        .groupBy('c.member_id')
        .getRawMany<{ memberId: number; days: number; makeUps: number; mask: number | string }>(),
      manager
        .createQueryBuilder()
        .select('c.member_id', 'memberId')
        .addSelect('SUM(l.delta)', 'points')
        .from('checkin', 'c')
        .innerJoin('points_ledger', 'l', "l.ref_type = 'checkin' AND l.ref_id = c.id AND l.delta > 0")
        .where('c.cohort_id = :cohortId AND c.member_id IN (:...memberIds)', scope)
        .groupBy('c.member_id')
        .getRawMany<{ memberId: number; points: number | string }>(),
      manager
        .createQueryBuilder()
        .select('o.member_id', 'memberId')
        .addSelect('o.round', 'round')
        .addSelect('o.state', 'state')
        .addSelect('o.amount_fen', 'amountFen')
        .from('offer_order', 'o')
        .where('o.cohort_id = :cohortId AND o.member_id IN (:...memberIds)', scope)
        .getRawMany<{ memberId: number; round: number; state: string; amountFen: number }>(),
      manager
        .createQueryBuilder(MemberTag, 'mt')
        .innerJoin(Tag, 't', 't.id = mt.tag_id')
        .select('mt.member_id', 'memberId')
        .addSelect('t.id', 'id')
        .addSelect('t.name', 'name')
        .addSelect('t.color', 'color')
        .where('mt.member_id IN (:...memberIds)', scope)
        .orderBy('t.id', 'ASC')
        .getRawMany<{ memberId: number; id: number; name: string; color: string }>(),
      manager.findBy(FollowUp, { cohortId: cohort.id, memberId: In(memberIds) }),
    ]);
    const followers = followUps.length
      ? await manager.find(Member, { where: { id: In([...new Set(followUps.map((f) => f.updatedBy))]) }, select: { id: true, nickname: true } })
      : [];
    const memberById = new Map(members.map((m) => [m.id, m]));
    const followUpByMember = new Map(followUps.map((f) => [f.memberId, f]));
    const followerById = new Map(followers.map((m) => [m.id, m]));

    const byMember = <T extends { memberId: number }>(rows: T[]) => {
      const map = new Map<number, T[]>();
      for (const row of rows) {
        const id = Number(row.memberId);
        map.set(id, [...(map.get(id) ?? []), row]);
      }
      return map;
    };
    const checkinsBy = byMember(checkins);
    const pointsBy = byMember(points);
    const ordersBy = byMember(orders);
    const tagsBy = byMember(tags);
    const day = todayOf(cohort, this.today);
    const nameOf = (member: Pick<Member, 'id' | 'nickname'> | undefined, id: number) => member?.nickname ?? defaultNickname(id);

    return enrollments.map((enrollment): CohortMemberRow => {
      const id = enrollment.memberId;
      const member = memberById.get(id);
      const agg = checkinsBy.get(id)?.[0];
      const mask = Number(agg?.mask ?? 0);
      const days = new Set<number>();
      for (let d = 1; d <= cohort.durationDays; d++) if (mask & (1 << (d - 1))) days.add(d);
      const streak = computeStreak(days, Math.max(day.index, 0), cohort.durationDays);
      const rounds = new Map<number, Array<{ state: string; amountFen: number }>>();
      for (const order of ordersBy.get(id) ?? []) rounds.set(Number(order.round), [...(rounds.get(Number(order.round)) ?? []), order]);
      const followUp = followUpByMember.get(id);
      return {
        member: { id, nickname: nameOf(member, id), avatarUrl: member?.avatarUrl ?? null },
        status: enrollment.removedAt ? 'removed' : enrollment.leftAt ? 'left' : 'active',
        joinedAt: enrollment.joinedAt.toISOString(),
        leftAt: enrollment.leftAt?.toISOString() ?? null,
        daysDone: Number(agg?.days ?? 0),
        makeUps: Number(agg?.makeUps ?? 0),
        streak: { current: streak.current, longest: streak.longest },
        checkedInToday: day.running && days.has(day.index),
        lastCheckinDay: days.size ? Math.max(...days) : null,
        points: Number(pointsBy.get(id)?.[0]?.points ?? 0),
        payments: [...rounds.entries()]
          .sort(([a], [b]) => a - b)
          .map(([round, list]) => {
            const state = roundPaymentState(list.map((o) => o.state))!;
            const paid = list.find((o) => o.state === 'paid');
            return { round, state, amountFen: Number((paid ?? list[0]).amountFen) };
          }),
        tags: (tagsBy.get(id) ?? []).map((t) => ({ id: Number(t.id), name: t.name, color: t.color })),
        followUp: followUp
          ? {
              state: followUp.state,
              note: followUp.note,
              updatedAt: followUp.updatedAt.toISOString(),
              by: { id: followUp.updatedBy, nickname: nameOf(followerById.get(followUp.updatedBy), followUp.updatedBy) },
            }
          : null,
      };
    });
  }
}
