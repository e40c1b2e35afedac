import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Clock } from '../../platform/clock/clock';
import { isUniqueViolation } from '../../platform/db/database-errors';
import { lockForUpdate, withTransaction } from '../../platform/db/transaction';
import type { Principal } from '../../platform/http/api-router';
import { AppError, conflict, forbidden, notFound, validationFailed } from '../../platform/http/errors';
import { rejectRiskyText, type ContentCheck } from '../../platform/wechat/content-check';
import { Cohort, CohortPrompt, Enrollment } from '../cohort/cohort.entity';
import { cohortStatus, dateOfDay, dayIndexOn, visibleDayIndex } from '../cohort/cohort-rules';
import { cohortNotRunning, pointsRulesOf, type CohortService } from '../cohort/cohort.service';
import { Member } from '../identity/member.entity';
import { defaultNickname } from '../identity/member.dto';
import { hasRole } from '../identity/roles';
import { awardsForCheckin } from '../points/award-rules';
import { balanceOf, insufficientPoints, recordLedgerLine } from '../points/points.service';
import { uploadUrlFor } from '../upload/upload-keys';
import type { UploadService } from '../upload/upload.service';
import { Checkin } from './checkin.entity';
import type { CheckinBody, CheckinDto } from './checkin.dto';
import { groupMismatch, openGroupProof } from './group-proof';
import type { ReviewDto } from '../review/review.schema';

/** Reads reviews for check-ins (the review module provides it). */
export interface ReviewReader {
  reviewsOf(checkinIds: number[]): Promise<Map<number, ReviewDto>>;
}
import { computeStreak } from './streak';

export interface CheckinSettings {
  wechatAppId: string;
  groupProofMaxAgeSeconds: number;
}

export const checkinAlreadyDone = (date: string) =>
  conflict('CHECKIN_ALREADY_DONE', `You have already checked in for ${date}.`, { date });

export const makeUpLimitReached = (limit: number) =>
  conflict('MAKEUP_LIMIT_REACHED', `You have used all ${limit} make-ups of this cohort.`, { limit });

export const notEnrolled = () =>
  new AppError(403, 'NOT_ENROLLED', 'Join this cohort first to check in.');

