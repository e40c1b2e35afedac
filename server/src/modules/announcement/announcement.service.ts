import { DateTime } from 'luxon';
import { In, LessThanOrEqual, type DataSource } from 'typeorm';
import { businessDateOf, startOfBusinessDate } from '../../platform/clock/business-date';
import type { Clock } from '../../platform/clock/clock';
import { withTransaction } from '../../platform/db/transaction';
import type { Principal } from '../../platform/http/api-router';
import { conflict, forbidden, notFound, validationFailed } from '../../platform/http/errors';
import { Cohort, Enrollment } from '../cohort/cohort.entity';
import { dayIndexOn } from '../cohort/cohort-rules';
import type { CohortService } from '../cohort/cohort.service';
import type { NotifyService } from '../notify/notify.service';
import { isChangeable, messageTitle, type AnnouncementSlot, type AnnouncementState } from './announcement-rules';
import { CohortAnnouncement } from './announcement.entity';

export interface PlanInput {
  slot: AnnouncementSlot;
  title: string;
  body: string;
  /** Business dates (YYYY-MM-DD): one announcement per date, each at `time`. */
  dates: string[];
  time: string;
}

export interface EditInput {
  slot?: AnnouncementSlot;
  title?: string;
  body?: string;
  date?: string;
  time?: string;
}

export type AnnouncementDto = ReturnType<typeof toDto>;

const notChangeable = (state: AnnouncementState) =>
  conflict('ANNOUNCEMENT_NOT_CHANGEABLE', state === 'scheduled' ? 'Its time has come: it is going out now and can no longer be changed.' : `This announcement is already ${state}.`, { state });

function toDto(row: CohortAnnouncement, timeZone: string) {
  const local = DateTime.fromJSDate(row.scheduledAt, { zone: timeZone });
  return {
    id: row.id,
    cohortId: row.cohortId,
    slot: row.slot,
    title: row.title,
    body: row.body,
    scheduledAt: row.scheduledAt.toISOString(),
    date: local.toISODate()!,
    time: local.toFormat('HH:mm'),
    state: row.state,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    recipients: row.recipients,
    messagesSent: row.messagesSent,
  };
}

