import type { DataSource } from 'typeorm';
import { likesNoticeKey } from './notice-keys';
import type { Clock } from '../../platform/clock/clock';
import { isUniqueViolation } from '../../platform/db/database-errors';
import { withTransaction } from '../../platform/db/transaction';
import type { Principal } from '../../platform/http/api-router';
import { AppError } from '../../platform/http/errors';
import type { CheckinService } from '../checkin/checkin.service';
import { toPublicMember } from '../identity/member.dto';
import { Member } from '../identity/member.entity';
import { moveLikesReceived } from '../leaderboard/standings';
import { writeInAppNotice } from '../notify/notify.service';
import type { LikeState } from './interaction.dto';
import { likeCountOf, lockCheckin, moveCount } from './checkin-counters';
import { CheckinLike } from './interaction.entities';
import { checkinPage } from './notice-pages';

export const ownCheckinLike = () => new AppError(403, 'OWN_CHECKIN', 'You cannot like your own check-in.');

export class LikesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly checkins: CheckinService,
  ) {}

  /**
   * Likes a check-in the caller can see, once: the primary key (check-in, member) makes a repeat
   * (or 20 at once) change nothing. The like, the stored count, the author's standing and the
   * author's gathered notice are one transaction.
   */
  async like(principal: Principal, checkinId: number): Promise<LikeState> {
    const { checkin } = await this.checkins.visibleCheckin(principal, checkinId);
    if (checkin.memberId === principal.memberId) throw ownCheckinLike();
    const liker = toPublicMember(await this.dataSource.manager.findOneByOrFail(Member, { id: principal.memberId }));
    return withTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      await lockCheckin(manager, checkinId);
      try {
        await manager.insert(CheckinLike, { checkinId, cohortId: checkin.cohortId, memberId: principal.memberId, createdAt: now });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        return { liked: true, likeCount: await likeCountOf(manager, checkinId) };
      }
      await moveCount(manager, checkinId, 'like_count', 1);
      await moveLikesReceived(manager, { cohortId: checkin.cohortId, memberId: checkin.memberId, delta: 1, now });
      const likeCount = await likeCountOf(manager, checkinId);
      await writeInAppNotice(manager, {
        memberId: checkin.memberId,
        kind: 'likes',
        dedupeKey: likesNoticeKey(checkinId),
        page: checkinPage(checkinId),
        data: { count: String(likeCount), latest: liker.nickname, date: checkin.businessDate },
      }, now, { gather: true });
      return { liked: true, likeCount };
    });
  }

  /** Takes the caller's like back (nothing to take back is fine too). */
  async unlike(principal: Principal, checkinId: number): Promise<LikeState> {
    const { checkin } = await this.checkins.visibleCheckin(principal, checkinId);
    return withTransaction(this.dataSource, async (manager) => {
      await lockCheckin(manager, checkinId);
      const removed = await manager.delete(CheckinLike, { checkinId, memberId: principal.memberId });
      if (removed.affected === 1) {
        await moveCount(manager, checkinId, 'like_count', -1);
        await moveLikesReceived(manager, { cohortId: checkin.cohortId, memberId: checkin.memberId, delta: -1, now: this.clock.now() });
      }
      return { liked: false, likeCount: await likeCountOf(manager, checkinId) };
    });
  }
}
