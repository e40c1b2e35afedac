import { addDays, daysBetween, type BusinessDate } from '../../platform/clock/business-date';

/** Pure cohort rules (DESIGN §4). No framework imports. */
export const allowedDurations = [7, 14, 21] as const;

/** What a check-in can hold; a cohort takes a non-empty subset (spoken English wants voice, painting photos). */
export const checkinKinds = ['text', 'photo', 'voice'] as const;
export type CheckinKind = (typeof checkinKinds)[number];

/** A cohort's recording limit: 60 s unless it allows longer, never beyond 180 s. */
export const DEFAULT_MAX_AUDIO_SECONDS = 60;
export const LONGEST_MAX_AUDIO_SECONDS = 180;

/** Kinds in their canonical order, without repeats (the column stores them comma-separated). */
export function checkinKindsToColumn(kinds: readonly CheckinKind[] | undefined): string | undefined {
  if (kinds === undefined) return undefined;
  return checkinKinds.filter((kind) => kinds.includes(kind)).join(',');
}

export function checkinKindsFromColumn(column: string | null): CheckinKind[] {
  const stored = (column ?? '').split(',');
  return checkinKinds.filter((kind) => stored.includes(kind));
}

/** The kinds a check-in holds: text when it says something, a photo, a recording. */
export function kindsOf(content: { text: string; photoCount: number; hasAudio: boolean }): CheckinKind[] {
  const kinds: CheckinKind[] = [];
  if (content.text.trim() !== '') kinds.push('text');
  if (content.photoCount > 0) kinds.push('photo');
  if (content.hasAudio) kinds.push('voice');
  return kinds;
}
export type CohortStatus = 'recruiting' | 'running' | 'converting' | 'disbanded';

export interface CohortCalendar {
  startDate: BusinessDate;
  durationDays: number;
  disbandedAt: Date | null;
}

/** Day n of a cohort is `date - startDate + 1`; it may be <= 0 (before) or > duration (after). */
export function dayIndexOn(cohort: Pick<CohortCalendar, 'startDate'>, date: BusinessDate): number {
  return daysBetween(cohort.startDate, date) + 1;
}

export function dateOfDay(cohort: Pick<CohortCalendar, 'startDate'>, dayIndex: number): BusinessDate {
  return addDays(cohort.startDate, dayIndex - 1);
}

export function cohortStatus(cohort: CohortCalendar, today: BusinessDate): CohortStatus {
  if (cohort.disbandedAt) return 'disbanded';
  const day = dayIndexOn(cohort, today);
  if (day < 1) return 'recruiting';
  if (day <= cohort.durationDays) return 'running';
  return 'converting';
}

/** The day index shown to people: null before day 1 and after the last day. */
export function visibleDayIndex(cohort: CohortCalendar, today: BusinessDate): number | null {
  return cohortStatus(cohort, today) === 'running' ? dayIndexOn(cohort, today) : null;
}

/** How far ahead a cohort may be scheduled (a start in year 9999 is a typo, not a plan). */
export const MAX_START_DAYS_AHEAD = 365;

export function latestStartDate(today: BusinessDate): BusinessDate {
  return addDays(today, MAX_START_DAYS_AHEAD);
}

export function canEnroll(status: CohortStatus): boolean {
  return status === 'recruiting' || status === 'running';
}

/** WeChat expires a group's QR code 7 days after it is made; operators are warned after 6. */
export const GROUP_QR_LIFETIME_DAYS = 7;
export const GROUP_QR_WARN_AFTER_DAYS = 6;
const DAY_MS = 24 * 60 * 60 * 1000;

export type GroupQrState = 'fresh' | 'expiring' | 'expired';

/** How a group QR uploaded at `uploadedAt` stands at `now` (the upload is the best we know of its making). */
export function groupQrState(uploadedAt: Date, now: Date): { state: GroupQrState; expiresAt: Date } {
  const age = now.getTime() - uploadedAt.getTime();
  const expiresAt = new Date(uploadedAt.getTime() + GROUP_QR_LIFETIME_DAYS * DAY_MS);
  if (age >= GROUP_QR_LIFETIME_DAYS * DAY_MS) return { state: 'expired', expiresAt };
  if (age >= GROUP_QR_WARN_AFTER_DAYS * DAY_MS) return { state: 'expiring', expiresAt };
  return { state: 'fresh', expiresAt };
}

/**
 * What an operator may still change, by status: everything before day 1; while running only the
 * texts members read (announcement, welcome, rules, the prompts of days not yet reached), the
 * teachers and the reminder time; after the last day only the texts; nothing once disbanded.
 */
const editableByStatus: Record<CohortStatus, readonly string[] | 'all'> = {
  recruiting: 'all',
  running: ['announcement', 'welcomeMessage', 'rules', 'prompts', 'teacherIds', 'reminderTime', 'coverImageUrl'],
  converting: ['announcement', 'welcomeMessage', 'rules'],
  disbanded: [],
};

/** The fields of an edit that the cohort's status no longer allows. */
export function fieldsLockedIn(status: CohortStatus, changed: readonly string[]): string[] {
  const editable = editableByStatus[status];
  return editable === 'all' ? [] : changed.filter((field) => !editable.includes(field));
}

/**
 * Days whose prompt an edit would change although the day has been reached (today included:
 * members are already reading it). `proposed[i]` is the prompt of day i + 1.
 */
export function lockedPromptDays(current: ReadonlyMap<number, string>, proposed: readonly string[], todayIndex: number): number[] {
  const locked: number[] = [];
  for (let day = 1; day <= todayIndex; day++) {
    if ((current.get(day) ?? null) !== (proposed[day - 1] ?? null)) locked.push(day);
  }
  return locked;
}
