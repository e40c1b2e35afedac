import type { DataSource, SelectQueryBuilder } from 'typeorm';
import type { Principal } from '../../platform/http/api-router';
import { forbidden, notFound } from '../../platform/http/errors';
import { currentRunFloor } from '../checkin/streak';
import { Cohort, Enrollment } from '../cohort/cohort.entity';
import { dayIndexOn } from '../cohort/cohort-rules';
import type { CohortService } from '../cohort/cohort.service';
import { Member } from '../identity/member.entity';
import { toPublicMember } from '../identity/member.dto';
import type { LeaderboardDto, LeaderboardMetric } from './leaderboard.dto';
import { CohortStanding } from './standing.entity';

const BOARD_SIZE = 50;

/**
 * Each metric as SQL over cohort_standing: the value, the instant it was reached (ties go to the
 * earlier one, then the lower member id), and which rows are on the board at all. A stored run of
 * days is the current streak only while it ends today or yesterday (`:floor`).
 */
const metricSql: Record<LeaderboardMetric, { value: string; at: string; onBoard: string }> = {
  points: { value: 's.points', at: 's.points_at', onBoard: 's.points > 0' },
  likes: { value: 's.likes', at: 's.likes_at', onBoard: 's.likes > 0' },
  streak: { value: 's.streak_days', at: 's.streak_at', onBoard: 's.streak_days > 0 AND s.streak_last_day >= :floor' },
};

interface BoardRow {
  memberId: number | string;
  value: number | string;
  nickname: string | null;
  avatarUrl: string | null;
}

export class LeaderboardService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cohorts: CohortService,
  ) {}

  /** The top 50 of the cohort by points earned in it, current streak or likes received, and my own row. */
  async board(principal: Principal, cohortId: number, by: LeaderboardMetric): Promise<LeaderboardDto> {
    const cohort = await this.dataSource.manager.findOneBy(Cohort, { id: cohortId });
    if (!cohort) throw notFound('Cohort');
    const enrolled = await this.cohorts.isActiveMember(cohortId, principal.memberId);
    if (!enrolled && !(await this.cohorts.isStaff(principal, cohortId))) throw forbidden('Join this cohort to see its leaderboard.');

    const floor = currentRunFloor(dayIndexOn(cohort, this.cohorts.today()), cohort.durationDays);
    const metric = metricSql[by];
    const top = await this.onBoard(cohortId, by, floor)
      .innerJoin(Member, 'm', 'm.id = s.member_id')
      .select('s.member_id', 'memberId')
      .addSelect(metric.value, 'value')
      .addSelect('m.nickname', 'nickname')
      .addSelect('m.avatar_url', 'avatarUrl')
      .orderBy(metric.value, 'DESC')
      .addOrderBy(metric.at, 'ASC')
      .addOrderBy('s.member_id', 'ASC')
      .limit(BOARD_SIZE)
      .getRawMany<BoardRow>();
    const items = top.map((row, i) => ({
      rank: i + 1,
      member: toPublicMember({ id: Number(row.memberId), nickname: row.nickname, avatarUrl: row.avatarUrl }),
      value: Number(row.value),
    }));
    return { by, items, me: enrolled ? await this.myRow(principal.memberId, cohortId, by, floor, items) : null };
  }

  private async myRow(memberId: number, cohortId: number, by: LeaderboardMetric, floor: number, items: LeaderboardDto['items']) {
    const member = toPublicMember(await this.dataSource.manager.findOneByOrFail(Member, { id: memberId }));
    const listed = items.find((item) => item.member.id === memberId);
    if (listed) return { rank: listed.rank, member, value: listed.value };

    const standing = await this.dataSource.manager.findOneBy(CohortStanding, { cohortId, memberId });
    const value = standing ? valueOf(standing, by, floor) : 0;
    if (!standing || value === 0) return { rank: null, member, value: 0 };
    // Rows ahead of mine: among every standing (one index range: `value >= mine` is what lets the
    // database count inside the index), less those of members who left (few, by their own index).
    const metric = metricSql[by];
    const ahead = `${metric.value} >= :value AND (${metric.value} > :value OR ${metric.at} < :at OR (${metric.at} = :at AND s.member_id < :memberId))`;
    const params = { value, at: reachedAt(standing, by), memberId, floor };
    const [all, left] = await Promise.all([
      this.dataSource.manager.createQueryBuilder(CohortStanding, 's')
        .where('s.cohort_id = :cohortId', { cohortId }).andWhere(metric.onBoard).andWhere(ahead, params).getCount(),
      this.dataSource.manager.createQueryBuilder(Enrollment, 'e')
        .innerJoin(CohortStanding, 's', 's.cohort_id = e.cohort_id AND s.member_id = e.member_id')
        .where('e.cohort_id = :cohortId AND e.left_at IS NOT NULL', { cohortId }).andWhere(metric.onBoard).andWhere(ahead, params).getCount(),
    ]);
    return { rank: all - left + 1, member, value };
  }

  /** Standings of the cohort's current members that are on the board for this metric. */
  private onBoard(cohortId: number, by: LeaderboardMetric, floor: number): SelectQueryBuilder<CohortStanding> {
    return this.dataSource.manager
      .createQueryBuilder(CohortStanding, 's')
      .innerJoin(Enrollment, 'e', 'e.cohort_id = s.cohort_id AND e.member_id = s.member_id AND e.left_at IS NULL')
      .where('s.cohort_id = :cohortId', { cohortId })
      .andWhere(metricSql[by].onBoard, { floor });
  }
}

function valueOf(standing: CohortStanding, by: LeaderboardMetric, floor: number): number {
  if (by === 'points') return standing.points;
  if (by === 'likes') return standing.likes;
  return standing.streakLastDay >= floor ? standing.streakDays : 0;
}

function reachedAt(standing: CohortStanding, by: LeaderboardMetric): Date | null {
  return by === 'points' ? standing.pointsAt : by === 'likes' ? standing.likesAt : standing.streakAt;
}
