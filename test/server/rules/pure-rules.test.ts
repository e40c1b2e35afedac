import { cohortStatus, dateOfDay, dayIndexOn } from '../../../server/src/modules/cohort/cohort-rules';
import { computeStreak, longestRun } from '../../../server/src/modules/checkin/streak';
import { awardsForCheckin, defaultPointsRules } from '../../../server/src/modules/points/award-rules';

describe('cohort calendar', () => {
  const cohort = { startDate: '2026-02-26', durationDays: 7, disbandedAt: null };
  it('numbers days across a month end and derives the status', () => {
    expect(dayIndexOn(cohort, '2026-02-26')).toBe(1);
    expect(dayIndexOn(cohort, '2026-03-04')).toBe(7);
    expect(dateOfDay(cohort, 4)).toBe('2026-03-01');
    expect(cohortStatus(cohort, '2026-02-25')).toBe('recruiting');
    expect(cohortStatus(cohort, '2026-02-26')).toBe('running');
    expect(cohortStatus(cohort, '2026-03-04')).toBe('running');
    expect(cohortStatus(cohort, '2026-03-05')).toBe('converting');
    expect(cohortStatus({ ...cohort, disbandedAt: new Date() }, '2026-03-01')).toBe('disbanded');
  });
});

describe('streaks', () => {
  it('current counts back from today, or from yesterday while today is open', () => {
    expect(computeStreak(new Set([1, 2, 3]), 3, 7)).toEqual({ current: 3, longest: 3, total: 3 });
    expect(computeStreak(new Set([1, 2, 3]), 4, 7)).toEqual({ current: 3, longest: 3, total: 3 });
    expect(computeStreak(new Set([1, 2, 3]), 5, 7)).toEqual({ current: 0, longest: 3, total: 3 });
    expect(computeStreak(new Set([1, 3, 4, 5, 7]), 7, 7)).toEqual({ current: 1, longest: 3, total: 5 });
    expect(computeStreak(new Set([1, 2, 3, 4, 5, 6, 7]), 12, 7)).toEqual({ current: 7, longest: 7, total: 7 });
    expect(longestRun(new Set())).toBe(0);
  });
});

describe('awards', () => {
  const base = { rules: defaultPointsRules, cohortId: 1, memberId: 2, checkinId: 3, durationDays: 21, viaGroup: false, isMakeUp: false };
  const days = (n: number) => new Set(Array.from({ length: n }, (_, i) => i + 1));

  it('base, plus the group bonus only for a non-make-up with a proof', () => {
    expect(awardsForCheckin({ ...base, dayIndex: 1, daysBefore: new Set() }).map((a) => a.reason)).toEqual(['checkin']);
    expect(awardsForCheckin({ ...base, dayIndex: 1, daysBefore: new Set(), viaGroup: true }).map((a) => a.points)).toEqual([10, 10]);
    expect(awardsForCheckin({ ...base, dayIndex: 1, daysBefore: new Set(), viaGroup: true, isMakeUp: true }).map((a) => a.points)).toEqual([10]);
  });

  it('each streak milestone once, when the longest run first reaches it, including by a make-up that joins two runs', () => {
    expect(awardsForCheckin({ ...base, dayIndex: 7, daysBefore: days(6) }).map((a) => a.idempotencyKey)).toEqual(['checkin:3:base', 'streak:1:2:7']);
    expect(awardsForCheckin({ ...base, dayIndex: 8, daysBefore: days(7) }).map((a) => a.reason)).toEqual(['checkin']);
    expect(awardsForCheckin({ ...base, dayIndex: 14, daysBefore: days(13) }).map((a) => a.idempotencyKey)).toContain('streak:1:2:14');
    const gap = new Set([1, 2, 3, 5, 6, 7, 8]);
    expect(awardsForCheckin({ ...base, dayIndex: 4, daysBefore: gap, isMakeUp: true }).map((a) => a.reason)).toEqual(['checkin', 'streak_bonus']);
  });

  it('completion once, when the last missing day is filled; no 14/21 milestones in a 7-day cohort', () => {
    const seven = { ...base, durationDays: 7 };
    expect(awardsForCheckin({ ...seven, dayIndex: 7, daysBefore: days(6) }).map((a) => a.reason)).toEqual(['checkin', 'streak_bonus', 'completion_bonus']);
    expect(awardsForCheckin({ ...seven, dayIndex: 6, daysBefore: new Set([1, 2, 3, 4, 5, 7]) }).map((a) => a.reason)).toEqual(['checkin', 'streak_bonus', 'completion_bonus']);
    const twentyOne = awardsForCheckin({ ...base, dayIndex: 21, daysBefore: days(20) });
    expect(twentyOne.map((a) => `${a.reason}:${a.points}`)).toEqual(['checkin:10', 'streak_bonus:30', 'completion_bonus:50']);
  });
});