/** The cohort's timetable: staff plan notices, the scheduler publishes and sends each one once. */
export class AnnouncementService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly cohorts: CohortService,
    private readonly notify: NotifyService,
    private readonly timeZone: string,
  ) {}

  /** Plans one announcement per date at the given local time; every one must lie in the future. */
  async plan(principal: Principal, cohortId: number, input: PlanInput): Promise<AnnouncementDto[]> {
    await this.assertStaff(principal, cohortId);
    const now = this.clock.now();
    const dates = [...new Set(input.dates)].sort();
    const instants = dates.map((date, i) => this.instantOf(date, input.time, `body.dates.${i}`, now));
    const rows = instants.map((scheduledAt) => ({
      cohortId, slot: input.slot, title: input.title, body: input.body, scheduledAt, state: 'scheduled' as const,
      publishedAt: null, recipients: null, messagesSent: null, createdBy: principal.memberId, createdAt: now, updatedAt: now,
    }));
    const inserted = await withTransaction(this.dataSource, (manager) => manager.insert(CohortAnnouncement, rows));
    const ids = inserted.identifiers.map((identifier) => Number(identifier.id));
    const saved = await this.dataSource.manager.find(CohortAnnouncement, { where: { id: In(ids) }, order: { scheduledAt: 'ASC' } });
    return saved.map((row) => toDto(row, this.timeZone));
  }

  /** Edits a future scheduled announcement (a conditional update: never one that is going out). */
  async edit(principal: Principal, cohortId: number, id: number, input: EditInput): Promise<AnnouncementDto> {
    await this.assertStaff(principal, cohortId);
    const row = await this.find(cohortId, id);
    const now = this.clock.now();
    if (!isChangeable(row.state, row.scheduledAt, now)) throw notChangeable(row.state);
    const current = toDto(row, this.timeZone);
    const scheduledAt = input.date || input.time ? this.instantOf(input.date ?? current.date, input.time ?? current.time, input.date ? 'body.date' : 'body.time', now) : row.scheduledAt;
    const changes = { ...(input.slot ? { slot: input.slot } : {}), ...(input.title ? { title: input.title } : {}), ...(input.body !== undefined ? { body: input.body } : {}), scheduledAt, updatedAt: now };
    const moved = await withTransaction(this.dataSource, (manager) => manager.createQueryBuilder().update(CohortAnnouncement).set(changes)
      .where("id = :id AND state = 'scheduled' AND scheduled_at > :now", { id, now })
      .execute());
    if (moved.affected !== 1) throw notChangeable((await this.find(cohortId, id)).state);
    return toDto(await this.find(cohortId, id), this.timeZone);
  }

  async cancel(principal: Principal, cohortId: number, id: number): Promise<AnnouncementDto> {
    await this.assertStaff(principal, cohortId);
    const row = await this.find(cohortId, id);
    const now = this.clock.now();
    if (row.state === 'cancelled') return toDto(row, this.timeZone);
    const moved = await withTransaction(this.dataSource, (manager) => manager.createQueryBuilder().update(CohortAnnouncement).set({ state: 'cancelled', updatedAt: now })
      .where("id = :id AND state = 'scheduled' AND scheduled_at > :now", { id, now })
      .execute());
    if (moved.affected !== 1) throw notChangeable((await this.find(cohortId, id)).state);
    return toDto(await this.find(cohortId, id), this.timeZone);
  }

  /** Staff: every announcement of the cohort, by time, with what went out and to how many. */
  async list(principal: Principal, cohortId: number) {
    await this.assertStaff(principal, cohortId);
    const rows = await this.dataSource.manager.find(CohortAnnouncement, { where: { cohortId }, order: { scheduledAt: 'ASC', id: 'ASC' }, take: 500 });
    return { items: rows.map((row) => toDto(row, this.timeZone)) };
  }

  /** Members and staff: what has gone out today (business date), newest first, for the cohort page and the feed top. */
  async today(principal: Principal, cohortId: number) {
    if (!(await this.dataSource.manager.existsBy(Cohort, { id: cohortId }))) throw notFound('Cohort');
    if (!(await this.cohorts.isActiveMember(cohortId, principal.memberId)) && !(await this.cohorts.isStaff(principal, cohortId))) {
      throw forbidden('Announcements are for the members of this cohort.');
    }
    const now = this.clock.now();
    const startOfToday = startOfBusinessDate(businessDateOf(now, this.timeZone), this.timeZone);
    const rows = await this.dataSource.manager.createQueryBuilder(CohortAnnouncement, 'a')
      .where("a.cohort_id = :cohortId AND a.state = 'published' AND a.scheduled_at >= :start AND a.scheduled_at <= :now", { cohortId, start: startOfToday, now })
      .orderBy('a.scheduled_at', 'DESC')
      .getMany();
    return { items: rows.map((row) => ({ id: row.id, slot: row.slot, title: row.title, body: row.body, publishedAt: (row.publishedAt ?? row.scheduledAt).toISOString() })) };
  }

  /** Scheduled announcements whose time has come (the job claims each one before publishing it). */
  due(now: Date): Promise<CohortAnnouncement[]> {
    return this.dataSource.manager.find(CohortAnnouncement, { where: { state: 'scheduled', scheduledAt: LessThanOrEqual(now) }, order: { scheduledAt: 'ASC' }, take: 100 });
  }

  /**
   * Publishes a due announcement and sends it to the cohort's active members who have a reminder
   * send banked. The conditional update decides against a concurrent cancel; every message has
   * its own dedupe key, so a second run (another instance, a restart) sends nothing again.
   */
  async publish(announcement: CohortAnnouncement, now: Date): Promise<void> {
    const moved = await withTransaction(this.dataSource, (manager) => manager.createQueryBuilder().update(CohortAnnouncement)
      .set({ state: 'published', publishedAt: now, updatedAt: now })
      .where("id = :id AND state = 'scheduled'", { id: announcement.id })
      .execute());
    if (moved.affected !== 1) return;
    const cohort = await this.dataSource.manager.findOneByOrFail(Cohort, { id: announcement.cohortId });
    const active = await this.dataSource.manager.createQueryBuilder(Enrollment, 'e').select('e.member_id', 'memberId')
      .where('e.cohort_id = :cohortId AND e.left_at IS NULL AND e.removed_at IS NULL', { cohortId: cohort.id })
      .getRawMany<{ memberId: number }>();
    const memberIds = active.map((row) => Number(row.memberId));
    const recipients = await this.notify.membersWithSendsLeft(memberIds, 'reminder');
    // The reminder template's third field is the day of the cohort (0 before it starts).
    const dayNumber = Math.max(0, dayIndexOn(cohort, businessDateOf(now, this.timeZone)));
    let sent = 0;
    for (const memberId of recipients) {
      const outcome = await this.notify.notify({
        memberId,
        template: 'reminder',
        dedupeKey: `announcement:${announcement.id}:${memberId}`,
        page: `pages/cohort/index?id=${cohort.id}`,
        data: { thing1: messageTitle(cohort.title), thing2: messageTitle(announcement.title), number3: String(dayNumber) },
      });
      if (outcome === 'sent') sent += 1;
    }
    await withTransaction(this.dataSource, (manager) => manager.update(CohortAnnouncement, { id: announcement.id }, { recipients: memberIds.length, messagesSent: sent }));
  }

  private async find(cohortId: number, id: number): Promise<CohortAnnouncement> {
    const row = await this.dataSource.manager.findOneBy(CohortAnnouncement, { id, cohortId });
    if (!row) throw notFound('Announcement');
    return row;
  }

  private async assertStaff(principal: Principal, cohortId: number): Promise<void> {
    if (!(await this.dataSource.manager.existsBy(Cohort, { id: cohortId }))) throw notFound('Cohort');
    await this.cohorts.assertOperatorOrTeacher(principal, cohortId);
  }

  /** The instant of a local date and time in the business time zone; it must be after `now`. */
  private instantOf(date: string, time: string, path: string, now: Date): Date {
    const instant = DateTime.fromISO(`${date}T${time}`, { zone: this.timeZone });
    if (!instant.isValid) throw validationFailed(`${date} ${time} is not a date and time.`, [{ path, message: 'must be a date and a time' }]);
    if (instant.toMillis() <= now.getTime()) {
      throw validationFailed(`${date} ${time} has already passed; plan announcements for a time to come.`, [{ path, message: 'must be in the future' }]);
    }
    return instant.toJSDate();
  }
}
