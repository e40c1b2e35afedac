import type { Cohort } from '../services/api-types';
import { shortDate } from './dates';
import { statusTag, type StatusTag } from './labels';

/** A cohort as a card on Home: only what the card shows. */
export interface CohortCard {
  id: number;
  title: string;
  theme: string;
  status: StatusTag;
  day: string;
  members: string;
  enrolled: boolean;
  /** Mine and running: 'todo' (去打卡) or 'done' (今日已打卡 ✓); otherwise ''. */
  today: TodayState;
  /** `连续打卡 3 天` while I have a streak. */
  streak: string;
}

export type TodayState = 'todo' | 'done' | '';

/** Today's check-in state of a cohort I am in. */
export function todayState(cohort: Cohort): TodayState {
  if (!cohort.enrolled || cohort.status !== 'running') return '';
  return cohort.me?.checkedInToday ? 'done' : 'todo';
}

/** `第3天 / 共7天` while running, else when it starts or that it has ended. */
export function dayLine(cohort: Cohort): string {
  switch (cohort.status) {
    case 'running':
      return `第${cohort.dayIndex ?? 1}天 / 共${cohort.durationDays}天`;
    case 'recruiting':
      return `${shortDate(cohort.startDate)}开始 · 共${cohort.durationDays}天`;
    default:
      return `${shortDate(cohort.endDate)}已结束 · 共${cohort.durationDays}天`;
  }
}

export function toCard(cohort: Cohort): CohortCard {
  return {
    id: cohort.id,
    title: cohort.title,
    theme: cohort.theme,
    status: statusTag(cohort.status),
    day: dayLine(cohort),
    members: `${cohort.memberCount}人已加入`,
    enrolled: cohort.enrolled,
    today: todayState(cohort),
    streak: cohort.enrolled && cohort.me?.streak.current ? `连续打卡 ${cohort.me.streak.current} 天` : '',
  };
}
