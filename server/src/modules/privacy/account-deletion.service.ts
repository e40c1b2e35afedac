import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Clock } from '../../platform/clock/clock';
import { lockForUpdate, withTransaction } from '../../platform/db/transaction';
import type { Principal } from '../../platform/http/api-router';
import { Checkin } from '../checkin/checkin.entity';
import { CohortTeacher } from '../cohort/cohort.entity';
import { ConsoleLoginTicket } from '../console-auth/console-auth.entity';
import { FollowUp, FollowUpEvent, MemberTag } from '../follow-up/follow-up.entity';
import type { IdentityService } from '../identity/identity.service';
import { MemberRole } from '../identity/member-role.entity';
import { Member } from '../identity/member.entity';
import { DELETED_MEMBER_NICKNAME } from '../identity/nickname-rules';
import { CheckinComment, CheckinLike } from '../interaction/interaction.entities';
import { commentNoticeKey, likesNoticeKey } from '../interaction/notice-keys';
import { MallRedemption } from '../mall/mall.entities';
import type { RedemptionService } from '../mall/redemption.service';
import { Notification, SubscriptionConsent } from '../notify/notify.entity';
import { MemberPoints } from '../points/points.entity';
import { Review, ReviewTemplate } from '../review/review.entity';
import { UploadUse } from '../upload/upload.entity';
import type { UploadService } from '../upload/upload.service';

export interface AccountDeletion {
  deleted: true;
  deletedAt: string;
  /** Pending redemptions the deletion cancelled (their points came back before the account went). */
  redemptionsCancelled: number;
  /** The member's photos and recordings deleted from storage (by this call). */
  filesDeleted: number;
}

/** Another request may slip a redemption in while the account is being deleted; it is cancelled too. */
const MAX_ROUNDS = 4;
const CANCEL_REASON = '账号注销，积分已退回';

/**
 * Account deletion (注销, PIPL): effective at once, no grace period (README says why). The member row
 * stays as an anonymous anchor for the accounting records (ledger lines, orders, redemptions) and
 * the counts operators' metrics are made of; everything that identifies the person or that they
 * wrote goes. privacy-coverage.ts lists what happens to each table.
 */
