/**
 * Dates as the server sends them: business days as `YYYY-MM-DD`, instants as ISO-8601 with an offset.
 * `YYYY-MM-DD` is split by hand (iOS does not parse every date string); instants go through Date, which
 * every platform parses when they carry `T` and an offset.
 */

/** `2026-11-20` -> `11月20日`. */
export function shortDate(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  return match ? `${Number(match[2])}月${Number(match[3])}日` : date;
}

/** `2026-11-20` -> `11/20`. */
export function slashDate(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  return match ? `${Number(match[2])}/${Number(match[3])}` : date;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The business time zone is Asia/Shanghai (UTC+8, no daylight saving). */
const BUSINESS_OFFSET_MS = 8 * 60 * 60 * 1000;

/** An instant as `11月20日 08:30` in China time, whatever the phone's zone. */
export function dateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms + BUSINESS_OFFSET_MS);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** An instant as `08:30` in China time, whatever the phone's zone. */
export function clockTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms + BUSINESS_OFFSET_MS);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** Today's business date `YYYY-MM-DD` in China time. */
export function businessToday(now: number = Date.now()): string {
  const d = new Date(now + BUSINESS_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
