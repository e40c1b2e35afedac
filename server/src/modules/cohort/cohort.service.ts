import { In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import { businessDateOf } from '../../platform/clock/business-date';
import type { CacheBus, SharedCache } from '../../platform/cache/shared-cache';
import type { Clock } from '../../platform/clock/clock';
import { lockForUpdate, withTransaction } from '../../platform/db/transaction';
import type { Principal } from '../../platform/http/api-router';
import { AppError, conflict, forbidden, notFound, validationFailed } from '../../platform/http/errors';
import { MemberRole } from '../identity/member-role.entity';
import { Member } from '../identity/member.entity';
import { hasRole } from '../identity/roles';
import { Checkin } from '../checkin/checkin.entity';
import { openGroupProof, type GroupProof } from '../checkin/group-proof';
import { computeStreak } from '../checkin/streak';
import { defaultPointsRules, type PointsRules } from '../points/award-rules';
import { keyFromUploadUrl } from '../upload/upload-keys';
import type { CheckedUploads, UploadService } from '../upload/upload.service';
import { Cohort, CohortPrompt, CohortTeacher, Enrollment } from './cohort.entity';
import {
  canEnroll, checkinKinds, cohortStatus, dateOfDay, dayIndexOn, DEFAULT_MAX_AUDIO_SECONDS, fieldsLockedIn, groupQrState, latestStartDate, lockedPromptDays,
  MAX_START_DAYS_AHEAD, visibleDayIndex,
} from './cohort-rules';
import { uploadUrlFor } from '../upload/upload-keys';
import type { CohortContentInput, CohortDto, CohortMeDto, CohortUpdateInput, GroupQrDto } from './cohort.dto';

export interface CohortSettings {
  timeZone: string;
  wechatAppId: string;
  groupProofMaxAgeSeconds: number;
}

export const cohortNotRunning = (status: string) =>
  conflict('COHORT_NOT_RUNNING', `Check-ins are open only while the cohort is running; it is ${status}.`, { status });

const COHORT_CACHE = 'cohorts';
/** A check-in reads its cohort's rules; a cohort row is read from the database at most this often. */
const COHORT_CACHE_TTL_MS = 30_000;

export class CohortService {
  private readonly cache: SharedCache<Cohort>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly uploads: UploadService,
    private readonly settings: CohortSettings,
    private readonly cacheBus: CacheBus,
  ) {
    this.cache = cacheBus.cache<Cohort>(COHORT_CACHE, { ttlMs: COHORT_CACHE_TTL_MS, maxEntries: 5_000 });
  }

  /**
   * The cohort row for a hot path (the check-in), from the short-lived cache every change below
   * announces; treat it as read-only. Null when there is no such cohort.
   */
  cached(cohortId: number): Promise<Cohort | null> {
    return this.cache.get(String(cohortId), () => this.dataSource.manager.findOneBy(Cohort, { id: cohortId }));
  }

  /** Every instance drops its cached copy of the cohort (call after the change is committed). */
  async changed(cohortId: number): Promise<void> {
    await this.cacheBus.announce(COHORT_CACHE, String(cohortId));
  }

  get timeZone(): string {
    return this.settings.timeZone;
  }

  today(): string {
    return businessDateOf(this.clock.now(), this.settings.timeZone);
  }

  async create(operatorId: number, input: CohortContentInput): Promise<CohortDto> {
    this.assertStartDate(input.startDate);
    this.assertPromptsFit(input.prompts, input.durationDays);
    const cover = await this.checkCover(operatorId, input.coverImageUrl, null);
    const cohortId = await withTransaction(this.dataSource, async (manager) => {
      await this.assertTeachers(manager, input.teacherIds);
      const points: PointsRules = { ...defaultPointsRules, ...input.points };
      const inserted = await manager.insert(Cohort, {
        title: input.title,
        theme: input.theme,
        durationDays: input.durationDays,
        startDate: input.startDate,
        coverImageUrl: input.coverImageUrl ?? null,
        rules: input.rules ?? null,
        welcomeMessage: input.welcomeMessage ?? null,
        announcement: input.announcement ?? null,
        reminderTime: input.reminderTime ?? '08:00',
        checkinKinds: input.checkinKinds ?? [...checkinKinds],
        maxAudioSeconds: input.maxAudioSeconds ?? DEFAULT_MAX_AUDIO_SECONDS,
        ...points,
        createdBy: operatorId,
        createdAt: this.clock.now(),
      });
      const id = Number(inserted.identifiers[0].id);
      await this.replaceTeachers(manager, id, input.teacherIds);
      await this.replacePrompts(manager, id, input.prompts ?? []);
      if (cover) await this.uploads.attach(manager, { type: 'cohort-cover', id }, cover);
      return id;
    });
    return this.get(operatorId, cohortId, { staff: true });
  }

  /**
   * Operators edit a cohort: anything before day 1; once it runs, only what members read next
   * (announcement, welcome, rules, prompts of days not yet reached), teachers and reminder time.
   */
  async update(operatorId: number, cohortId: number, input: CohortUpdateInput): Promise<CohortDto> {
    await withTransaction(this.dataSource, async (manager) => {
      const cohort = await manager.findOneBy(Cohort, { id: cohortId });
      if (!cohort) throw notFound('Cohort');
      const today = this.today();
      const status = cohortStatus(cohort, today);
      const changed = Object.keys(input).filter((key) => input[key as keyof CohortUpdateInput] !== undefined);
      const locked = fieldsLockedIn(status, changed);
      if (locked.length > 0) {
        throw conflict(
          'COHORT_ALREADY_STARTED',
          status === 'disbanded'
            ? 'This cohort was disbanded; it can no longer be edited.'
            : `This cohort is ${status}: ${locked.join(', ')} can no longer change.`,
          { status, fields: locked },
        );
      }
      if (input.startDate) this.assertStartDate(input.startDate);
      const cover = input.coverImageUrl === undefined ? null : await this.checkCover(operatorId, input.coverImageUrl, cohort.coverImageUrl, manager);
      if (cover) await this.uploads.attach(manager, { type: 'cohort-cover', id: cohortId }, cover, { replace: true });
      const durationDays = input.durationDays ?? cohort.durationDays;
      if (input.prompts) this.assertPromptsFit(input.prompts, durationDays);
      else if (durationDays < cohort.durationDays) {
        await manager.createQueryBuilder().delete().from(CohortPrompt)
          .where('cohort_id = :cohortId AND day_index > :durationDays', { cohortId, durationDays }).execute();
      }
      if (input.prompts && status === 'running') {
        const current = await manager.findBy(CohortPrompt, { cohortId });
        const days = lockedPromptDays(new Map(current.map((p) => [p.dayIndex, p.text])), input.prompts, dayIndexOn(cohort, today));
        if (days.length > 0) {
          throw conflict('PROMPT_LOCKED', `Day ${days.join(', ')} has been reached; only the prompts of later days can change.`, { days });
        }
      }
      if (input.teacherIds) {
        await this.assertTeachers(manager, input.teacherIds);
        await this.replaceTeachers(manager, cohortId, input.teacherIds);
      }
      if (input.prompts) await this.replacePrompts(manager, cohortId, input.prompts);
      const { teacherIds: _teachers, prompts: _prompts, points, ...content } = input;
      const changes = { ...content, ...points };
      if (Object.keys(changes).length > 0) await manager.update(Cohort, { id: cohortId }, changes);
    });
    await this.changed(cohortId);
    return this.get(operatorId, cohortId, { staff: true });
  }

  /** A new recruiting cohort with the same content, teachers and point rules; no group, no members. */
  async clone(operatorId: number, sourceId: number, input: { startDate: string; title?: string }): Promise<CohortDto> {
    this.assertStartDate(input.startDate);
    const cohortId = await withTransaction(this.dataSource, async (manager) => {
      const source = await manager.findOneBy(Cohort, { id: sourceId });
      if (!source) throw notFound('Cohort');
      const teachers = await manager.findBy(CohortTeacher, { cohortId: sourceId });
      const prompts = await manager.find(CohortPrompt, { where: { cohortId: sourceId }, order: { dayIndex: 'ASC' } });
      const inserted = await manager.insert(Cohort, {
        title: input.title ?? source.title,
        theme: source.theme,
        durationDays: source.durationDays,
        startDate: input.startDate,
        coverImageUrl: source.coverImageUrl,
        rules: source.rules,
        welcomeMessage: source.welcomeMessage,
        announcement: source.announcement,
        reminderTime: source.reminderTime,
        checkinKinds: source.checkinKinds,
        maxAudioSeconds: source.maxAudioSeconds,
        basePoints: source.basePoints,
        groupBonusPoints: source.groupBonusPoints,
        streakBonusPoints: source.streakBonusPoints,
        completionBonusPoints: source.completionBonusPoints,
        makeUpCost: source.makeUpCost,
        makeUpLimit: source.makeUpLimit,
        inviteRewardPoints: source.inviteRewardPoints,
        inviteRewardLimit: source.inviteRewardLimit,
        clonedFromId: source.id,
        createdBy: operatorId,
        createdAt: this.clock.now(),
      });
      const id = Number(inserted.identifiers[0].id);
      await this.replaceTeachers(manager, id, teachers.map((t) => t.memberId));
      if (prompts.length > 0) await manager.insert(CohortPrompt, prompts.map((p) => ({ ...p, cohortId: id })));
      // The copy shows the same cover, so it refers to the same upload.
      const sourceCover = keyFromUploadUrl(source.coverImageUrl);
      if (sourceCover) await this.uploads.attachCopy(manager, { type: 'cohort-cover', id }, [sourceCover]);
      return id;
    });
    return this.get(operatorId, cohortId, { staff: true });
  }

  async list(memberId: number): Promise<CohortDto[]> {
    const cohorts = await this.dataSource.manager.find(Cohort, { order: { id: 'DESC' }, take: 100 });
    return this.toDtos(cohorts, memberId, false);
  }

  /** One cohort; `staff` (its teachers and operators) also see its group QR without being enrolled. */
  async get(memberId: number, cohortId: number, viewer: { staff: boolean } = { staff: false }): Promise<CohortDto> {
    const cohort = await this.dataSource.manager.findOneBy(Cohort, { id: cohortId });
    if (!cohort) throw notFound('Cohort');
    const [dto] = await this.toDtos([cohort], memberId, true, viewer.staff);
    return dto;
  }

  /** One cohort as the caller sees it. */
  async view(principal: Principal, cohortId: number): Promise<CohortDto> {
    const staff = hasRole(principal.roles, 'operator') || (await this.isTeacherOf(cohortId, principal));
    return this.get(principal.memberId, cohortId, { staff });
  }

  /**
   * An operator attaches (or replaces) the cohort's WeChat group QR: an image they uploaded. Its
   * members see it from then on; the upload time says when WeChat will expire it (7 days).
   */
  async setGroupQr(operatorId: number, cohortId: number, imageUrl: string): Promise<CohortDto> {
    const qr = await this.uploads.check(this.dataSource.manager, { ownerId: operatorId, kind: 'image', urls: [imageUrl], field: 'body.imageUrl', single: true });
    await withTransaction(this.dataSource, async (manager) => {
      const cohort = await manager.findOne(Cohort, { where: { id: cohortId }, lock: lockForUpdate(manager) });
      if (!cohort) throw notFound('Cohort');
      if (cohortStatus(cohort, this.today()) === 'disbanded') {
        throw conflict('COHORT_DISBANDED', 'This cohort was disbanded; attach the group QR to the next cohort.');
      }
      await manager.update(Cohort, { id: cohortId }, { groupQrKey: qr.keys[0], groupQrUploadedAt: this.clock.now() });
      await this.uploads.attach(manager, groupQrRef(cohortId), qr, { replace: true });
    });
    await this.changed(cohortId);
    return this.get(operatorId, cohortId, { staff: true });
  }

  /** Takes the group QR away (members then see no way into the group until a new one is attached). */
  async removeGroupQr(operatorId: number, cohortId: number): Promise<CohortDto> {
    await withTransaction(this.dataSource, async (manager) => {
      if (!(await manager.existsBy(Cohort, { id: cohortId }))) throw notFound('Cohort');
      await manager.update(Cohort, { id: cohortId }, { groupQrKey: null, groupQrUploadedAt: null });
      await this.letGoGroupQr(manager, cohortId);
    });
    await this.changed(cohortId);
    return this.get(operatorId, cohortId, { staff: true });
  }

  /** The cohort no longer shows its group QR (taken away, or the cohort disbanded): its upload may be cleaned up. */
  async letGoGroupQr(manager: EntityManager, cohortId: number): Promise<void> {
    await this.uploads.attach(manager, groupQrRef(cohortId), { uploadIds: [] }, { replace: true });
  }

  /** Joining is idempotent; joining again after leaving rejoins (not after staff removed you). */
  async enroll(memberId: number, cohortId: number) {
    return withTransaction(this.dataSource, async (manager) => {
      const cohort = await manager.findOneBy(Cohort, { id: cohortId });
      if (!cohort) throw notFound('Cohort');
      const status = cohortStatus(cohort, this.today());
      const existing = await manager.findOneBy(Enrollment, { cohortId, memberId });
      if (existing && !existing.leftAt) return toEnrollmentDto(existing);
      if (existing?.removedAt) {
        throw new AppError(403, 'REMOVED_FROM_COHORT', 'The cohort\'s staff removed you from this cohort; ask them if you think it is a mistake.');
      }
      if (!canEnroll(status)) {
        throw conflict('COHORT_CLOSED', `This cohort is ${status}; join the next one instead.`, { status });
      }
      if (existing) {
        await manager.update(Enrollment, { id: existing.id }, { leftAt: null });
        return toEnrollmentDto({ ...existing, leftAt: null });
      }
      await manager
        .createQueryBuilder()
        .insert()
        .into(Enrollment)
        .values({ cohortId, memberId, joinedAt: this.clock.now(), leftAt: null })
        .orIgnore()
        .execute();
      return toEnrollmentDto(await manager.findOneByOrFail(Enrollment, { cohortId, memberId }));
    });
  }

  /** Leaving counts as a quit. Check-ins and points already earned stay. */
  async leave(memberId: number, cohortId: number) {
    return withTransaction(this.dataSource, async (manager) => {
      if (!(await manager.existsBy(Cohort, { id: cohortId }))) throw notFound('Cohort');
      const existing = await manager.findOneBy(Enrollment, { cohortId, memberId });
      if (!existing) throw new AppError(403, 'NOT_ENROLLED', 'You are not a member of this cohort.');
      if (!existing.leftAt) await manager.update(Enrollment, { id: existing.id }, { leftAt: this.clock.now() });
      return toEnrollmentDto({ ...existing, leftAt: existing.leftAt ?? this.clock.now() });
    });
  }

  /**
   * Binds the cohort to the WeChat group named in a group proof (the caller opened the Mini Program
   * from that group's card). Operators and the cohort's own teachers may do it.
   */
  async bindGroup(principal: Principal, cohortId: number, proof: GroupProof): Promise<CohortDto> {
    const cohort = await this.dataSource.manager.findOneBy(Cohort, { id: cohortId });
    if (!cohort) throw notFound('Cohort');
    await this.assertOperatorOrTeacher(principal, cohortId);
    const status = cohortStatus(cohort, this.today());
    if (status === 'disbanded') throw conflict('COHORT_DISBANDED', 'This cohort was disbanded; bind the group to the next cohort.');
    const caller = await this.dataSource.manager.findOneByOrFail(Member, { id: principal.memberId });
    const opengid = openGroupProof({
      proof,
      sessionKey: caller.sessionKey,
      appId: this.settings.wechatAppId,
      now: this.clock.now(),
      maxAgeSeconds: this.settings.groupProofMaxAgeSeconds,
    });
    await withTransaction(this.dataSource, async (manager) => {
      const holder = await manager.findOneBy(Cohort, { groupOpengid: opengid, disbandedAt: IsNull() });
      if (holder && holder.id !== cohortId) {
        throw conflict('GROUP_ALREADY_BOUND', `This WeChat group is already bound to cohort "${holder.title}"; disband that cohort first.`, { cohortId: holder.id });
      }
      await manager.update(Cohort, { id: cohortId }, { groupOpengid: opengid, groupBoundAt: this.clock.now() });
    });
    await this.changed(cohortId);
    return this.get(principal.memberId, cohortId, { staff: true });
  }

  /**
   * Whether the caller may act as a teacher of this cohort now: assigned to it and holding the
   * teacher role at this request (the role is read with the token, so a revoked teacher loses every
   * cohort power at once, whatever is left in cohort_teacher).
   */
  async isTeacherOf(cohortId: number, principal: Principal): Promise<boolean> {
    if (!hasRole(principal.roles, 'teacher')) return false;
    return this.dataSource.manager.existsBy(CohortTeacher, { cohortId, memberId: principal.memberId });
  }

  /** Operators, and the cohort's own teachers: they see and act on everything in it. */
  async isStaff(principal: Principal, cohortId: number): Promise<boolean> {
    return hasRole(principal.roles, 'operator') || (await this.isTeacherOf(cohortId, principal));
  }

  /** The longest recording a check-in of the cohort may carry, for its members and staff. */
  async audioLimitFor(principal: Principal, cohortId: number): Promise<number> {
    const cohort = await this.dataSource.manager.findOneBy(Cohort, { id: cohortId });
    if (!cohort) throw notFound('Cohort');
    if (!(await this.isActiveMember(cohortId, principal.memberId)) && !(await this.isStaff(principal, cohortId))) {
      throw forbidden('You record for a cohort you have joined.');
    }
    return cohort.maxAudioSeconds;
  }

  /** Enrolled and not left. */
  async isActiveMember(cohortId: number, memberId: number): Promise<boolean> {
    const enrollment = await this.dataSource.manager.findOneBy(Enrollment, { cohortId, memberId });
    return enrollment !== null && enrollment.leftAt === null;
  }

  async assertOperatorOrTeacher(principal: Principal, cohortId: number): Promise<void> {
    if (hasRole(principal.roles, 'operator')) return;
    if (await this.isTeacherOf(cohortId, principal)) return;
    throw forbidden('Only an operator or a teacher of this cohort may do this.');
  }

  /** A cohort starts today or within MAX_START_DAYS_AHEAD days. */
  private assertStartDate(startDate: string): void {
    const today = this.today();
    if (startDate < today) {
      throw validationFailed(`startDate ${startDate} is in the past (today is ${today} in ${this.settings.timeZone}).`, [
        { path: 'body.startDate', message: 'must be today or later' },
      ]);
    }
    const latest = latestStartDate(today);
    if (startDate > latest) {
      throw validationFailed(`startDate ${startDate} is more than ${MAX_START_DAYS_AHEAD} days away; a cohort starts by ${latest}.`, [
        { path: 'body.startDate', message: `must be within ${MAX_START_DAYS_AHEAD} days (by ${latest})` },
      ]);
    }
  }

  /** A cover image must be an upload of the operator's own (or the one the cohort already shows). */
  private async checkCover(operatorId: number, url: string | null | undefined, current: string | null, manager: EntityManager = this.dataSource.manager): Promise<CheckedUploads | null> {
    if (url === undefined) return null;
    const currentKey = keyFromUploadUrl(current);
    return this.uploads.check(manager, {
      ownerId: operatorId, kind: 'image', urls: url === null ? [] : [url], field: 'body.coverImageUrl', single: true,
      keep: currentKey ? [currentKey] : [],
    });
  }

  private assertPromptsFit(prompts: string[] | undefined, durationDays: number): void {
    if (prompts && prompts.length > durationDays) {
      throw validationFailed(`There are ${prompts.length} prompts for a ${durationDays}-day cohort.`, [
        { path: 'body.prompts', message: `at most ${durationDays} prompts` },
      ]);
    }
  }

  private async assertTeachers(manager: EntityManager, teacherIds: number[]): Promise<void> {
    const unique = [...new Set(teacherIds)];
    if (unique.length === 0) return;
    const found = await manager.findBy(MemberRole, { memberId: In(unique), role: 'teacher' });
    const missing = unique.filter((id) => !found.some((row) => row.memberId === id));
    if (missing.length > 0) {
      throw validationFailed(`Members ${missing.join(', ')} are not teachers; grant them the teacher role first.`, [
        { path: 'body.teacherIds', message: `not teachers: ${missing.join(', ')}` },
      ]);
    }
  }

  private async replaceTeachers(manager: EntityManager, cohortId: number, teacherIds: number[]): Promise<void> {
    await manager.delete(CohortTeacher, { cohortId });
    const unique = [...new Set(teacherIds)];
    if (unique.length > 0) await manager.insert(CohortTeacher, unique.map((memberId) => ({ cohortId, memberId })));
  }

  private async replacePrompts(manager: EntityManager, cohortId: number, prompts: string[]): Promise<void> {
    await manager.delete(CohortPrompt, { cohortId });
    if (prompts.length > 0) {
      await manager.insert(CohortPrompt, prompts.map((text, i) => ({ cohortId, dayIndex: i + 1, text })));
    }
  }

  private async toDtos(cohorts: Cohort[], memberId: number, withPrompts: boolean, staff = false): Promise<CohortDto[]> {
    if (cohorts.length === 0) return [];
    const ids = cohorts.map((c) => c.id);
    const manager = this.dataSource.manager;
    const teachers = await manager.findBy(CohortTeacher, { cohortId: In(ids) });
    const counts: Array<{ cohortId: number; n: number }> = await manager
      .createQueryBuilder(Enrollment, 'e')
      .select('e.cohort_id', 'cohortId')
      .addSelect('COUNT(*)', 'n')
      .where('e.cohort_id IN (:...ids) AND e.left_at IS NULL', { ids })
      .groupBy('e.cohort_id')
      .getRawMany();
    const mine = await manager.findBy(Enrollment, { cohortId: In(ids), memberId, leftAt: IsNull() });
    // The caller's own check-ins in the cohorts they are in: one query for the whole list (at most
    // durationDays rows per cohort), for today's state and the streak.
    const myDays = mine.length === 0 ? [] : await manager.find(Checkin, {
      select: { id: true, cohortId: true, dayIndex: true, isMakeUp: true },
      where: { memberId, cohortId: In(mine.map((e) => e.cohortId)) },
    });
    const today = this.today();
    const prompts = await manager.find(CohortPrompt, {
      where: withPrompts ? { cohortId: In(ids) } : { cohortId: In(ids), dayIndex: In(cohorts.map((c) => dayIndexOn(c, today))) },
      order: { dayIndex: 'ASC' },
    });

    const now = this.clock.now();
    return cohorts.map((cohort) => {
      const dayIndex = visibleDayIndex(cohort, today);
      const enrolled = mine.some((e) => e.cohortId === cohort.id);
      const ownPrompts = prompts.filter((p) => p.cohortId === cohort.id);
      return {
        id: cohort.id,
        title: cohort.title,
        theme: cohort.theme,
        durationDays: cohort.durationDays,
        startDate: cohort.startDate,
        endDate: dateOfDay(cohort, cohort.durationDays),
        status: cohortStatus(cohort, today),
        dayIndex,
        coverImageUrl: cohort.coverImageUrl,
        rules: cohort.rules,
        welcomeMessage: cohort.welcomeMessage,
        announcement: cohort.announcement,
        reminderTime: cohort.reminderTime,
        groupBound: cohort.groupOpengid !== null,
        teacherIds: teachers.filter((t) => t.cohortId === cohort.id).map((t) => t.memberId),
        points: pointsRulesOf(cohort),
        checkinKinds: cohort.checkinKinds,
        maxAudioSeconds: cohort.maxAudioSeconds,
        memberCount: Number(counts.find((c) => Number(c.cohortId) === cohort.id)?.n ?? 0),
        enrolled,
        todayPrompt: dayIndex === null ? null : (ownPrompts.find((p) => p.dayIndex === dayIndex)?.text ?? null),
        prompts: withPrompts ? ownPrompts.map((p) => ({ dayIndex: p.dayIndex, text: p.text })) : [],
        clonedFromId: cohort.clonedFromId,
        disbandedAt: cohort.disbandedAt?.toISOString() ?? null,
        nextCohortId: cohort.nextCohortId,
        groupQr: staff || enrolled ? groupQrOf(cohort, now) : null,
        me: myState(cohort, today, enrolled, myDays.filter((c) => c.cohortId === cohort.id)),
      };
    });
  }
}