export class AccountDeletionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly identity: IdentityService,
    private readonly redemptions: RedemptionService,
    private readonly uploads: UploadService,
  ) {}

  /**
   * Idempotent: a second call (a retry, a second phone) finds the account deleted and answers the
   * same. Pending redemptions are cancelled and refunded first, through the mall's own cancellation.
   */
  async deleteAccount(principal: Principal): Promise<AccountDeletion> {
    const memberId = principal.memberId;
    for (let round = 1; ; round++) {
      await this.cancelPendingRedemptions(principal);
      const outcome = await withTransaction(this.dataSource, (manager) => this.anonymize(manager, memberId));
      if (outcome !== 'pending-redemption') {
        // Every instance forgets the member's cached logins (the transaction ended them).
        await this.identity.forgetLoginsOf(memberId);
        const filesDeleted = await this.uploads.deleteUnreferencedOf(memberId);
        // Counted from the records, so a twin call (a second phone) answers the same number.
        const redemptionsCancelled = await this.dataSource.manager.countBy(MallRedemption, { memberId, state: 'cancelled', cancelReason: CANCEL_REASON });
        return { deleted: true, deletedAt: outcome.toISOString(), redemptionsCancelled, filesDeleted };
      }
      if (round >= MAX_ROUNDS) throw new Error(`account ${memberId}: redemptions kept appearing during deletion`);
    }
  }

  private async cancelPendingRedemptions(principal: Principal): Promise<void> {
    const pending = await this.dataSource.manager.find(MallRedemption, {
      select: { id: true },
      where: { memberId: principal.memberId, state: 'pending' },
    });
    for (const row of pending) await this.redemptions.cancel(principal, row.id, CANCEL_REASON);
  }

  /** One transaction: answers when the account was deleted, or that a redemption is still pending. */
  private async anonymize(manager: EntityManager, memberId: number): Promise<Date | 'pending-redemption'> {
    const member = await manager.findOne(Member, { where: { id: memberId }, lock: lockForUpdate(manager) });
    if (!member) throw new Error(`account ${memberId} does not exist`);
    if (member.deletedAt) return member.deletedAt;
    // The mall locks this row for every redemption: none can start or finish while we look.
    await manager.findOne(MemberPoints, { where: { memberId }, lock: lockForUpdate(manager) });
    if (await manager.existsBy(MallRedemption, { memberId, state: 'pending' })) return 'pending-redemption';

    const now = this.clock.now();
    await this.identity.endEveryLogin(manager, memberId);
    await manager.delete(ConsoleLoginTicket, { approvedBy: memberId });
    await manager.delete(MemberRole, { memberId });
    await manager.delete(CohortTeacher, { memberId });

    await this.eraseCheckins(manager, memberId);
    await this.eraseComments(manager, memberId);
    await this.unnameInLikeNotices(manager, member);
    await this.eraseOwnReviewRecordings(manager, memberId);
    await manager.delete(ReviewTemplate, { teacherId: memberId });
    await manager.delete(UploadUse, { refType: 'avatar', refId: memberId });

    await manager.update(MallRedemption, { memberId }, { address: null });
    await manager.delete(SubscriptionConsent, { memberId });
    await manager.delete(Notification, { memberId });
    await manager.delete(MemberTag, { memberId });
    await manager.delete(FollowUp, { memberId });
    await manager.delete(FollowUpEvent, { memberId });

    await manager.update(Member, { id: memberId }, {
      // The openid is WeChat's link to the person: with it gone, the same WeChat account logs in as a new member.
      openid: `deleted:${memberId}`,
      unionid: null,
      sessionKey: null,
      nickname: DELETED_MEMBER_NICKNAME,
      avatarUrl: null,
      deletedAt: now,
    });
    return now;
  }

  /**
   * Check-ins stay (streaks, leaderboards and the check-in rate count them) without their text,
   * photos and recording, and out of every feed and review queue (`rejected`: seen by no one but
   * an author who no longer exists); teachers' reviews of them go with them.
   */
  private async eraseCheckins(manager: EntityManager, memberId: number): Promise<void> {
    const checkinIds = (await manager.find(Checkin, { select: { id: true }, where: { memberId } })).map((row) => row.id);
    if (checkinIds.length === 0) return;
    await manager.update(Checkin, { memberId }, { text: '', imageKeys: [], audioKey: null, audioSeconds: null, moderation: 'rejected', featured: false });
    for (const ids of chunks(checkinIds)) {
      await manager.delete(UploadUse, { refType: 'checkin', refId: In(ids) });
      const reviewIds = (await manager.find(Review, { select: { id: true }, where: { checkinId: In(ids) } })).map((row) => row.id);
      if (reviewIds.length > 0) {
        await manager.delete(UploadUse, { refType: 'review', refId: In(reviewIds) });
        await manager.delete(Review, { id: In(reviewIds) });
      }
    }
  }

  /**
   * The member's comments go, with the notices quoting them to the check-ins' authors; the
   * published ones leave their check-ins' comment counts.
   */
  private async eraseComments(manager: EntityManager, memberId: number): Promise<void> {
    const commentIds = (await manager.find(CheckinComment, { select: { id: true }, where: { memberId } })).map((row) => row.id);
    for (const ids of chunks(commentIds)) await manager.delete(Notification, { dedupeKey: In(ids.map(commentNoticeKey)) });
    await manager
      .createQueryBuilder()
      .update(Checkin)
      .set({
        commentCount: () =>
          "comment_count - (SELECT COUNT(*) FROM checkin_comment cc WHERE cc.checkin_id = checkin.id AND cc.member_id = :memberId AND cc.moderation = 'pass')",
      })
      .where("id IN (SELECT cc2.checkin_id FROM checkin_comment cc2 WHERE cc2.member_id = :memberId AND cc2.moderation = 'pass')")
      .setParameters({ memberId })
      .execute();
    await manager.delete(CheckinComment, { memberId });
  }

  /**
   * Likes stay (they are counted), but a notice that gathers a check-in's likes and names the member
   * as the latest liker names 已注销用户 instead. Only notices of check-ins the member liked, and only
   * where the name is theirs, are touched.
   */
  private async unnameInLikeNotices(manager: EntityManager, member: Member): Promise<void> {
    if (!member.nickname) return;
    const liked = (await manager.find(CheckinLike, { select: { checkinId: true }, where: { memberId: member.id } })).map((row) => row.checkinId);
    for (const ids of chunks(liked)) {
      const notices = await manager.findBy(Notification, { dedupeKey: In(ids.map(likesNoticeKey)) });
      for (const notice of notices.filter((n) => n.payload.data.latest === member.nickname)) {
        const payload = { ...notice.payload, data: { ...notice.payload.data, latest: DELETED_MEMBER_NICKNAME } };
        await manager.update(Notification, { id: notice.id }, { payload });
      }
    }
  }

  /** A teacher's reviews keep their text (feedback other members received) and lose the teacher's voice. */
  private async eraseOwnReviewRecordings(manager: EntityManager, memberId: number): Promise<void> {
    const reviewIds = (await manager.find(Review, { select: { id: true }, where: { teacherId: memberId } })).map((row) => row.id);
    for (const ids of chunks(reviewIds)) {
      await manager.delete(UploadUse, { refType: 'review', refId: In(ids) });
      await manager.update(Review, { id: In(ids) }, { audioKey: null, audioSeconds: null });
    }
  }
}

function chunks(ids: number[], size = 500): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}
