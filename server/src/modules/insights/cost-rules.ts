/** Pure rules of the metrics: money figures and the one way rates are rounded (DESIGN §4 Metrics). No framework imports. */

/** What an operator spends on a cohort: prizes (mall goods, gifts), ads, teacher hours. */
export const costCategories = ['prizes', 'ads', 'teacher_hours'] as const;
export type CostCategory = (typeof costCategories)[number];

export type CostTotals = Record<CostCategory, number> & { total: number };

export function costTotals(entries: Array<{ category: CostCategory; amountFen: number }>): CostTotals {
  const totals: CostTotals = { prizes: 0, ads: 0, teacher_hours: 0, total: 0 };
  for (const entry of entries) {
    totals[entry.category] += entry.amountFen;
    totals.total += entry.amountFen;
  }
  return totals;
}

/** Average order value: revenue / paying members (in fen, rounded); 0 when nobody paid. */
export function averageOrderValue(revenueFen: number, payers: number): number {
  return payers === 0 ? 0 : Math.round(revenueFen / payers);
}

/** part / whole to four decimal places (every rate and the ROI of the metrics); 0 when whole is 0. */
export function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10000) / 10000;
}

/** Return on investment as revenue / costs (2.5 = every yuan spent brought 2.5 back); null without costs. */
export function returnOnInvestment(revenueFen: number, costFen: number): number | null {
  return costFen <= 0 ? null : ratio(revenueFen, costFen);
}
