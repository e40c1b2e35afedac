import { In, type DataSource, type SelectQueryBuilder } from 'typeorm';
import { businessDateOf } from '../../platform/clock/business-date';
import type { Clock } from '../../platform/clock/clock';
import { isUniqueViolation } from '../../platform/db/database-errors';
import { dbBoolean, dbDateTime, select, write } from '../../platform/db/sql';
import { withTransaction } from '../../platform/db/transaction';
import type { Principal } from '../../platform/http/api-router';
import { AppError, conflict, forbidden, notFound, validationFailed } from '../../platform/http/errors';
import { rejectRiskyText, type ContentCheck } from '../../platform/wechat/content-check';
import { Cohort, CohortPrompt, Enrollment } from '../cohort/cohort.entity';
import { cohortStatus, dateOfDay, dayIndexOn, kindsOf, visibleDayIndex } from '../cohort/cohort-rules';
import { cohortNotRunning, pointsRulesOf, type CohortService } from '../cohort/cohort.service';
import { Member } from '../identity/member.entity';
import { toPublicMember } from '../identity/member.dto';
import { likedBy } from '../interaction/like-reads';
import { addStandingPoints, claimCheckinDay, dayBit, daysOfMask, lockedDaysOf, type DaysBefore } from '../leaderboard/standings';
import { awardsForCheckin, groupBonusKey, milestonesReached } from '../points/award-rules';
import { balanceOf, insufficientPoints, recordLedgerLine, recordLedgerLines, type LedgerEntry } from '../points/points.service';
import { rewardInviterOnFirstCheckin } from '../referral/invite-reward';
import { uploadUrlFor } from '../upload/upload-keys';
import { audioTooLong } from '../upload/upload.routes';
import type { UploadService } from '../upload/upload.service';
import { Checkin } from './checkin.entity';
import type { CheckinBody, CheckinDto, FeedCursor } from './checkin.dto';
import { groupMismatch, openGroupProof, type GroupProof } from './group-proof';
import type { ReviewDto } from '../review/review.schema';

import { computeStreak } from './streak';

/** Reads reviews for check-ins (the review module provides it). */
export interface ReviewReader {
  reviewsOf(checkinIds: number[]): Promise<Map<number, ReviewDto>>;
}
import { lastRun, longestRun } from './streak';

export interface CheckinSettings {
  wechatAppId: string;
  groupProofMaxAgeSeconds: number;
}

export const checkinAlreadyDone = (date: string) =>
  conflict('CHECKIN_ALREADY_DONE', `You have already checked in for ${date}.`, { date });

export const makeUpLimitReached = (limit: number) =>
  conflict('MAKEUP_LIMIT_REACHED', `You have used all ${limit} make-ups of this cohort.`, { limit });

