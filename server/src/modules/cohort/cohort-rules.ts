import { DateTime } from 'luxon';
import { daysBetween, type BusinessDate } from '../../platform/clock/business-date';

/** Pure cohort rules (DESIGN §4). No framework imports. */
export const allowedDurations = [7, 14, 21] as const;
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
  return DateTime.fromISO(cohort.startDate, { zone: 'UTC' }).plus({ days: dayIndex - 1 }).toISODate()!;
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
  return DateTime.fromISO(today, { zone: 'UTC' }).plus({ days: MAX_START_DAYS_AHEAD }).toISODate()!;
}

export function canEnroll(status: CohortStatus): boolean {
  return status === 'recruiting' || status === 'running';
}
