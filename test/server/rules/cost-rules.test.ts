import { averageOrderValue, costTotals, ratio, returnOnInvestment } from '../../../server/src/modules/insights/cost-rules';

describe('money metrics', () => {
  it('average order value is revenue per paying member, not per order', () => {
    // 199.00 + 99.00 by one member, 99.00 by another: 397.00 / 2 members.
    expect(averageOrderValue(19900 + 9900 + 9900, 2)).toBe(19850);
    expect(averageOrderValue(0, 0)).toBe(0);
  });

  it('ROI is revenue / costs, to four places; none without costs', () => {
    expect(returnOnInvestment(29800, 12000)).toBe(2.4833);
    expect(returnOnInvestment(5000, 10000)).toBe(0.5);
    expect(returnOnInvestment(5000, 0)).toBeNull();
  });

  it('rates are part / whole to four places, rounded half up; 0 of nothing is 0', () => {
    expect(ratio(1, 3)).toBe(0.3333);
    expect(ratio(2, 3)).toBe(0.6667);
    expect(ratio(1, 8)).toBe(0.125);
    expect(ratio(0, 0)).toBe(0);
    expect(ratio(3, 0)).toBe(0);
  });

  it('sums costs per category', () => {
    expect(costTotals([
      { category: 'prizes', amountFen: 5000 }, { category: 'ads', amountFen: 4000 }, { category: 'prizes', amountFen: 1000 }, { category: 'teacher_hours', amountFen: 3000 },
    ])).toEqual({ prizes: 6000, ads: 4000, teacher_hours: 3000, total: 13000 });
  });
});
