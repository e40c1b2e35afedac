import type { Checkin, Cohort, Member, Review } from '../../../miniprogram/services/api-types';

export const xiaoming: Member = { id: 7, nickname: '小明', avatarUrl: null, roles: ['member'] };
export const teacherWang: Member = { id: 42, nickname: '王老师', avatarUrl: null, roles: ['member', 'teacher'] };

const points = { basePoints: 10, groupBonusPoints: 10, streakBonusPoints: 30, completionBonusPoints: 50, makeUpCost: 20, makeUpLimit: 2, inviteRewardPoints: 20, inviteRewardLimit: 10 };

export function cohort(overrides: Partial<Cohort> = {}): Cohort {
  const merged: Cohort = {
    id: 3,
    title: '21天英语口语',
    theme: '英语口语',
    durationDays: 7,
    startDate: '2026-11-18',
    endDate: '2026-11-24',
    status: 'running',
    dayIndex: 3,
    coverImageUrl: null,
    rules: '每天一段朗读，配一张照片',
    welcomeMessage: '欢迎加入！',
    announcement: null,
    groupBound: true,
    teacherIds: [42],
    points,
    memberCount: 12,
    enrolled: false,
    todayPrompt: '介绍你的早餐',
    prompts: [
      { dayIndex: 1, text: '自我介绍' },
      { dayIndex: 2, text: '我的家乡' },
      { dayIndex: 3, text: '介绍你的早餐' },
    ],
    clonedFromId: null,
    disbandedAt: null,
    nextCohortId: null,
    groupQr: null,
    reminderTime: '08:00',
    checkinKinds: ['text', 'photo', 'voice'],
    maxAudioSeconds: 60,
    me: { enrolled: false, checkedInToday: false, todayCheckinId: null, streak: { current: 0, longest: 0, total: 0 }, missedDays: 0, makeUpsLeft: 2 },
    ...overrides,
  };
  return { ...merged, me: { ...merged.me, enrolled: merged.enrolled, ...overrides.me } };
}

export function review(overrides: Partial<Review> = {}): Review {
  return {
    id: 900,
    checkinId: 100,
    teacher: { id: 42, nickname: '王老师' },
    text: '发音很清楚，继续保持！',
    audioUrl: null,
    audioSeconds: null,
    createdAt: '2026-11-20T12:00:00.000Z',
    updatedAt: '2026-11-20T12:00:00.000Z',
    ...overrides,
  };
}

export function checkin(overrides: Partial<Checkin> = {}): Checkin {
  return {
    id: 100,
    cohortId: 3,
    dayIndex: 3,
    date: '2026-11-20',
    text: '今天读了一段新闻',
    imageUrls: [],
    viaGroup: false,
    sharedToGroup: false,
    isMakeUp: false,
    heldForReview: false,
    featured: false,
    review: null,
    audioUrl: null,
    audioSeconds: null,
    likeCount: 0,
    likedByMe: false,
    commentCount: 0,
    createdAt: '2026-11-20T01:30:00.000Z',
    author: { id: 7, nickname: '小明', avatarUrl: null },
    ...overrides,
  };
}
