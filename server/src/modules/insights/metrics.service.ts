import type { DataSource } from 'typeorm';
import { notFound } from '../../platform/http/errors';
import { Cohort } from '../cohort/cohort.entity';
import { cohortStatus } from '../cohort/cohort-rules';
import type { CohortService } from '../cohort/cohort.service';
import type { ConversionService } from '../conversion/conversion.service';
import { summarizeDayPatterns } from './day-patterns';
import { averageOrderValue, costCategories, costTotals, ratio, returnOnInvestment, type CostCategory } from './cost-rules';
import { defaultNickname } from '../identity/member.dto';
import { openSources, type OpenSource } from '../referral/referral-rules';

/** Longest-streak buckets shown to operators. */
const streakBuckets = [
  { label: '0', min: 0, max: 0 },
  { label: '1-2', min: 1, max: 2 },
  { label: '3-6', min: 3, max: 6 },
  { label: '7-13', min: 7, max: 13 },
  { label: '14-20', min: 14, max: 20 },
  { label: '21', min: 21, max: 21 },
];

/**
 * The operator's funnel. Everything is aggregated in SQL (GROUP BY, window functions) over the
 * indexes on (cohort_id, …); no query loads per-member rows into JavaScript.
 */
export class MetricsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cohorts: CohortService,
    private readonly conversion: ConversionService,
  ) {}

  async cohortMetrics(cohortId: number) {
    const cohort = await this.dataSource.manager.findOneBy(Cohort, { id: cohortId });
    if (!cohort) throw notFound('Cohort');
    const q = (sql: string, params: unknown[] = [cohortId]) => this.dataSource.query(sql, params);

    // Independent aggregates, run side by side on separate pooled connections.
    const [[enrollment], [checkins], [fromGroup], patterns, [payers], conversion] = await Promise.all([
      q(
        `SELECT COUNT(*) AS enrolled, SUM(CASE WHEN left_at IS NOT NULL THEN 1 ELSE 0 END) AS quits
         FROM enrollment WHERE cohort_id = ?`,
      ),
      q(`SELECT COUNT(*) AS total, COUNT(reviewed_at) AS reviewed FROM checkin WHERE cohort_id = ?`),
      q(`SELECT COUNT(DISTINCT member_id) AS members FROM checkin WHERE cohort_id = ? AND via_group = 1`),
      // One grouped pass: each member's days as a bit mask (one check-in per member and day, so SUM
      // is the bitwise OR), then how many members share each mask. Per-day counts, completion and
      // longest streaks are read off that histogram: at most one row per distinct pattern. It reads
      // only the (cohort_id, member_id, day_index) key, never the rows.
      q(
        `SELECT mask, COUNT(*) AS members FROM (
           SELECT member_id, SUM(1 << (day_index - 1)) AS mask FROM checkin WHERE cohort_id = ? GROUP BY member_id
         ) per_member GROUP BY mask`,
      ) as Promise<Array<{ mask: number; members: number }>>,
      q(
        `SELECT COUNT(DISTINCT member_id) AS payers, COUNT(*) AS orders, COALESCE(SUM(amount_fen), 0) AS revenue
         FROM offer_order WHERE cohort_id = ? AND state = 'paid'`,
      ),
      this.conversion.summary(cohortId),
    ]);
    const enrolled = Number(enrollment.enrolled);
    const quits = Number(enrollment.quits ?? 0);
    const [medianReviewLatencySeconds, entry, topInviters, reviewers, interaction, costs, retention] = await Promise.all([
      this.medianReviewLatency(cohortId, Number(checkins.reviewed)),
      this.entryFunnel(cohortId),
      this.topInviters(cohortId),
      this.reviewers(cohortId, Number(checkins.total)),
      this.interaction(cohortId, enrolled),
      this.costs(cohortId),
      this.retention(cohortId, cohort.nextCohortId, enrolled),
    ]);
    const funnel = summarizeDayPatterns(
      patterns.map((row) => ({ mask: Number(row.mask), members: Number(row.members) })),
      cohort.durationDays,
    );

    const streakDistribution = streakBuckets
      .filter((bucket) => bucket.min <= cohort.durationDays)
      .map((bucket) => ({
        longestStreak: bucket.label,
        members:
          (bucket.min === 0 ? Math.max(0, enrolled - funnel.membersWithCheckins) : 0) +
          [...funnel.longestStreaks].filter(([length]) => length >= bucket.min && length <= bucket.max).reduce((sum, [, n]) => sum + n, 0),
      }));
    const orders = Number(payers.orders);
    const revenueFen = Number(payers.revenue);
    const total = Number(checkins.total);
    return {
      cohortId,
      title: cohort.title,
      status: cohortStatus(cohort, this.cohorts.today()),
      durationDays: cohort.durationDays,
      enrolled,
      active: enrolled - quits,
      quits,
      quitRate: ratio(quits, enrolled),
      groupVerifiedMembers: Number(fromGroup.members),
      checkinRateByDay: funnel.checkinsByDay.map((checkedIn, i) => ({ day: i + 1, checkins: checkedIn, rate: ratio(checkedIn, enrolled) })),
      completed: funnel.completed,
      completionRate: ratio(funnel.completed, enrolled),
      streakDistribution,
      checkins: total,
      reviewCoverage: ratio(Number(checkins.reviewed), total),
      medianReviewLatencySeconds,
      rounds: conversion.rounds.map((round) => ({
        round: round.round,
        offerViews: round.views,
        orders: round.paidOrders,
        newPayers: round.newPayers,
        conversionRate: ratio(round.newPayers, enrolled),
        revenueFen: round.revenueFen,
      })),
      payers: Number(payers.payers),
      conversionRate: ratio(Number(payers.payers), enrolled),
      orders,
      revenueFen,
      averageOrderValueFen: averageOrderValue(revenueFen, Number(payers.payers)),
      disbandReady: conversion.disbandReady,
      entry,
      topInviters,
      reviewers,
      interaction,
      costs,
      roi: returnOnInvestment(revenueFen, costs.total),
      retention,
    };
  }

  /**
   * Per teacher: how many of the cohort's check-ins they reviewed (and what share), and how fast on
   * average, grouped on the review's own (cohort_id, teacher_id, latency_seconds) key.
   */
  private async reviewers(cohortId: number, checkins: number) {
    const rows: Array<Record<string, string | number | null>> = await this.dataSource.query(
      `SELECT r.teacher_id AS teacher_id, m.nickname AS nickname, r.reviews AS reviews, r.latency AS latency
       FROM (SELECT teacher_id, COUNT(*) AS reviews, AVG(latency_seconds) AS latency FROM review WHERE cohort_id = ? GROUP BY teacher_id) r
       LEFT JOIN member m ON m.id = r.teacher_id
       ORDER BY r.reviews DESC, r.teacher_id`,
      [cohortId],
    );
    return rows.map((row) => ({
      teacher: { id: Number(row.teacher_id), nickname: row.nickname === null ? defaultNickname(Number(row.teacher_id)) : String(row.nickname) },
      reviews: Number(row.reviews),
      coverage: ratio(Number(row.reviews), checkins),
      averageLatencySeconds: row.latency === null ? null : Math.round(Number(row.latency)),
    }));
  }

  /**
   * Likes and comments on the cohort's check-ins, and the share of members who gave any: off the
   * (cohort_id, member_id, …) keys of the like and comment rows, which carry their check-in's cohort.
   */
  private async interaction(cohortId: number, enrolled: number) {
    const [[likes], [comments], [people]] = await Promise.all([
      this.dataSource.query('SELECT COUNT(*) AS n FROM checkin_like WHERE cohort_id = ?', [cohortId]),
      this.dataSource.query("SELECT COUNT(*) AS n FROM checkin_comment WHERE cohort_id = ? AND moderation <> 'review'", [cohortId]),
      this.dataSource.query(
        `SELECT COUNT(*) AS n FROM (
           SELECT member_id FROM checkin_like WHERE cohort_id = ?
           UNION
           SELECT member_id FROM checkin_comment WHERE cohort_id = ?
         ) givers JOIN enrollment e ON e.cohort_id = ? AND e.member_id = givers.member_id`,
        [cohortId, cohortId, cohortId],
      ),
    ]);
    const members = Number(people.n);
    return { likes: Number(likes.n), comments: Number(comments.n), members, rate: ratio(members, enrolled) };
  }

  private async costs(cohortId: number) {
    const rows: Array<{ category: CostCategory; amount: number | string }> = await this.dataSource.query(
      'SELECT category, SUM(amount_fen) AS amount FROM cost_entry WHERE cohort_id = ? GROUP BY category',
      [cohortId],
    );
    const totals = costTotals(rows.filter((r) => costCategories.includes(r.category)).map((r) => ({ category: r.category, amountFen: Number(r.amount) })));
    return { prizesFen: totals.prizes, adsFen: totals.ads, teacherHoursFen: totals.teacher_hours, total: totals.total };
  }

  /** Members of this cohort who enrolled in the next cohort it was disbanded into (null until there is one). */
  private async retention(cohortId: number, nextCohortId: number | null, enrolled: number) {
    if (nextCohortId === null) return { nextCohortId: null, carried: 0, rate: null };
    const [row] = await this.dataSource.query(
      `SELECT COUNT(*) AS n FROM enrollment a JOIN enrollment b ON b.member_id = a.member_id AND b.cohort_id = ?
       WHERE a.cohort_id = ?`,
      [nextCohortId, cohortId],
    );
    const carried = Number(row.n);
    return { nextCohortId, carried, rate: ratio(carried, enrolled) };
  }

  /**
   * The entry funnel per source (DESIGN §4 Metrics): opens of shares, the members who opened them
   * (visitors, counted under each source they came through), who of them joined after that, and
   * who of those checked in. A member counts once in the total whatever the sources.
   */
  private async entryFunnel(cohortId: number) {
    const steps = (grouped: boolean) =>
      this.dataSource.query(
        `SELECT ${grouped ? 'v.source' : "'all'"} AS source, COUNT(*) AS visitors,
                SUM(CASE WHEN e.id IS NOT NULL THEN 1 ELSE 0 END) AS joins,
                SUM(CASE WHEN e.id IS NOT NULL AND k.member_id IS NOT NULL THEN 1 ELSE 0 END) AS first_checkins
         FROM (SELECT ${grouped ? 'source, ' : ''}member_id, MIN(created_at) AS first_at FROM referral_open
               WHERE cohort_id = ? AND member_id IS NOT NULL GROUP BY ${grouped ? 'source, ' : ''}member_id) v
         LEFT JOIN enrollment e ON e.cohort_id = ? AND e.member_id = v.member_id AND e.joined_at >= v.first_at
         LEFT JOIN (SELECT DISTINCT member_id FROM checkin WHERE cohort_id = ?) k ON k.member_id = v.member_id
         ${grouped ? 'GROUP BY v.source' : ''}`,
        [cohortId, cohortId, cohortId],
      ) as Promise<Array<{ source: string; visitors: number; joins: number | null; first_checkins: number | null }>>;
    const [opens, bySource, [all]] = await Promise.all([
      this.dataSource.query('SELECT source, COUNT(*) AS opens FROM referral_open WHERE cohort_id = ? GROUP BY source', [cohortId]) as Promise<
        Array<{ source: string; opens: number }>
      >,
      steps(true),
      steps(false),
    ]);
    const row = (source: OpenSource | 'all', opened: number, step?: { visitors: number; joins: number | null; first_checkins: number | null }) => ({
      source,
      opens: opened,
      visitors: Number(step?.visitors ?? 0),
      joins: Number(step?.joins ?? 0),
      firstCheckins: Number(step?.first_checkins ?? 0),
    });
    const sources = openSources.map((source) =>
      row(source, Number(opens.find((o) => o.source === source)?.opens ?? 0), bySource.find((s) => s.source === source)),
    );
    const total = row('all', sources.reduce((sum, s) => sum + s.opens, 0), all);
    return { sources, total, entryRate: ratio(total.firstCheckins, total.visitors) };
  }

  /** The ten members whose invitees did the most: checked in, then invited, then who started first. */
  private async topInviters(cohortId: number) {
    const rows: Array<Record<string, string | number | null>> = await this.dataSource.query(
      `SELECT r.inviter_id AS inviter_id, m.nickname AS nickname, m.avatar_url AS avatar_url, COUNT(*) AS invited,
              SUM(CASE WHEN e.id IS NOT NULL THEN 1 ELSE 0 END) AS joined,
              SUM(CASE WHEN r.first_checkin_at IS NOT NULL THEN 1 ELSE 0 END) AS checked_in,
              COALESCE(SUM(r.reward_points), 0) AS earned, MIN(r.id) AS first_id
       FROM referral r JOIN member m ON m.id = r.inviter_id
       LEFT JOIN enrollment e ON e.cohort_id = r.cohort_id AND e.member_id = r.invitee_id
       WHERE r.cohort_id = ?
       GROUP BY r.inviter_id, m.nickname, m.avatar_url
       ORDER BY checked_in DESC, invited DESC, first_id ASC
       LIMIT 10`,
      [cohortId],
    );
    return rows.map((row) => ({
      member: {
        id: Number(row.inviter_id),
        nickname: row.nickname === null ? defaultNickname(Number(row.inviter_id)) : String(row.nickname),
        avatarUrl: row.avatar_url === null ? null : String(row.avatar_url),
      },
      invited: Number(row.invited),
      joined: Number(row.joined ?? 0),
      checkedIn: Number(row.checked_in ?? 0),
      rewardPoints: Number(row.earned ?? 0),
    }));
  }

  /** One row per cohort (the 50 newest): the numbers an operator compares across cohorts. */
  async overview(range: { from?: string; to?: string } = {}) {
    const where = [range.from ? 'start_date >= ?' : '', range.to ? 'start_date <= ?' : ''].filter(Boolean);
    const newest: Array<{ id: number }> = await this.dataSource.query(
      `SELECT id FROM cohort ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT 50`,
      [range.from, range.to].filter((v): v is string => Boolean(v)),
    );
    if (newest.length === 0) return { items: [] };
    const ids = newest.map((row) => Number(row.id));
    const marks = ids.map(() => '?').join(', ');
    // Grouped derived tables joined once (MariaDB refuses correlated references nested in them).
    const rows: Array<Record<string, string | number | null>> = await this.dataSource.query(
      `SELECT c.id AS id, c.title AS title, c.start_date AS startDate, c.duration_days AS durationDays, c.disbanded_at AS disbandedAt,
              c.next_cohort_id AS nextCohortId,
              COALESCE(e.enrolled, 0) AS enrolled, COALESCE(d.completed, 0) AS completed,
              COALESCE(p.payers, 0) AS payers, COALESCE(p.revenue, 0) AS revenue,
              COALESCE(k.costs, 0) AS costs, COALESCE(r.carried, 0) AS carried
       FROM cohort c
       LEFT JOIN (SELECT cohort_id, COUNT(*) AS enrolled FROM enrollment WHERE cohort_id IN (${marks}) GROUP BY cohort_id) e ON e.cohort_id = c.id
       LEFT JOIN (
         SELECT per_member.cohort_id, COUNT(*) AS completed
         FROM (SELECT k.cohort_id, COUNT(*) AS n FROM checkin k WHERE k.cohort_id IN (${marks}) GROUP BY k.cohort_id, k.member_id) per_member
         JOIN cohort cc ON cc.id = per_member.cohort_id
         WHERE per_member.n >= cc.duration_days GROUP BY per_member.cohort_id
       ) d ON d.cohort_id = c.id
       LEFT JOIN (
         SELECT cohort_id, COUNT(DISTINCT member_id) AS payers, SUM(amount_fen) AS revenue
         FROM offer_order WHERE state = 'paid' AND cohort_id IN (${marks}) GROUP BY cohort_id
       ) p ON p.cohort_id = c.id
       LEFT JOIN (SELECT cohort_id, SUM(amount_fen) AS costs FROM cost_entry WHERE cohort_id IN (${marks}) GROUP BY cohort_id) k ON k.cohort_id = c.id
       LEFT JOIN (
         SELECT a.cohort_id, COUNT(*) AS carried
         FROM enrollment a JOIN cohort ac ON ac.id = a.cohort_id JOIN enrollment b ON b.member_id = a.member_id AND b.cohort_id = ac.next_cohort_id
         WHERE a.cohort_id IN (${marks}) GROUP BY a.cohort_id
       ) r ON r.cohort_id = c.id
       WHERE c.id IN (${marks})
       ORDER BY c.id DESC`,
      [...ids, ...ids, ...ids, ...ids, ...ids, ...ids],
    );
    const today = this.cohorts.today();
    return {
      items: rows.map((row) => {
        const enrolled = Number(row.enrolled);
        return {
          cohortId: Number(row.id),
          title: String(row.title),
          startDate: String(row.startDate),
          status: cohortStatus(
            { startDate: String(row.startDate), durationDays: Number(row.durationDays), disbandedAt: row.disbandedAt ? new Date(String(row.disbandedAt)) : null },
            today,
          ),
          enrolled,
          completionRate: ratio(Number(row.completed), enrolled),
          conversionRate: ratio(Number(row.payers), enrolled),
          payers: Number(row.payers),
          revenueFen: Number(row.revenue),
          averageOrderValueFen: averageOrderValue(Number(row.revenue), Number(row.payers)),
          costFen: Number(row.costs),
          roi: returnOnInvestment(Number(row.revenue), Number(row.costs)),
          retentionRate: row.nextCohortId === null ? null : ratio(Number(row.carried), enrolled),
        };
      }),
    };
  }

  /** The middle one or two of the reviewed check-ins' latencies, read off the (cohort_id, latency) index. */
  private async medianReviewLatency(cohortId: number, reviewed: number): Promise<number | null> {
    if (reviewed === 0) return null;
    const middle: Array<{ latency: number }> = await this.dataSource.query(
      `SELECT review_latency_seconds AS latency FROM checkin
       WHERE cohort_id = ? AND review_latency_seconds IS NOT NULL
       ORDER BY review_latency_seconds LIMIT ? OFFSET ?`,
      [cohortId, reviewed % 2 === 1 ? 1 : 2, Math.floor((reviewed - 1) / 2)],
    );
    if (middle.length === 0) return null;
    return Math.round(middle.reduce((sum, row) => sum + Number(row.latency), 0) / middle.length);
  }
}
