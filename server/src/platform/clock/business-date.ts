import { DateTime } from 'luxon';

/** A calendar date "YYYY-MM-DD" in the business time zone. */
export type BusinessDate = string;

/** The last business day asked about in each time zone, with the instants it spans. */
const lastDayIn = new Map<string, { date: BusinessDate; from: number; until: number }>();

/**
 * The business date of an instant, computed in `timeZone`, never in the process's local zone.
 * Nearly every request asks about today: the day's bounds are kept per zone, and luxon (about 7 %
 * of a check-in's CPU when asked every time) is consulted only for another day.
 */
export function businessDateOf(instant: Date, timeZone: string): BusinessDate {
  const at = instant.getTime();
  const last = lastDayIn.get(timeZone);
  if (last && at >= last.from && at < last.until) return last.date;
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  const date = local.toISODate();
  if (date === null) throw new Error(`Cannot compute a business date in time zone ${timeZone}`);
  lastDayIn.set(timeZone, { date, from: local.startOf('day').toMillis(), until: local.plus({ days: 1 }).startOf('day').toMillis() });
  return date;
}

/** The instant a business date starts (00:00:00 local) in `timeZone`. */
export function startOfBusinessDate(date: BusinessDate, timeZone: string): Date {
  const start = DateTime.fromISO(date, { zone: timeZone }).startOf('day');
  if (!start.isValid) throw new Error(`Not a date: ${date}`);
  return start.toJSDate();
}

const DAY_MS = 86_400_000;

/** Calendar dates counted as days since 1970-01-01 (plain arithmetic: every check-in asks several times). */
function dayNumberOf(date: BusinessDate): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

/** Whole days from `from` to `to` (both "YYYY-MM-DD"); negative when `to` is earlier. */
export function daysBetween(from: BusinessDate, to: BusinessDate): number {
  return dayNumberOf(to) - dayNumberOf(from);
}

/** The calendar date `days` days after `date` (before it when negative). */
export function addDays(date: BusinessDate, days: number): BusinessDate {
  return new Date((dayNumberOf(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

export function isCalendarDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text, { zone: 'UTC' }).isValid;
}
