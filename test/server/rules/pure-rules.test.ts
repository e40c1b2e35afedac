import {
  checkinKindsFromColumn, checkinKindsToColumn, cohortStatus, dateOfDay, dayIndexOn, kindsOf,
} from '../../../server/src/modules/cohort/cohort-rules';
import { computeStreak, currentRunFloor, lastRun, longestRun } from '../../../server/src/modules/checkin/streak';
import { awardsForCheckin, defaultPointsRules, milestonesReached } from '../../../server/src/modules/points/award-rules';

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

describe('what a check-in holds', () => {
  it('stores a cohort\'s kinds in one canonical order and reads back only known kinds', () => {
    expect(checkinKindsToColumn(['voice', 'text'])).toBe('text,voice');
    expect(checkinKindsToColumn(undefined)).toBeUndefined();
    expect(checkinKindsFromColumn('photo,text,unknown')).toEqual(['text', 'photo']);
    expect(checkinKindsFromColumn(null)).toEqual([]);
  });

  it('counts text only when it says something', () => {
    expect(kindsOf({ text: '  ', photoCount: 0, hasAudio: false })).toEqual([]);
    expect(kindsOf({ text: 'hi', photoCount: 2, hasAudio: true })).toEqual(['text', 'photo', 'voice']);
    expect(kindsOf({ text: '', photoCount: 0, hasAudio: true })).toEqual(['voice']);
  });
});

describe('the leaderboard\'s streak', () => {
  it('stores the run ending at the last day checked in, current while it ends today or yesterday', () => {
    expect(lastRun(new Set())).toEqual({ lastDay: 0, length: 0 });
    expect(lastRun(new Set([1, 2, 4, 5, 6]))).toEqual({ lastDay: 6, length: 3 });
    expect(lastRun(new Set([1, 2, 3, 5]))).toEqual({ lastDay: 5, length: 1 });
    expect(currentRunFloor(6, 7)).toBe(5);
    // After the last day the anchor stays on it, as computeStreak's does.
    expect(currentRunFloor(12, 7)).toBe(6);
    const days = new Set([1, 2, 3]);
    for (const today of [3, 4, 5, 9]) {
      const run = lastRun(days);
      const current = run.lastDay >= currentRunFloor(today, 7) ? run.length : 0;
      expect(current).toBe(computeStreak(days, today, 7).current);
    }
  });
});

describe('milestones to celebrate', () => {
  it('names the streak milestone a check-in reaches and completion', () => {
    expect(milestonesReached(new Set([1, 2, 3, 4, 5, 6]), 7, 14)).toEqual({ streakDays: 7, completed: false });
    expect(milestonesReached(new Set([1, 2, 3, 4, 5, 6]), 7, 7)).toEqual({ streakDays: 7, completed: true });
    expect(milestonesReached(new Set([1, 2, 3, 4, 5, 6, 7]), 8, 14)).toEqual({ streakDays: null, completed: false });
    // A make-up that joins 1-6 and 8-14 crosses 7 and 14 at once: the higher one is celebrated.
    const joined = new Set([1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14]);
    expect(milestonesReached(joined, 7, 14)).toEqual({ streakDays: 14, completed: true });
  });
});