const groupQrRef = (cohortId: number) => ({ type: 'cohort-group-qr' as const, id: cohortId });

function groupQrOf(cohort: Cohort, now: Date): GroupQrDto | null {
  if (!cohort.groupQrKey || !cohort.groupQrUploadedAt) return null;
  const { state, expiresAt } = groupQrState(cohort.groupQrUploadedAt, now);
  return { url: uploadUrlFor(cohort.groupQrKey), uploadedAt: cohort.groupQrUploadedAt.toISOString(), expiresAt: expiresAt.toISOString(), state };
}

/** The caller's state in a cohort from their own check-ins there. */
function myState(cohort: Cohort, today: string, enrolled: boolean, checkins: Pick<Checkin, 'id' | 'dayIndex' | 'isMakeUp'>[]): CohortMeDto {
  const todayIndex = dayIndexOn(cohort, today);
  const running = cohortStatus(cohort, today) === 'running';
  const days = new Set(checkins.map((c) => c.dayIndex));
  const pastDays = Math.max(0, Math.min(todayIndex - 1, cohort.durationDays));
  let missedDays = 0;
  for (let day = 1; day <= pastDays; day++) if (!days.has(day)) missedDays++;
  const todayCheckin = running ? checkins.find((c) => c.dayIndex === todayIndex) : undefined;
  return {
    enrolled,
    checkedInToday: todayCheckin !== undefined,
    todayCheckinId: todayCheckin?.id ?? null,
    streak: computeStreak(days, todayIndex, cohort.durationDays),
    missedDays,
    makeUpsLeft: Math.max(0, cohort.makeUpLimit - checkins.filter((c) => c.isMakeUp).length),
  };
}

export function pointsRulesOf(cohort: Cohort): PointsRules {
  return {
    basePoints: cohort.basePoints,
    groupBonusPoints: cohort.groupBonusPoints,
    streakBonusPoints: cohort.streakBonusPoints,
    completionBonusPoints: cohort.completionBonusPoints,
    makeUpCost: cohort.makeUpCost,
    makeUpLimit: cohort.makeUpLimit,
    inviteRewardPoints: cohort.inviteRewardPoints,
    inviteRewardLimit: cohort.inviteRewardLimit,
  };
}

function toEnrollmentDto(enrollment: Pick<Enrollment, 'cohortId' | 'memberId' | 'joinedAt' | 'leftAt'>) {
  return {
    cohortId: enrollment.cohortId,
    memberId: enrollment.memberId,
    joinedAt: enrollment.joinedAt.toISOString(),
    active: enrollment.leftAt === null,
  };
}