export class CheckinService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly cohorts: CohortService,
    private readonly contentCheck: ContentCheck,
    private readonly reviews: ReviewReader,
    private readonly uploads: UploadService,
    private readonly settings: CheckinSettings,
  ) {}

  /**
   * Today's check-in, or a make-up of a missed past day. Everything that is written (the check-in,
   * each award line, the make-up fee, the balance) is one transaction; the member's enrollment row
   * is locked first so one member's check-ins in a cohort take turns, and the unique key on
   * (cohort, member, day) is the last word on "once a day".
   */
  async checkIn(memberId: number, cohortId: number, body: CheckinBody) {
    const cohort = await this.dataSource.manager.findOneBy(Cohort, { id: cohortId });
    if (!cohort) throw notFound('Cohort');
    const today = this.cohorts.today();
    const status = cohortStatus(cohort, today);
    if (status !== 'running') throw cohortNotRunning(status);
    const todayIndex = dayIndexOn(cohort, today);

    const isMakeUp = body.makeUpDate !== undefined;
    const dayIndex = isMakeUp ? dayIndexOn(cohort, body.makeUpDate!) : todayIndex;
    // Everything that would refuse this check-in is settled before WeChat's content check is
    // called (its quota is the app's, shared by every member); the transaction checks it again.
    const standing = await this.standingOf(cohortId, memberId, dayIndex);
    if (!standing.enrolled) throw notEnrolled();
    if (isMakeUp && (dayIndex < 1 || dayIndex >= todayIndex)) {
      throw validationFailed(`A make-up is for a missed past day of this cohort (${cohort.startDate} to yesterday).`, [
        { path: 'body.makeUpDate', message: 'must be a past day of the cohort' },
      ]);
    }
    if (isMakeUp && body.groupProof) {
      throw validationFailed('A make-up earns the base points only; send it without a group proof.', [
        { path: 'body.groupProof', message: 'not allowed with makeUpDate' },
      ]);
    }
    const date = dateOfDay(cohort, dayIndex);
    if (standing.dayDone) throw checkinAlreadyDone(date);
    if (isMakeUp && standing.makeUps >= cohort.makeUpLimit) throw makeUpLimitReached(cohort.makeUpLimit);
    if (isMakeUp && standing.balance < cohort.makeUpCost) throw insufficientPoints(standing.balance, cohort.makeUpCost);
    const photos = await this.uploads.check(this.dataSource.manager, { ownerId: memberId, kind: 'image', urls: body.imageUrls, field: 'body.imageUrls' });
    const imageKeys = photos.keys;

    const member = standing.member;
    const viaGroup = body.groupProof ? this.verifyGroup(cohort, member, body.groupProof) : false;
    const { verdict } = await this.contentCheck.checkText({ text: body.text, openid: member.openid });
    const moderation = rejectRiskyText(verdict);

    try {
      return await withTransaction(this.dataSource, async (manager) => {
        const now = this.clock.now();
        await this.lockActiveEnrollment(manager, cohortId, memberId);
        const mine = await manager.find(Checkin, {
          select: { dayIndex: true, isMakeUp: true },
          where: { cohortId, memberId },
        });
        const daysBefore = new Set(mine.map((c) => c.dayIndex));
        if (daysBefore.has(dayIndex)) throw checkinAlreadyDone(date);
        if (isMakeUp && mine.filter((c) => c.isMakeUp).length >= cohort.makeUpLimit) throw makeUpLimitReached(cohort.makeUpLimit);

        const row = {
          cohortId, memberId, dayIndex, businessDate: date, text: body.text, imageKeys,
          viaGroup, isMakeUp, moderation, createdAt: now, reviewedAt: null, reviewLatencySeconds: null, featured: false,
        };
        const inserted = await manager.insert(Checkin, row);
        const checkinId = Number(inserted.identifiers[0].id);
        await this.uploads.attach(manager, { type: 'checkin', id: checkinId }, photos);
        const ref = { refType: 'checkin', refId: checkinId };

        const awards: Array<{ reason: string; points: number }> = [];
        if (isMakeUp && cohort.makeUpCost > 0) {
          await recordLedgerLine(manager, { memberId, delta: -cohort.makeUpCost, reason: 'make_up_fee', ...ref, idempotencyKey: `checkin:${checkinId}:make-up-fee` }, now);
          awards.push({ reason: 'make_up_fee', points: -cohort.makeUpCost });
        }
        const earned = awardsForCheckin({
          rules: pointsRulesOf(cohort), cohortId, memberId, checkinId, dayIndex,
          durationDays: cohort.durationDays, daysBefore, viaGroup, isMakeUp,
        });
        for (const award of earned) {
          await recordLedgerLine(manager, { memberId, delta: award.points, reason: award.reason, ...ref, idempotencyKey: award.idempotencyKey }, now);
          awards.push({ reason: award.reason, points: award.points });
        }

        return {
          checkin: toCheckinDto(Object.assign(new Checkin(), row, { id: checkinId }), member),
          awards,
          streak: computeStreak(new Set(daysBefore).add(dayIndex), todayIndex, cohort.durationDays),
          balance: await balanceOf(manager, memberId),
        };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw checkinAlreadyDone(date);
      throw error;
    }
  }

  /** The cohort's feed, newest first. Held check-ins show only to their author, teachers and operators. */
  async feed(principal: Principal, cohortId: number, page: { limit: number; before?: number }) {
    if (!(await this.dataSource.manager.existsBy(Cohort, { id: cohortId }))) throw notFound('Cohort');
    const staff = await this.isStaff(principal, cohortId);
    if (!staff && !(await this.isActiveMember(cohortId, principal.memberId))) {
      throw forbidden('Join this cohort to see its check-ins.');
    }
    const query = this.dataSource.manager
      .createQueryBuilder(Checkin, 'c')
      .where('c.cohort_id = :cohortId', { cohortId })
      .orderBy('c.id', 'DESC')
      .take(page.limit + 1);
    if (page.before) query.andWhere('c.id < :before', { before: page.before });
    if (!staff) query.andWhere("(c.moderation = 'pass' OR c.member_id = :memberId)", { memberId: principal.memberId });
    const rows = await query.getMany();
    const hasMore = rows.length > page.limit;
    const items = rows.slice(0, page.limit);
    const authors = await this.dataSource.manager.findBy(Member, { id: In([...new Set(items.map((c) => c.memberId))]) });
    const reviews = await this.reviews.reviewsOf(items.map((c) => c.id));
    return {
      items: items.map((c) => toCheckinDto(c, authors.find((a) => a.id === c.memberId)!, reviews.get(c.id) ?? null)),
      nextCursor: hasMore ? String(items[items.length - 1].id) : null,
    };
  }

  /** One check-in, for whoever may see it in its cohort's feed. */
  async one(principal: Principal, checkinId: number): Promise<CheckinDto> {
    const checkin = await this.dataSource.manager.findOneBy(Checkin, { id: checkinId });
    if (!checkin) throw notFound('Check-in');
    const own = checkin.memberId === principal.memberId;
    const staff = await this.isStaff(principal, checkin.cohortId);
    const visible = own || staff || (checkin.moderation === 'pass' && (await this.isActiveMember(checkin.cohortId, principal.memberId)));
    if (!visible) throw notFound('Check-in');
    const author = await this.dataSource.manager.findOneByOrFail(Member, { id: checkin.memberId });
    const reviews = await this.reviews.reviewsOf([checkin.id]);
    return toCheckinDto(checkin, author, reviews.get(checkin.id) ?? null);
  }

  /** The member's calendar for a cohort: done / made-up / missed / today / upcoming, with the streak. */
  async progress(memberId: number, cohortId: number) {
    const cohort = await this.dataSource.manager.findOneBy(Cohort, { id: cohortId });
    if (!cohort) throw notFound('Cohort');
    const enrollment = await this.dataSource.manager.findOneBy(Enrollment, { cohortId, memberId });
    if (!enrollment) throw notEnrolled();
    const today = this.cohorts.today();
    const todayIndex = dayIndexOn(cohort, today);
    const mine = await this.dataSource.manager.findBy(Checkin, { cohortId, memberId });
    const prompts = await this.dataSource.manager.findBy(CohortPrompt, { cohortId });
    const byDay = new Map(mine.map((c) => [c.dayIndex, c]));
    const reviews = await this.reviews.reviewsOf(mine.map((c) => c.id));
    const days = Array.from({ length: cohort.durationDays }, (_, i) => {
      const dayIndex = i + 1;
      const checkin = byDay.get(dayIndex);
      const state = checkin
        ? checkin.isMakeUp ? 'made-up' : 'done'
        : dayIndex < todayIndex ? 'missed' : dayIndex === todayIndex ? 'today' : 'upcoming';
      return {
        dayIndex,
        date: dateOfDay(cohort, dayIndex),
        state: state as 'done' | 'made-up' | 'missed' | 'today' | 'upcoming',
        prompt: prompts.find((p) => p.dayIndex === dayIndex)?.text ?? null,
        checkinId: checkin?.id ?? null,
        review: checkin ? (reviews.get(checkin.id) ?? null) : null,
      };
    });
    const makeUpsUsed = mine.filter((c) => c.isMakeUp).length;
    return {
      cohortId,
      status: cohortStatus(cohort, today),
      dayIndex: visibleDayIndex(cohort, today),
      days,
      streak: computeStreak(new Set(byDay.keys()), todayIndex, cohort.durationDays),
      makeUpsUsed,
      makeUpsLeft: Math.max(0, cohort.makeUpLimit - makeUpsUsed),
      makeUpCost: cohort.makeUpCost,
      balance: await balanceOf(this.dataSource.manager, memberId),
    };
  }

  private verifyGroup(cohort: Cohort, member: Member, proof: NonNullable<CheckinBody['groupProof']>): boolean {
    const opengid = openGroupProof({
      proof,
      sessionKey: member.sessionKey,
      appId: this.settings.wechatAppId,
      now: this.clock.now(),
      maxAgeSeconds: this.settings.groupProofMaxAgeSeconds,
    });
    if (!cohort.groupOpengid) throw groupMismatch("This cohort's WeChat group is not bound yet, so no group bonus can be given.");
    if (opengid !== cohort.groupOpengid) throw groupMismatch("This proof comes from another WeChat group, not this cohort's.");
    return true;
  }

  private async lockActiveEnrollment(manager: EntityManager, cohortId: number, memberId: number): Promise<void> {
    const enrollment = await manager.findOne(Enrollment, { where: { cohortId, memberId }, lock: lockForUpdate(manager) });
    if (!enrollment || enrollment.leftAt) throw notEnrolled();
  }

  private async isStaff(principal: Principal, cohortId: number): Promise<boolean> {
    return hasRole(principal.roles, 'operator') || (await this.cohorts.isTeacherOf(cohortId, principal));
  }

  /**
   * In one query: the member (for the content check and group proof), whether they are enrolled,
   * whether the day is already checked in, how many make-ups they used in this cohort and their
   * balance (a make-up costs points).
   */
  private async standingOf(cohortId: number, memberId: number, dayIndex: number) {
    const row = await this.dataSource.manager
      .createQueryBuilder(Member, 'm')
      .select(['m.id', 'm.openid', 'm.nickname', 'm.avatarUrl', 'm.sessionKey'])
      .addSelect('(SELECT COUNT(*) FROM enrollment e WHERE e.cohort_id = :cohortId AND e.member_id = m.id AND e.left_at IS NULL)', 'enrolled')
      .addSelect('(SELECT COUNT(*) FROM checkin c WHERE c.cohort_id = :cohortId AND c.member_id = m.id AND c.day_index = :dayIndex)', 'dayDone')
      .addSelect('(SELECT COUNT(*) FROM checkin c WHERE c.cohort_id = :cohortId AND c.member_id = m.id AND c.is_make_up = 1)', 'makeUps')
      .addSelect('(SELECT p.balance FROM member_points p WHERE p.member_id = m.id)', 'balance')
      .where('m.id = :memberId', { memberId, cohortId, dayIndex })
      .getRawAndEntities();
    const member = row.entities[0];
    const raw = row.raw[0] as Record<'enrolled' | 'dayDone' | 'makeUps' | 'balance', string | number | null>;
    return {
      member,
      enrolled: Number(raw.enrolled) > 0,
      dayDone: Number(raw.dayDone) > 0,
      makeUps: Number(raw.makeUps),
      balance: Number(raw.balance ?? 0),
    };
  }

  private async isActiveMember(cohortId: number, memberId: number): Promise<boolean> {
    const enrollment = await this.dataSource.manager.findOneBy(Enrollment, { cohortId, memberId });
    return enrollment !== null && enrollment.leftAt === null;
  }
}

export function toCheckinDto(checkin: Checkin, author: Member, review: ReviewDto | null = null): CheckinDto {
  return {
    id: checkin.id,
    cohortId: checkin.cohortId,
    dayIndex: checkin.dayIndex,
    date: checkin.businessDate,
    text: checkin.text,
    imageUrls: checkin.imageKeys.map(uploadUrlFor),
    viaGroup: checkin.viaGroup,
    isMakeUp: checkin.isMakeUp,
    heldForReview: checkin.moderation === 'review',
    featured: checkin.featured,
    review,
    createdAt: checkin.createdAt.toISOString(),
    author: { id: author.id, nickname: author.nickname ?? defaultNickname(author.id), avatarUrl: author.avatarUrl },
  };
}