export const groupBonusAlreadyEarned = () =>
  conflict('GROUP_BONUS_ALREADY_EARNED', 'This check-in has already earned the group bonus.');

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
   * Today's check-in, or a make-up of a missed past day, in at most 7 statements with a cached
   * token: one read of everything that could refuse it (settled before WeChat's content check is
   * called, since its quota is the app's), then one transaction: claim the day on the member's
   * standing row by a conditional update that applies only while the row still holds the days read
   * (so the awards are computed from exactly the days before, with no lock and no history read),
   * insert the check-in (the unique key on cohort, member and day stays the last word on "once a
   * day"), insert its ledger lines in one statement and move the balance by one conditional update.
   * A claim that finds the row changed (a parallel check-in of the same member) reads it again
   * under a lock and claims again.
   */
  async checkIn(memberId: number, cohortId: number, body: CheckinBody) {
    const cohort = await this.cohorts.cached(cohortId);
    if (!cohort) throw notFound('Cohort');
    const today = this.cohorts.today();
    const status = cohortStatus(cohort, today);
    if (status !== 'running') throw cohortNotRunning(status);
    const todayIndex = dayIndexOn(cohort, today);

    const isMakeUp = body.makeUpDate !== undefined;
    const dayIndex = isMakeUp ? dayIndexOn(cohort, body.makeUpDate!) : todayIndex;
    const standing = await this.standingOf(cohortId, memberId);
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
    const refusal = (days: DaysBefore | null) => {
      if (days && days.doneDays & dayBit(dayIndex)) return checkinAlreadyDone(date);
      if (isMakeUp && (days?.makeUpsUsed ?? 0) >= cohort.makeUpLimit) return makeUpLimitReached(cohort.makeUpLimit);
      return null;
    };
    const refused = refusal(standing.days);
    if (refused) throw refused;
    if (isMakeUp && standing.balance < cohort.makeUpCost) throw insufficientPoints(standing.balance, cohort.makeUpCost);
    this.assertKindsAccepted(cohort, body);
    const photos = await this.uploads.check(this.dataSource.manager, { ownerId: memberId, kind: 'image', urls: body.imageUrls, field: 'body.imageUrls' });
    const imageKeys = photos.keys;
    const recording = await this.ownRecording(memberId, cohort, body.audioUrl);

    const member = standing.member;
    const viaGroup = body.groupProof ? this.verifyGroup(cohort, member, body.groupProof) : false;
    const moderation = body.text === '' ? 'pass' : rejectRiskyText((await this.contentCheck.checkText({ text: body.text, openid: member.openid })).verdict);

    try {
      return await withTransaction(this.dataSource, async (manager) => {
        const now = this.clock.now();
        const rules = pointsRulesOf(cohort);
        // Whatever the claim is computed from: the days read before, or (after a lost claim) read again under a lock.
        const claimFrom = async (before: DaysBefore | null) => {
          const daysBefore = daysOfMask(before?.doneDays ?? 0);
          const daysAfter = new Set(daysBefore).add(dayIndex);
          const earned = awardsForCheckin({
            rules, cohortId, memberId, checkinId: 0, dayIndex, durationDays: cohort.durationDays, daysBefore, viaGroup, isMakeUp,
          });
          const claimed = await claimCheckinDay(manager, {
            cohortId, memberId, before, doneDaysAfter: (before?.doneDays ?? 0) | dayBit(dayIndex), isMakeUp,
            pointsEarned: earned.reduce((sum, award) => sum + award.points, 0), run: lastRun(daysAfter), now,
          });
          return claimed ? { daysBefore, daysAfter } : null;
        };
        let claim = await claimFrom(standing.days);
        if (!claim) {
          const locked = await lockedDaysOf(manager, cohortId, memberId);
          if (!locked.enrolled) throw notEnrolled();
          const refusedNow = refusal(locked.days);
          if (refusedNow) throw refusedNow;
          claim = await claimFrom(locked.days);
          if (!claim) throw new Error(`check-in: the locked standing of member ${memberId} in cohort ${cohortId} could not be claimed`);
        }
        const { daysBefore, daysAfter } = claim;

        const row = {
          cohortId, memberId, dayIndex, businessDate: date, text: body.text, imageKeys,
          audioKey: recording?.key ?? null, audioSeconds: recording?.seconds ?? null,
          viaGroup, isMakeUp, moderation, createdAt: now, reviewedAt: null, reviewLatencySeconds: null, featured: false, groupSharedAt: null,
          likeCount: 0, commentCount: 0,
        };
        const { insertId: checkinId } = await write(
          manager,
          `INSERT INTO checkin (cohort_id, member_id, day_index, business_date, text, image_keys, audio_key, audio_seconds, via_group, is_make_up,
             moderation, created_at, reviewed_at, review_latency_seconds, featured, group_shared_at, like_count, comment_count)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, 0, NULL, 0, 0)`,
          [
            cohortId, memberId, dayIndex, date, body.text, JSON.stringify(imageKeys), row.audioKey, row.audioSeconds, dbBoolean(viaGroup), dbBoolean(isMakeUp),
            moderation, dbDateTime(manager, now),
          ],
        );
        await this.uploads.attach(manager, { type: 'checkin', id: checkinId }, { uploadIds: [...photos.uploadIds, ...(recording?.uploadIds ?? [])] });
        const ref = { refType: 'checkin', refId: checkinId };

        const lines: LedgerEntry[] = [];
        if (isMakeUp && cohort.makeUpCost > 0) {
          lines.push({ memberId, delta: -cohort.makeUpCost, reason: 'make_up_fee', ...ref, idempotencyKey: `checkin:${checkinId}:make-up-fee` });
        }
        const earned = awardsForCheckin({
          rules, cohortId, memberId, checkinId, dayIndex, durationDays: cohort.durationDays, daysBefore, viaGroup, isMakeUp,
        });
        for (const award of earned) lines.push({ memberId, delta: award.points, reason: award.reason, ...ref, idempotencyKey: award.idempotencyKey });
        const balance = await recordLedgerLines(manager, lines, now, standing.balanceSeen);
        // The first check-in in this cohort pays whoever invited the member here.
        if (daysBefore.size === 0 && standing.invited) await rewardInviterOnFirstCheckin(manager, { cohort, inviteeId: memberId, now });

        return {
          checkin: toCheckinDto(Object.assign(new Checkin(), row, { id: checkinId }), member),
          awards: lines.map((line) => ({ reason: line.reason, points: line.delta })),
          streak: computeStreak(daysAfter, todayIndex, cohort.durationDays),
          milestones: milestonesReached(daysBefore, dayIndex, cohort.durationDays),
          balance,
        };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw checkinAlreadyDone(date);
      throw error;
    }
  }

  /**
   * The cohort's feed: featured check-ins first (newest first), then the rest newest first. The
   * cursor says which part the page ended in (`f<id>` in the featured part, `<id>` in the rest), so
   * a page that finishes the featured part carries on into the rest. Held check-ins show only to
   * their author, teachers and operators; rejected ones only to their author.
   */
  async feed(principal: Principal, cohortId: number, page: { limit: number; before?: FeedCursor }) {
    if (!(await this.dataSource.manager.existsBy(Cohort, { id: cohortId }))) throw notFound('Cohort');
    const staff = await this.cohorts.isStaff(principal, cohortId);
    if (!staff && !(await this.cohorts.isActiveMember(cohortId, principal.memberId))) {
      throw forbidden('Join this cohort to see its check-ins.');
    }
    const part = (featured: boolean, take: number, before?: number) => {
      const query = this.dataSource.manager
        .createQueryBuilder(Checkin, 'c')
        .where('c.cohort_id = :cohortId AND c.featured = :featured', { cohortId, featured })
        .orderBy('c.id', 'DESC')
        .take(take);
      if (before) query.andWhere('c.id < :before', { before });
      return this.visibleTo(query, principal, staff).getMany();
    };
    const want = page.limit + 1;
    const inFeatured = !page.before || page.before.featured;
    const rows = inFeatured ? await part(true, want, page.before?.id) : await part(false, want, page.before?.id);
    if (inFeatured && rows.length < want) rows.push(...(await part(false, want - rows.length)));

    const hasMore = rows.length > page.limit;
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return {
      items: await this.toDtos(items, principal.memberId),
      nextCursor: hasMore ? `${last.featured ? 'f' : ''}${last.id}` : null,
    };
  }

  /** One check-in, for whoever may see it in its cohort's feed. */
  async one(principal: Principal, checkinId: number): Promise<CheckinDto> {
    const { checkin } = await this.visibleCheckin(principal, checkinId);
    const [dto] = await this.toDtos([checkin], principal.memberId);
    return dto;
  }

  /**
   * The check-in if the caller may see it (its author, the cohort's current members while it is
   * not held, teachers and operators), and whether the caller is staff there; 404 otherwise, so
   * outsiders learn nothing. Likes and comments go through it.
   */
  async visibleCheckin(principal: Principal, checkinId: number): Promise<{ checkin: Checkin; staff: boolean }> {
    const checkin = await this.dataSource.manager.findOneBy(Checkin, { id: checkinId });
    if (!checkin) throw notFound('Check-in');
    const own = checkin.memberId === principal.memberId;
    const staff = await this.cohorts.isStaff(principal, checkin.cohortId);
    const visible = own || staff || (checkin.moderation === 'pass' && (await this.cohorts.isActiveMember(checkin.cohortId, principal.memberId)));
    if (!visible) throw notFound('Check-in');
    return { checkin, staff };
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

  /**
   * The completion certificate: name, cohort, days and the points the cohort earned the member
   * (check-in awards and bonuses; make-up fees are not subtracted). 409 NOT_COMPLETED until every
   * day is checked in.
   */
  async certificate(memberId: number, cohortId: number) {
    const manager = this.dataSource.manager;
    const cohort = await manager.findOneBy(Cohort, { id: cohortId });
    if (!cohort) throw notFound('Cohort');
    if (!(await manager.existsBy(Enrollment, { cohortId, memberId }))) throw notEnrolled();
    const mine = await manager.find(Checkin, { select: { id: true, dayIndex: true, createdAt: true }, where: { cohortId, memberId } });
    const days = new Set(mine.map((c) => c.dayIndex));
    if (days.size < cohort.durationDays) {
      throw conflict('NOT_COMPLETED', `The certificate comes with checking in on all ${cohort.durationDays} days; ${days.size} are done.`, {
        daysCheckedIn: days.size, durationDays: cohort.durationDays,
      });
    }
    const [earned] = await manager.query(
      `SELECT COALESCE(SUM(l.delta), 0) AS points FROM points_ledger l JOIN checkin c ON c.id = l.ref_id
       WHERE l.ref_type = 'checkin' AND l.member_id = ? AND l.delta > 0 AND c.cohort_id = ? AND c.member_id = ?`,
      [memberId, cohortId, memberId],
    ) as Array<{ points: string | number }>;
    const member = await manager.findOneByOrFail(Member, { id: memberId });
    const finishedAt = new Date(Math.max(...mine.map((c) => c.createdAt.getTime())));
    return {
      cohortId,
      cohortTitle: cohort.title,
      theme: cohort.theme,
      nickname: toPublicMember(member).nickname,
      avatarUrl: member.avatarUrl,
      durationDays: cohort.durationDays,
      daysCheckedIn: days.size,
      longestStreak: longestRun(days),
      pointsEarned: Number(earned.points),
      startDate: cohort.startDate,
      completedOn: businessDateOf(finishedAt, this.cohorts.timeZone),
    };
  }

  /**
   * "Sharing into the group counts too" (DESIGN §4): a check-in made outside the group earns the
   * group bonus when its author shares its card into the cohort's group and opens it there, proved
   * by the share ticket's group data (wx.getShareInfo). Once per check-in, on the check-in's own
   * business day, never for a make-up. The conditional update on the check-in row settles
   * parallel claims; the bonus's ledger key is the one a check-in in the group would have used.
   */
  async claimGroupShare(memberId: number, checkinId: number, proof: GroupProof) {
    const checkin = await this.dataSource.manager.findOneBy(Checkin, { id: checkinId });
    if (!checkin || checkin.memberId !== memberId) throw notFound('Check-in');
    if (checkin.isMakeUp) throw conflict('GROUP_SHARE_MAKE_UP', 'A make-up earns the base points only; sharing it into the group earns nothing more.');
    if (checkin.viaGroup || checkin.groupSharedAt) throw groupBonusAlreadyEarned();
    const cohort = await this.dataSource.manager.findOneByOrFail(Cohort, { id: checkin.cohortId });
    const today = this.cohorts.today();
    const status = cohortStatus(cohort, today);
    if (status !== 'running') throw cohortNotRunning(status);
    if (checkin.businessDate !== today) {
      throw conflict('GROUP_SHARE_TOO_LATE', `Sharing into the group earns the bonus on the day of the check-in only (${checkin.businessDate}).`, { date: checkin.businessDate });
    }
    if (cohort.groupBonusPoints <= 0) throw conflict('GROUP_BONUS_OFF', 'This cohort gives no group bonus.');
    if (!(await this.cohorts.isActiveMember(cohort.id, memberId))) throw notEnrolled();
    const member = await this.dataSource.manager.findOneByOrFail(Member, { id: memberId });
    this.verifyGroup(cohort, member, proof);

    return withTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      const claimed = await manager
        .createQueryBuilder()
        .update(Checkin)
        .set({ groupSharedAt: now })
        .where('id = :checkinId AND via_group = :no AND group_shared_at IS NULL', { checkinId, no: false })
        .execute();
      if (claimed.affected !== 1) throw groupBonusAlreadyEarned();
      const points = cohort.groupBonusPoints;
      await recordLedgerLine(
        manager,
        { memberId, delta: points, reason: 'group_bonus', refType: 'checkin', refId: checkinId, idempotencyKey: groupBonusKey(checkinId) },
        now,
      );
      await addStandingPoints(manager, { cohortId: cohort.id, memberId, points, now });
      return { award: { reason: 'group_bonus' as const, points }, balance: await balanceOf(manager, memberId) };
    });
  }

  private verifyGroup(cohort: Cohort, member: Member, proof: GroupProof): boolean {
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

  /**
   * In one query: the member (for the content check and group proof), whether they are enrolled,
   * their standing row in the cohort (the days done and make-ups used; null before their first
   * check-in), their balance (a make-up costs points) and whether an invite into this cohort waits
   * for their first check-in.
   */
  private async standingOf(cohortId: number, memberId: number) {
    const [row] = await select<Record<string, string | number | null>>(
      this.dataSource.manager,
      `SELECT m.openid, m.nickname, m.avatar_url AS avatarUrl, m.session_key AS sessionKey, e.id AS enrollmentId,
              s.member_id AS standingOf, s.done_days AS doneDays, s.make_ups_used AS makeUpsUsed, s.streak_days AS streakDays,
              s.streak_last_day AS streakLastDay, p.balance,
              (SELECT COUNT(*) FROM referral r WHERE r.invitee_id = m.id AND r.cohort_id = ? AND r.first_checkin_at IS NULL) AS invited
       FROM member m
       LEFT JOIN enrollment e ON e.cohort_id = ? AND e.member_id = m.id AND e.left_at IS NULL
       LEFT JOIN cohort_standing s ON s.cohort_id = ? AND s.member_id = m.id
       LEFT JOIN member_points p ON p.member_id = m.id
       WHERE m.id = ?`,
      [cohortId, cohortId, cohortId, memberId],
    );
    if (!row) throw notFound('Member');
    const member = Object.assign(new Member(), {
      id: memberId, openid: String(row.openid), nickname: row.nickname as string | null, avatarUrl: row.avatarUrl as string | null, sessionKey: row.sessionKey as string | null,
    });
    return {
      member,
      enrolled: row.enrollmentId !== null,
      days: row.standingOf === null
        ? null
        : { doneDays: Number(row.doneDays), makeUpsUsed: Number(row.makeUpsUsed), streakDays: Number(row.streakDays), streakLastDay: Number(row.streakLastDay) },
      balance: Number(row.balance ?? 0),
      /** Null when the member has no balance row yet (the ledger then creates it). */
      balanceSeen: row.balance === null ? null : Number(row.balance),
      invited: Number(row.invited) > 0,
    };
  }

  /** Held check-ins only for staff and their authors. */
  private visibleTo(query: SelectQueryBuilder<Checkin>, principal: Principal, staff: boolean): SelectQueryBuilder<Checkin> {
    const rule = staff ? "(c.moderation <> 'rejected' OR c.member_id = :viewerId)" : "(c.moderation = 'pass' OR c.member_id = :viewerId)";
    return query.andWhere(rule, { viewerId: principal.memberId });
  }

  /** A check-in holds only the kinds its cohort takes, and at least one of them. */
  private assertKindsAccepted(cohort: Cohort, body: CheckinBody): void {
    const kinds = kindsOf({ text: body.text, photoCount: body.imageUrls.length, hasAudio: Boolean(body.audioUrl) });
    const accepted = cohort.checkinKinds;
    const refused = kinds.filter((kind) => !accepted.includes(kind));
    const what = accepted.map((kind) => kindNames[kind]).join(', ');
    if (kinds.length === 0) {
      throw validationFailed(`A check-in needs at least one of: ${what}.`, [{ path: 'body', message: `add ${what}` }]);
    }
    if (refused.length > 0) {
      throw validationFailed(`This cohort takes ${what} only; remove the ${refused.map((kind) => kindNames[kind]).join(' and ')}.`, refused.map((kind) => ({
        path: `body.${kindFields[kind]}`, message: `this cohort does not take ${kindNames[kind]}`,
      })));
    }
  }

  /**
   * The member's own recording (POST /uploads/audio), no longer than the cohort allows, with the
   * length the server measured when it was uploaded.
   */
  private async ownRecording(memberId: number, cohort: Cohort, audioUrl: string | null | undefined) {
    if (!audioUrl) return null;
    const checked = await this.uploads.check(this.dataSource.manager, { ownerId: memberId, kind: 'audio', urls: [audioUrl], field: 'body.audioUrl', single: true });
    const key = checked.keys[0];
    const seconds = checked.durations.get(key) ?? null;
    if (seconds === null) {
      throw validationFailed('This recording has no measured length; upload it again through POST /api/v1/uploads/audio.', [
        { path: 'body.audioUrl', message: 'upload it again' },
      ]);
    }
    if (seconds > cohort.maxAudioSeconds) throw audioTooLong(seconds, cohort.maxAudioSeconds);
    return { key, seconds, uploadIds: checked.uploadIds };
  }

  /** DTOs with each check-in's author, review and whether the viewer liked it. */
  private async toDtos(checkins: Checkin[], viewerId: number): Promise<CheckinDto[]> {
    if (checkins.length === 0) return [];
    const ids = checkins.map((c) => c.id);
    const [authors, reviews, liked] = await Promise.all([
      this.dataSource.manager.findBy(Member, { id: In([...new Set(checkins.map((c) => c.memberId))]) }),
      this.reviews.reviewsOf(ids),
      likedBy(this.dataSource.manager, viewerId, ids),
    ]);
    return checkins.map((c) => toCheckinDto(c, authors.find((a) => a.id === c.memberId)!, reviews.get(c.id) ?? null, liked.has(c.id)));
  }
}

const kindNames = { text: 'text', photo: 'photos', voice: 'a recording' } as const;
const kindFields = { text: 'text', photo: 'imageUrls', voice: 'audioUrl' } as const;

export function toCheckinDto(checkin: Checkin, author: Member, review: ReviewDto | null = null, likedByMe = false): CheckinDto {
  return {
    id: checkin.id,
    cohortId: checkin.cohortId,
    dayIndex: checkin.dayIndex,
    date: checkin.businessDate,
    text: checkin.text,
    imageUrls: checkin.imageKeys.map(uploadUrlFor),
    audioUrl: checkin.audioKey ? uploadUrlFor(checkin.audioKey) : null,
    audioSeconds: checkin.audioSeconds,
    viaGroup: checkin.viaGroup,
    sharedToGroup: checkin.groupSharedAt !== null,
    isMakeUp: checkin.isMakeUp,
    heldForReview: checkin.moderation === 'review',
    featured: checkin.featured,
    review,
    likeCount: checkin.likeCount,
    likedByMe,
    commentCount: checkin.commentCount,
    createdAt: checkin.createdAt.toISOString(),
    author: toPublicMember(author),
  };
}

