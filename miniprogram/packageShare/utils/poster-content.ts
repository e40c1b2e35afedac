import type { Certificate, Cohort } from '../../services/api-types';
import { businessToday, shortDate } from '../../utils/dates';
import type { PosterContent, PosterKind } from './poster';

/** `2026-11-13` -> `2026年11月13日`. */
function longDate(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  return match ? `${match[1]}年${Number(match[2])}月${Number(match[3])}日` : date;
}

/** The invitation poster: the cohort, who invites, how far they are, and the code to join. */
export function invitationPoster(cohort: Cohort, nickname: string): PosterContent {
  const me = cohort.me;
  const started = cohort.status !== 'recruiting';
  return {
    kind: 'poster',
    eyebrow: cohort.dayIndex ? `${cohort.theme} · 第${cohort.dayIndex}天 / 共${cohort.durationDays}天` : `${cohort.theme} · ${cohort.durationDays}天打卡`,
    heading: cohort.title,
    nickname,
    byline: '邀请你一起打卡',
    stats: [
      { value: `${cohort.durationDays}天`, label: '打卡周期' },
      started ? { value: `${cohort.memberCount}人`, label: '一起打卡' } : { value: shortDate(cohort.startDate), label: '开始' },
      me?.enrolled && me.streak.total > 0 ? { value: `${me.streak.current}天`, label: '我已连续打卡' } : { value: `${cohort.points.basePoints}分`, label: '每次打卡' },
    ],
    quote: cohort.welcomeMessage || `每天打卡，坚持${cohort.durationDays}天，和大家一起进步。`,
    footer: '长按识别小程序码\n和我一起打卡',
  };
}

/** The daily card (日签): today's day, the streak and today's prompt. */
export function dailyCard(cohort: Cohort, nickname: string, today: string = businessToday()): PosterContent {
  const me = cohort.me;
  const day = cohort.dayIndex ?? 0;
  return {
    kind: 'daily',
    eyebrow: `日签 · ${shortDate(today)}${day ? ` · 第${day}天` : ''}`,
    heading: cohort.title,
    nickname,
    byline: me?.checkedInToday ? '今天的打卡完成了' : '今天也要打卡哦',
    stats: [
      { value: `第${day}天`, label: `共${cohort.durationDays}天` },
      { value: `${me?.streak.current ?? 0}天`, label: '连续打卡' },
      { value: `${me?.streak.total ?? 0}天`, label: '累计打卡' },
    ],
    quote: cohort.todayPrompt ? `今日主题：${cohort.todayPrompt}` : '每天进步一点点。',
    footer: '长按识别小程序码\n来和我一起打卡',
  };
}

/** The completion certificate: name, cohort, days, points. */
export function certificateCard(certificate: Certificate): PosterContent {
  return {
    kind: 'certificate',
    eyebrow: '结业证书',
    heading: certificate.cohortTitle,
    nickname: certificate.nickname,
    byline: `完成全部 ${certificate.durationDays} 天打卡`,
    stats: [
      { value: `${certificate.daysCheckedIn}天`, label: '打卡天数' },
      { value: `${certificate.longestStreak}天`, label: '最长连续' },
      { value: String(certificate.pointsEarned), label: '获得积分' },
    ],
    quote: `${longDate(certificate.startDate)}至${longDate(certificate.completedOn)}，坚持每天打卡，完成全部 ${certificate.durationDays} 天，特发此证。`,
    footer: '长按识别小程序码\n和我一起参加下一期',
  };
}

/** What the footer says when there is no code (the cohort no longer takes members). */
export const FOOTER_WITHOUT_CODE = '打卡积分 · 每天进步一点点';

export const POSTER_TITLES: Record<PosterKind, string> = {
  poster: '邀请海报',
  daily: '今日日签',
  certificate: '结业证书',
};
