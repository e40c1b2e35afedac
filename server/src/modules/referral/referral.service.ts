import { randomBytes } from 'node:crypto';
import { In, IsNull, type DataSource } from 'typeorm';
import type { Clock } from '../../platform/clock/clock';
import { isUniqueViolation } from '../../platform/db/database-errors';
import type { Principal } from '../../platform/http/api-router';
import { conflict, notFound, validationFailed } from '../../platform/http/errors';
import type { ObjectStorage } from '../../platform/storage/object-storage';
import type { WxaCodeClient } from '../../platform/wechat/wxacode';
import { Cohort, Enrollment } from '../cohort/cohort.entity';
import { canEnroll, cohortStatus } from '../cohort/cohort-rules';
import type { CohortService } from '../cohort/cohort.service';
import { Member } from '../identity/member.entity';
import { defaultNickname } from '../identity/member.dto';
import { uploadUrlFor } from '../upload/upload-keys';
import { attributionOf, INVITE_PAGE, type AttributionRefusal, newShareCode, sceneOf, sharePathOf, type ShareSource } from './referral-rules';
import type { ReferralBody } from './referral.dto';
import { Referral, ReferralOpen, ShareCode } from './referral.entities';

/** A fresh share code collides with an existing one about never; a few tries are plenty. */
const CODE_ATTEMPTS = 5;

const personOf = (member: Pick<Member, 'id' | 'nickname' | 'avatarUrl'>) => ({
  id: member.id,
  nickname: member.nickname ?? defaultNickname(member.id),
  avatarUrl: member.avatarUrl,
});

/** `wxacode/<yyyy>/<mm>/<32 hex>.<png|jpg>`: a code image's storage key (served below /uploads/). */
function wxaCodeKey(now: Date, contentType: 'image/png' | 'image/jpeg'): string {
  const month = String(now.getUTCMonth() + 1).padStart(2, '0');
  return `wxacode/${now.getUTCFullYear()}/${month}/${randomBytes(16).toString('hex')}.${contentType === 'image/png' ? 'png' : 'jpg'}`;
}

