import { dateOfDay, type CohortCalendar } from '../cohort/cohort-rules';
import { startOfBusinessDate } from '../../platform/clock/business-date';

/** Pure conversion rules (DESIGN §4). */
export const offerRounds = [1, 2, 3] as const;
export type OfferRound = (typeof offerRounds)[number];

/** Round r runs over days N+2r-1 and N+2r: from the start of the first to the start of the day after. */
export function defaultOfferWindow(cohort: Pick<CohortCalendar, 'startDate' | 'durationDays'>, round: number, timeZone: string) {
  const firstDay = cohort.durationDays + 2 * round - 1;
  return {
    opensAt: startOfBusinessDate(dateOfDay(cohort, firstDay), timeZone),
    closesAt: startOfBusinessDate(dateOfDay(cohort, firstDay + 2), timeZone),
  };
}

export interface RoundOutcome {
  round: number;
  closesAt: Date;
  /** Members whose first paid order is in this round. */
  newPayers: number;
}

/**
 * A cohort is ready to disband when round 3 has closed, or as soon as a closed round brought no new
 * paying member.
 */
export function disbandReadiness(rounds: RoundOutcome[], now: Date): { ready: boolean; reason: string | null } {
  const closed = [...rounds].sort((a, b) => a.round - b.round).filter((r) => r.closesAt.getTime() <= now.getTime());
  const barren = closed.find((r) => r.newPayers === 0);
  if (barren) return { ready: true, reason: `round ${barren.round} closed without a new paying member` };
  if (closed.some((r) => r.round === 3)) return { ready: true, reason: 'round 3 has closed' };
  return { ready: false, reason: null };
}

/** An unpaid order lapses this long after it was created (WeChat's prepay id lives 2 hours). */
export const ORDER_PAYMENT_WINDOW_MS = 2 * 60 * 60 * 1000;
