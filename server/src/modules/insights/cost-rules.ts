/** Pure rules of the money metrics (DESIGN §4 Metrics). No framework imports. */

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

/** Return on investment as revenue / costs (2.5 = every yuan spent brought 2.5 back); null without costs. */
export function returnOnInvestment(revenueFen: number, costFen: number): number | null {
  return costFen <= 0 ? null : Math.round((revenueFen / costFen) * 10000) / 10000;
}