/** Invitations (DESIGN §4): share codes, poster codes, the opens of shares, who invited whom. */
export class ReferralService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly cohorts: CohortService,
    private readonly storage: ObjectStorage,
    private readonly wxaCode: WxaCodeClient,
  ) {}

  /** The member's code for sharing a cohort in one way (made the first time it is asked for). */
  async inviteCode(memberId: number, cohortId: number, source: ShareSource) {
    if (!(await this.dataSource.manager.existsBy(Cohort, { id: cohortId }))) throw notFound('Cohort');
    const share = await this.shareCodeOf(memberId, cohortId, source);
    return { code: share.code, cohortId, source, scene: sceneOf(share.code), path: sharePathOf(cohortId, share.code) };
  }

  /**
   * The Mini Program code for the member's poster of a cohort: made by WeChat once per (cohort,
   * member) and kept in object storage, so posters drawn again cost WeChat nothing.
   */
  async posterCode(memberId: number, cohortId: number) {
    const cohort = await this.dataSource.manager.findOneBy(Cohort, { id: cohortId });
    if (!cohort) throw notFound('Cohort');
    const status = cohortStatus(cohort, this.cohorts.today());
    if (!canEnroll(status)) throw conflict('COHORT_CLOSED', `This cohort is ${status}: nobody can join it any more, so it has no poster.`, { status });
    let share = await this.shareCodeOf(memberId, cohortId, 'poster');
    if (!share.imageKey) share = await this.makeCodeImage(share);
    return { code: share.code, cohortId, scene: sceneOf(share.code), page: INVITE_PAGE, imageUrl: uploadUrlFor(share.imageKey!) };
  }

  /**
   * Records an open of a share (for the entry funnel) and attributes a newcomer to the inviter.
   * Self-invites, members who had ever enrolled, a second attribution and opens before login
   * earn nothing and are no errors: the answer says why.
   */
  async recordOpen(principal: Principal | null, body: ReferralBody) {
    const manager = this.dataSource.manager;
    const share = await manager.findOneBy(ShareCode, { code: body.inviteCode });
    if (!share) throw notFound('This invite code');
    if (body.cohortId !== undefined && body.cohortId !== share.cohortId) {
      throw validationFailed('This invite code belongs to another cohort.', [{ path: 'body.cohortId', message: "does not match the invite code's cohort" }]);
    }
    const [cohort, inviter] = await Promise.all([
      manager.findOneByOrFail(Cohort, { id: share.cohortId }),
      manager.findOneByOrFail(Member, { id: share.inviterId }),
    ]);
    const answer = (reason: 'attributed' | AttributionRefusal) => ({
      cohortId: share.cohortId,
      attributed: reason === 'attributed',
      reason,
      inviter: personOf(inviter),
    });
    const openerId = principal?.memberId ?? null;
    if (openerId === share.inviterId) return answer('self');

    const now = this.clock.now();
    await manager.insert(ReferralOpen, { shareCodeId: share.id, cohortId: share.cohortId, memberId: openerId, source: body.source, createdAt: now });
    const decision = attributionOf({
      openerId,
      inviterId: share.inviterId,
      openerEverEnrolled: openerId !== null && (await manager.existsBy(Enrollment, { memberId: openerId })),
      openerAttributed: openerId !== null && (await manager.existsBy(Referral, { inviteeId: openerId })),
      cohortOpen: canEnroll(cohortStatus(cohort, this.cohorts.today())),
    });
    if (!decision.attribute) return answer(decision.reason);
    try {
      await manager.insert(Referral, {
        cohortId: share.cohortId, inviterId: share.inviterId, inviteeId: openerId!, shareCodeId: share.id, source: body.source,
        createdAt: now, firstCheckinAt: null, rewardPoints: null,
      });
    } catch (error) {
      // Two first opens at once: the unique invitee lets one of them count.
      if (isUniqueViolation(error)) return answer('already_attributed');
      throw error;
    }
    return answer('attributed');
  }

  /** Whom I invited (newest first), who joined and checked in, and what it earned me. */
  async invitations(memberId: number, page: { limit: number; before?: number }) {
    const manager = this.dataSource.manager;
    const query = manager.createQueryBuilder(Referral, 'r').where('r.inviter_id = :memberId', { memberId }).orderBy('r.id', 'DESC').take(page.limit + 1);
    if (page.before) query.andWhere('r.id < :before', { before: page.before });
    const rows = await query.getMany();
    const items = rows.slice(0, page.limit);
    const [[summary], invitees, cohorts, joined] = await Promise.all([
      manager.query(
        `SELECT COUNT(*) AS invited,
                SUM(CASE WHEN e.id IS NOT NULL THEN 1 ELSE 0 END) AS joined,
                SUM(CASE WHEN r.first_checkin_at IS NOT NULL THEN 1 ELSE 0 END) AS checked_in,
                COALESCE(SUM(r.reward_points), 0) AS earned
         FROM referral r LEFT JOIN enrollment e ON e.cohort_id = r.cohort_id AND e.member_id = r.invitee_id
         WHERE r.inviter_id = ?`,
        [memberId],
      ) as Promise<Array<Record<string, string | number | null>>>,
      items.length ? manager.find(Member, { select: { id: true, nickname: true, avatarUrl: true }, where: { id: In(items.map((r) => r.inviteeId)) } }) : [],
      items.length ? manager.find(Cohort, { select: { id: true, title: true }, where: { id: In([...new Set(items.map((r) => r.cohortId))]) } }) : [],
      items.length
        ? manager.find(Enrollment, { select: { cohortId: true, memberId: true }, where: { memberId: In(items.map((r) => r.inviteeId)), leftAt: IsNull() } })
        : [],
    ]);
    return {
      summary: {
        invited: Number(summary.invited),
        joined: Number(summary.joined ?? 0),
        checkedIn: Number(summary.checked_in ?? 0),
        earnedPoints: Number(summary.earned ?? 0),
      },
      items: items.map((r) => ({
        id: r.id,
        invitee: personOf(invitees.find((m) => m.id === r.inviteeId)!),
        cohort: { id: r.cohortId, title: cohorts.find((c) => c.id === r.cohortId)!.title },
        source: r.source,
        invitedAt: r.createdAt.toISOString(),
        joined: r.firstCheckinAt !== null || joined.some((e) => e.cohortId === r.cohortId && e.memberId === r.inviteeId),
        checkedIn: r.firstCheckinAt !== null,
        rewardPoints: r.rewardPoints,
      })),
      nextCursor: rows.length > page.limit ? String(items[items.length - 1].id) : null,
    };
  }

  /** The member's share code for (cohort, source): found, or made (the unique triple settles a race). */
  private async shareCodeOf(inviterId: number, cohortId: number, source: ShareSource): Promise<ShareCode> {
    const manager = this.dataSource.manager;
    for (let attempt = 1; ; attempt++) {
      const existing = await manager.findOneBy(ShareCode, { cohortId, inviterId, source });
      if (existing) return existing;
      try {
        await manager.insert(ShareCode, { code: newShareCode(), cohortId, inviterId, source, imageKey: null, createdAt: this.clock.now() });
      } catch (error) {
        // Either another request made this member's code just now (found on the next turn), or
        // the random code was taken: try another.
        if (!isUniqueViolation(error) || attempt >= CODE_ATTEMPTS) throw error;
      }
    }
  }

  /** Asks WeChat for the code image, stores it, and keeps the first stored one if two raced. */
  private async makeCodeImage(share: ShareCode): Promise<ShareCode> {
    const image = await this.wxaCode.unlimited({ scene: sceneOf(share.code), page: INVITE_PAGE });
    const key = wxaCodeKey(this.clock.now(), image.contentType);
    await this.storage.put(key, image.bytes, image.contentType);
    const kept = await this.dataSource.manager
      .createQueryBuilder()
      .update(ShareCode)
      .set({ imageKey: key })
      .where('id = :id AND image_key IS NULL', { id: share.id })
      .execute();
    // Another request stored its image first: that one is kept, this one goes.
    if (kept.affected !== 1) await this.storage.delete(key);
    return this.dataSource.manager.findOneByOrFail(ShareCode, { id: share.id });
  }
}
