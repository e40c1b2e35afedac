/** Pure streak rules over the set of day indexes a member has checked in (make-ups included). */
export interface Streak {
  /** Consecutive days ending today (or yesterday, while today is still open). */
  current: number;
  longest: number;
  total: number;
}

function runEndingAt(days: ReadonlySet<number>, last: number): number {
  let length = 0;
  while (days.has(last - length)) length++;
  return length;
}

export function longestRun(days: ReadonlySet<number>): number {
  let longest = 0;
  for (const day of days) {
    if (days.has(day - 1)) continue; // not the start of a run
    let length = 1;
    while (days.has(day + length)) length++;
    longest = Math.max(longest, length);
  }
  return longest;
}

/**
 * `todayIndex` is today's day of the cohort; after the cohort ends it is capped at the last day, so a
 * finished streak keeps showing.
 */
export function computeStreak(days: ReadonlySet<number>, todayIndex: number, durationDays: number): Streak {
  const anchor = Math.min(todayIndex, durationDays);
  const current = days.has(anchor) ? runEndingAt(days, anchor) : runEndingAt(days, anchor - 1);
  return { current, longest: longestRun(days), total: days.size };
}

/** The run of consecutive days ending at the last day checked in (what a leaderboard stores). */
export function lastRun(days: ReadonlySet<number>): { lastDay: number; length: number } {
  if (days.size === 0) return { lastDay: 0, length: 0 };
  const lastDay = Math.max(...days);
  return { lastDay, length: runEndingAt(days, lastDay) };
}

/**
 * The earliest last day a stored run may end on and still be the current streak on `todayIndex`
 * (the same anchor computeStreak uses): today, or yesterday while today is still open.
 */
export function currentRunFloor(todayIndex: number, durationDays: number): number {
  return Math.min(todayIndex, durationDays) - 1;
}
