/** Pure rules of staff follow-up (DESIGN §4 "Staff follow-up"). No framework imports. */

export const followUpStates = ['not_contacted', 'contacted', 'converted', 'dropped'] as const;
export type FollowUpState = (typeof followUpStates)[number];

/** The member segments staff filter by. */
export const segments = [
  'all', 'active', 'checked-in-today', 'missed-today', 'streak', 'completed', 'paid', 'not-paid', 'left',
] as const;
export type Segment = (typeof segments)[number];

export interface SegmentFilter {
  segment: Segment;
  /** `streak`: at least this many days in a row. */
  minStreak?: number;
  /** `paid`: in this round (1-3); any round when absent. */
  round?: number;
}

/**
 * Day ranges that make "current streak >= n" true, given the cohort's anchor day (today, capped at
 * the last day): n days ending at the anchor, or n days ending the day before (today still open).
 */
export function streakWindows(anchorDay: number, n: number): Array<{ from: number; to: number }> {
  return [
    { from: anchorDay - n + 1, to: anchorDay },
    { from: anchorDay - n, to: anchorDay - 1 },
  ].filter((window) => window.from >= 1);
}

/** The best state of a member's orders in one round: paid beats waiting beats closed or expired. */
export function roundPaymentState(states: readonly string[]): 'paid' | 'unpaid' | null {
  if (states.includes('paid')) return 'paid';
  return states.length > 0 ? 'unpaid' : null;
}
