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

/** Offers are sold from the cohort's first day until this many days after its last. */
export const OFFER_DAYS_AFTER_END = 60;

/** The span an offer window must lie in: from the start of day 1 to OFFER_DAYS_AFTER_END days after the last day. */
export function offerWindowBounds(cohort: Pick<CohortCalendar, 'startDate' | 'durationDays'>, timeZone: string) {
  return {
    earliest: startOfBusinessDate(cohort.startDate, timeZone),
    latest: startOfBusinessDate(dateOfDay(cohort, cohort.durationDays + 1 + OFFER_DAYS_AFTER_END), timeZone),
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
export interface DisbandReadiness {
  ready: boolean;
  /** Why, for machines: a round that closed without a new payer, or round 3 closing. */
  code: 'ROUND_WITHOUT_NEW_PAYER' | 'LAST_ROUND_CLOSED' | null;
  round: number | null;
  reason: string | null;
}

export function disbandReadiness(rounds: RoundOutcome[], now: Date): DisbandReadiness {
  const closed = [...rounds].sort((a, b) => a.round - b.round).filter((r) => r.closesAt.getTime() <= now.getTime());
  const barren = closed.find((r) => r.newPayers === 0);
  if (barren) {
    return { ready: true, code: 'ROUND_WITHOUT_NEW_PAYER', round: barren.round, reason: `round ${barren.round} closed without a new paying member` };
  }
  if (closed.some((r) => r.round === 3)) return { ready: true, code: 'LAST_ROUND_CLOSED', round: 3, reason: 'round 3 has closed' };
  return { ready: false, code: null, round: null, reason: null };
}

/** An unpaid order lapses this long after it was created (WeChat's prepay id lives 2 hours). */
export const ORDER_PAYMENT_WINDOW_MS = 2 * 60 * 60 * 1000;
