import { longestRun } from '../checkin/streak';

/** How many members checked in on exactly the days of `mask` (bit n-1 = day n). */
export interface DayPattern {
  mask: number;
  members: number;
}

export interface DayPatternSummary {
  checkinsByDay: number[];
  completed: number;
  membersWithCheckins: number;
  /** longest streak length -> members */
  longestStreaks: Map<number, number>;
}

/** Pure: the funnel numbers that follow from the members' day patterns. */
export function summarizeDayPatterns(patterns: DayPattern[], durationDays: number): DayPatternSummary {
  const checkinsByDay = Array<number>(durationDays).fill(0);
  const longestStreaks = new Map<number, number>();
  let completed = 0;
  let membersWithCheckins = 0;
  for (const { mask, members } of patterns) {
    const days = new Set<number>();
    for (let day = 1; day <= durationDays; day++) {
      if (mask & (1 << (day - 1))) {
        days.add(day);
        checkinsByDay[day - 1] += members;
      }
    }
    if (days.size === durationDays) completed += members;
    membersWithCheckins += members;
    const longest = longestRun(days);
    longestStreaks.set(longest, (longestStreaks.get(longest) ?? 0) + members);
  }
  return { checkinsByDay, completed, membersWithCheckins, longestStreaks };
}
