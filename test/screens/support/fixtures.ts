/**
 * What the fake server answers in the screens: realistic Chinese content for one community running an
 * English-speaking cohort, a watercolour cohort and a morning-reading cohort. The clock of the screens is
 * 2026-11-20 09:41 Beijing time (day 8 of the 21-day cohort). Photos are the JPEGs in ../photos, found by
 * file name.
 */
import type {
  Certificate,
  PublishedAnnouncement,
  Comment,
  Leaderboard,
  Checkin,
  Cohort,
  CohortMetrics,
  ConversionRound,
  ConversionSummary,
  GroupQr,
  Invitations,
  Member,
  MetricsOverviewItem,
  MemberOffer,
  Notice,
  PointsEntry,
  PosterCode,
  Product,
  Progress,
  ProgressDay,
  QueueItem,
  Redemption,
  Review,
} from '../../../miniprogram/services/api-types';

/** 2026-11-20 09:41 in Beijing (01:41 UTC). */
export const NOW = Date.parse('2026-11-20T01:41:00.000Z');
export const TODAY = '2026-11-20';

const photo = (name: string) => `/uploads/images/fixtures/${name}`;

export const people: Record<'member' | 'teacher' | 'operator', Member> = {
  member: { id: 7, nickname: '林小满', avatarUrl: photo('avatar-1.jpg'), roles: ['member'] },
  teacher: { id: 42, nickname: '周老师', avatarUrl: photo('avatar-2.jpg'), roles: ['member', 'teacher'] },
  operator: { id: 1, nickname: '陈静', avatarUrl: photo('avatar-3.jpg'), roles: ['member', 'teacher', 'operator'] },
};

const points = { basePoints: 10, groupBonusPoints: 10, streakBonusPoints: 30, completionBonusPoints: 100, makeUpCost: 20, makeUpLimit: 3, inviteRewardPoints: 20, inviteRewardLimit: 10 };

const SPEAKING_PROMPTS = [
  '用英语做一个 1 分钟的自我介绍', '介绍你的家乡', '说说你最喜欢的一本书', '描述你的周末', '聊聊你的工作或学习',
  '推荐一部电影', '描述一次难忘的旅行', '介绍你今天的早餐', '说说你的一个好习惯', '描述你的房间',
  '聊聊你喜欢的运动', '介绍一位你敬佩的人', '说说你最近学到的新东西', '描述你理想的一天', '聊聊城市和乡村生活',
  '说说你如何管理时间', '介绍一道家乡菜的做法', '描述一个节日', '谈谈手机对生活的影响', '给一年后的自己说几句话', '总结这 21 天的收获',
];

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function cohort(overrides: Partial<Cohort> = {}): Cohort {
  const base: Cohort = {
    id: 3,
    title: '21天英语口语打卡·第3期',
    theme: '英语口语',
    durationDays: 21,
    startDate: '2026-11-13',
    endDate: '2026-12-03',
    status: 'running',
    dayIndex: 8,
    coverImageUrl: null,
    rules: '每天录一段 1 分钟以上的英语口语，配一张和主题有关的照片。\n从本期打卡群的卡片进入小程序打卡，积分翻倍。\n连续打卡 7 天额外奖励 30 积分，全勤奖励 100 积分。',
    welcomeMessage: '欢迎加入第3期！每天进步一点点，21 天后你会感谢现在开口的自己。',
    announcement: '本周六晚 8 点周老师直播答疑，准备好你的问题～',
    groupBound: true,
    teacherIds: [42],
    points,
    memberCount: 86,
    enrolled: true,
    todayPrompt: SPEAKING_PROMPTS[7],
    prompts: SPEAKING_PROMPTS.map((text, i) => ({ dayIndex: i + 1, text })),
    clonedFromId: 2,
    disbandedAt: null,
    nextCohortId: null,
    groupQr: null,
    reminderTime: '08:00',
    checkinKinds: ['text', 'photo', 'voice'],
    maxAudioSeconds: 60,
    me: { enrolled: true, checkedInToday: false, todayCheckinId: null, streak: { current: 3, longest: 3, total: 6 }, missedDays: 1, makeUpsLeft: 2 },
  };
  const merged = { ...base, ...overrides };
  return { ...merged, me: { ...base.me, enrolled: merged.enrolled, ...overrides.me } };
}

export const speaking = () => cohort();

/** What the staff scheduled for today and has gone out (GET /cohorts/3/today/announcements), newest first. */
export const todaysAnnouncements = (): PublishedAnnouncement[] => [
  { id: 22, slot: 'tips', title: '干货：点餐常用句型', body: '三句就够用：\nCould I have the menu, please?\nI\'d like a latte and a bagel.\nCould I have the bill, please?', publishedAt: '2026-11-20T03:00:00.000Z' },
  { id: 21, slot: 'morning', title: '早安！今天练习点餐', body: '今天的任务：录一段 30 秒的点餐对话，晚上 9 点前打卡。', publishedAt: '2026-11-20T00:00:00.000Z' },
];
export const watercolor = () =>
  cohort({
    id: 5, title: '14天水彩入门', theme: '水彩', durationDays: 14, startDate: '2026-11-25', endDate: '2026-12-08',
    status: 'recruiting', dayIndex: null, memberCount: 23, enrolled: false, todayPrompt: null, announcement: null,
    rules: '每天一幅小画，拍照上传。', welcomeMessage: '拿起画笔，一起画满 14 天。', prompts: [], clonedFromId: null, teacherIds: [43],
  });
export const morningReading = () =>
  cohort({
    id: 6, title: '7天晨读打卡', theme: '晨读', durationDays: 7, startDate: '2026-11-16', endDate: '2026-11-22',
    status: 'running', dayIndex: 5, memberCount: 41, enrolled: false, todayPrompt: '朗读《少年中国说》选段', announcement: null,
    prompts: [], clonedFromId: null,
  });
/** Joined, and today's check-in already done. */
export const readingDone = () =>
  cohort({
    ...morningReading(), enrolled: true,
    me: { enrolled: true, checkedInToday: true, todayCheckinId: 210, streak: { current: 5, longest: 5, total: 5 }, missedDays: 0, makeUpsLeft: 3 },
  });
export const finishedSpeaking = () =>
  cohort({
    id: 2, title: '21天英语口语打卡·第2期', startDate: '2026-10-20', endDate: '2026-11-09', status: 'converting', dayIndex: null,
    memberCount: 74, todayPrompt: null, announcement: null, clonedFromId: null,
  });

export function review(overrides: Partial<Review> = {}): Review {
  return {
    id: 900,
    checkinId: 100,
    teacher: { id: 42, nickname: '周老师' },
    text: '发音清楚，"crispy" 的重音再放在第一个音节会更地道。明天试着多用两个形容词！',
    audioUrl: null,
    audioSeconds: null,
    createdAt: '2026-11-20T03:10:00.000Z',
    updatedAt: '2026-11-20T03:10:00.000Z',
    ...overrides,
  };
}

export function checkin(overrides: Partial<Checkin> = {}): Checkin {
  return {
    id: 100,
    cohortId: 3,
    dayIndex: 8,
    date: TODAY,
    text: "Today I had toast, a sunny-side up egg and some cherry tomatoes. It's my favourite breakfast because it's quick and healthy. 今天终于敢开口录满一分钟了！",
    imageUrls: [photo('breakfast.jpg'), photo('notebook.jpg')],
    viaGroup: true,
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
    createdAt: '2026-11-20T00:32:00.000Z',
    author: { id: 7, nickname: '林小满', avatarUrl: photo('avatar-1.jpg') },
    ...overrides,
  };
}

export const feed = (): Checkin[] => [
  checkin({ id: 131, featured: true, likeCount: 18, commentCount: 4, audioUrl: '/uploads/audio/2026/11/m131.m4a', audioSeconds: 64,
    review: review({ checkinId: 131, audioUrl: '/uploads/audio/r1.mp3', audioSeconds: 18 }) }),
  checkin({
    id: 130, text: 'My hometown is a small city by the sea. In summer we eat seafood every night and walk on the beach.',
    imageUrls: [photo('sunrise.jpg')], viaGroup: false, createdAt: '2026-11-20T00:05:00.000Z', likeCount: 6, commentCount: 1,
    audioUrl: '/uploads/audio/2026/11/m130.mp3', audioSeconds: 38,
    author: { id: 8, nickname: 'Amy 王', avatarUrl: photo('avatar-2.jpg') },
  }),
  checkin({
    id: 129, text: '补一下昨天的卡：I described my room. 书桌终于收拾干净了。', imageUrls: [], isMakeUp: true, viaGroup: false, dayIndex: 7,
    createdAt: '2026-11-19T23:50:00.000Z', author: { id: 9, nickname: '阿杰', avatarUrl: null }, likeCount: 2,
  }),
  checkin({
    id: 128, text: 'Reading makes me calm. This week I finished "The Little Prince" in English!', imageUrls: [photo('reading.jpg'), photo('watercolor.jpg'), photo('notebook.jpg')],
    createdAt: '2026-11-19T22:58:00.000Z', author: { id: 10, nickname: '晴天小猪', avatarUrl: photo('avatar-3.jpg') },
    review: review({ id: 901, checkinId: 128, text: '读完一整本英文书，太棒了！' }), likeCount: 11, likedByMe: true, commentCount: 3,
  }),
];

/** Comments under Amy's check-in (130), newest first: mine, the teacher's, another member's. */
export const comments = (): Comment[] => [
  { id: 705, checkinId: 130, text: '海边长大好幸福！seafood 的发音很标准 👍', author: { id: 7, nickname: '林小满', avatarUrl: photo('avatar-1.jpg') },
    byTeacher: false, heldForReview: false, canDelete: true, createdAt: '2026-11-20T01:20:00.000Z' },
  { id: 704, checkinId: 130, text: 'Nice! 注意 "every night" 连读，night 结尾的 t 轻一点。明天试试用过去时讲一次夏天的故事。', author: { id: 42, nickname: '周老师', avatarUrl: photo('avatar-2.jpg') },
    byTeacher: true, heldForReview: false, canDelete: false, createdAt: '2026-11-20T00:48:00.000Z' },
  { id: 703, checkinId: 130, text: '我也想去海边了～', author: { id: 9, nickname: '阿杰', avatarUrl: null },
    byTeacher: false, heldForReview: false, canDelete: false, createdAt: '2026-11-20T00:30:00.000Z' },
];

/** The leaderboard of the speaking cohort on day 8, by points: the top 50 and me at 53. */
export function leaderboard(by: 'points' | 'streak' | 'likes' = 'points'): Leaderboard {
  const names = ['晴天小猪', 'Amy 王', '阿杰', '小鹿', 'Leo', '苏苏', '大橙子', '木木', 'Kevin', '一颗柠檬', '阿May', '小满的同桌'];
  const avatars = [photo('avatar-3.jpg'), photo('avatar-2.jpg'), null];
  const top = by === 'points' ? 310 : by === 'streak' ? 8 : 46;
  const items = Array.from({ length: 50 }, (_, i) => ({
    rank: i + 1,
    member: { id: 200 + i, nickname: i < names.length ? names[i] : `学员${200 + i}`, avatarUrl: avatars[i % 3] },
    value: by === 'streak' ? Math.max(1, top - Math.floor(i / 9)) : Math.max(1, top - i * (by === 'points' ? 4 : 1)),
  }));
  const me = { rank: by === 'streak' ? 61 : 53, member: { id: 7, nickname: '林小满', avatarUrl: photo('avatar-1.jpg') }, value: by === 'points' ? 90 : by === 'streak' ? 3 : 5 };
  return { by, items, me };
}

/** My calendar on day 8: days 1-3 done, 4 missed, 5 made up, 6-7 done, 8 today. */
export function progress(overrides: Partial<Progress> = {}, durationDays = 21, todayIndex = 8): Progress {
  const states: Record<number, ProgressDay['state']> = { 4: 'missed', 5: 'made-up' };
  const days: ProgressDay[] = Array.from({ length: durationDays }, (_, i) => {
    const dayIndex = i + 1;
    const state: ProgressDay['state'] = dayIndex < todayIndex ? (states[dayIndex] ?? 'done') : dayIndex === todayIndex ? 'today' : 'upcoming';
    return {
      dayIndex,
      date: addDays('2026-11-13', i),
      state,
      prompt: SPEAKING_PROMPTS[i] ?? null,
      checkinId: state === 'done' || state === 'made-up' ? 100 + dayIndex : null,
      review: dayIndex === 2 ? review({ checkinId: 102, text: '自我介绍很自然，继续保持！', audioUrl: '/uploads/audio/r2.mp3', audioSeconds: 23 }) : dayIndex === 6 ? review({ checkinId: 106, text: '电影推荐讲得很生动。' }) : null,
    };
  });
  return {
    cohortId: 3,
    status: 'running',
    dayIndex: todayIndex,
    days,
    streak: { current: 3, longest: 3, total: 6 },
    makeUpsUsed: 1,
    makeUpsLeft: 2,
    makeUpCost: 20,
    balance: 265,
    ...overrides,
  };
}

export const ledger = (): PointsEntry[] => [
  { id: 60, delta: 10, reason: 'checkin', refType: 'checkin', refId: 107, note: null, createdAt: '2026-11-19T00:40:00.000Z' },
  { id: 59, delta: 10, reason: 'group_bonus', refType: 'checkin', refId: 107, note: null, createdAt: '2026-11-19T00:40:00.000Z' },
  { id: 58, delta: -120, reason: 'redemption', refType: 'redemption', refId: 12, note: '打卡笔记本', createdAt: '2026-11-18T12:02:00.000Z' },
  { id: 57, delta: 10, reason: 'checkin', refType: 'checkin', refId: 106, note: null, createdAt: '2026-11-18T00:21:00.000Z' },
  { id: 56, delta: -20, reason: 'make_up_fee', refType: 'checkin', refId: 105, note: null, createdAt: '2026-11-17T13:15:00.000Z' },
  { id: 55, delta: 30, reason: 'streak_bonus', refType: 'checkin', refId: 103, note: null, createdAt: '2026-11-15T00:35:00.000Z' },
  { id: 54, delta: 50, reason: 'adjustment', refType: null, refId: null, note: '直播答疑优秀发言', createdAt: '2026-11-14T12:00:00.000Z' },
];

export function product(overrides: Partial<Product> = {}): Product {
  return {
    id: 1,
    name: '打卡笔记本',
    description: 'A5 大小，米白色道林纸 120 页。\n封面烫印「每天进步一点点」，适合记口语笔记和单词。',
    imageUrls: [photo('product-notebook.jpg')],
    pointsPrice: 120,
    stock: 36,
    inStock: true,
    perMemberLimit: 2,
    active: true,
    kind: 'physical',
    sortOrder: 0,
    myRedeemed: 0,
    myRemaining: 2,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...overrides,
  };
}

export const products = (): Product[] => [
  product(),
  product({ id: 2, name: '会员月卡（电子兑换码）', kind: 'virtual', imageUrls: [photo('product-vip.jpg')], pointsPrice: 300, stock: 100, perMemberLimit: 1, myRemaining: 1, description: '兑换后在「我的兑换」查看兑换码，30 天内有效。' }),
  product({ id: 3, name: '「坚持就是胜利」帆布袋', imageUrls: [photo('product-bag.jpg')], pointsPrice: 200, stock: 8, perMemberLimit: null, myRemaining: null }),
  product({ id: 4, name: '打卡马克杯', imageUrls: [photo('product-mug.jpg')], pointsPrice: 180, stock: 12, perMemberLimit: 1, myRedeemed: 1, myRemaining: 0 }),
  product({ id: 5, name: '《英语口语365句》', imageUrls: [photo('product-book.jpg')], pointsPrice: 260, stock: 0, inStock: false }),
];

export function redemption(overrides: Partial<Redemption> = {}): Redemption {
  return {
    id: 12,
    requestId: 'r-fixture-12',
    member: { id: 7, nickname: '林小满' },
    productId: 1,
    productName: '打卡笔记本',
    imageUrl: photo('product-notebook.jpg'),
    kind: 'physical',
    quantity: 1,
    unitPrice: 120,
    pointsTotal: 120,
    state: 'pending',
    address: { name: '林小满', phone: '138****5678', province: '广东省', city: '深圳市', district: '南山区', detail: '科技园科苑路 15 号 3 栋 1201' },
    carrier: null,
    trackingNumber: null,
    virtualCode: null,
    fulfilledAt: null,
    cancelledAt: null,
    cancelledBy: null,
    cancelReason: null,
    createdAt: '2026-11-18T12:02:00.000Z',
    ...overrides,
  };
}

export const redemptions = (): Redemption[] => [
  redemption(),
  redemption({ id: 11, productId: 2, productName: '会员月卡（电子兑换码）', kind: 'virtual', pointsTotal: 300, unitPrice: 300, state: 'fulfilled', address: null, virtualCode: 'VIP-8K2D-Q7MX', fulfilledAt: '2026-11-10T02:00:00.000Z', createdAt: '2026-11-09T10:00:00.000Z' }),
  redemption({ id: 10, productId: 4, productName: '打卡马克杯', pointsTotal: 180, unitPrice: 180, state: 'fulfilled', carrier: '顺丰速运', trackingNumber: 'SF1432 7789 0021', fulfilledAt: '2026-11-05T02:00:00.000Z', createdAt: '2026-11-03T10:00:00.000Z' }),
  redemption({ id: 9, productId: 3, productName: '「坚持就是胜利」帆布袋', pointsTotal: 200, unitPrice: 200, state: 'cancelled', cancelledBy: 'operator', cancelReason: '这一批次印刷有误，已退回积分', cancelledAt: '2026-11-02T02:00:00.000Z', createdAt: '2026-11-01T10:00:00.000Z' }),
];

export function memberOffer(overrides: Partial<MemberOffer> = {}): MemberOffer {
  return {
    id: 31,
    cohortId: 2,
    cohortTitle: '21天英语口语打卡·第2期',
    round: 1,
    title: '进阶口语 30 天 · 老学员专享',
    description: '每天 15 分钟外教点评 + 每周一次小班直播。\n老学员第一轮立减 100 元。',
    priceFen: 19900,
    originalPriceFen: 29900,
    opensAt: '2026-11-19T12:00:00.000Z',
    closesAt: '2026-11-22T12:00:00.000Z',
    audience: 'all',
    purchased: false,
    ...overrides,
  };
}

export const invitation = (overrides: Partial<Notice> = {}): Notice => ({
  id: 5,
  kind: 'invitation',
  page: 'pages/cohort/index?id=5',
  data: { thing1: '14天水彩入门', date2: '2026-11-25', thing3: '21天英语口语第2期已结束，欢迎继续' },
  unread: true,
  createdAt: '2026-11-12T02:00:00.000Z',
  ...overrides,
});

export function queueItem(overrides: Partial<QueueItem> = {}): QueueItem {
  return { ...checkin({ review: null, featured: false }), cohortTitle: '21天英语口语打卡·第3期', ...overrides };
}

export const queue = (): QueueItem[] => [
  queueItem({ id: 131 }),
  queueItem({ id: 130, text: feed()[1].text, imageUrls: [photo('sunrise.jpg')], author: feed()[1].author, createdAt: '2026-11-20T00:05:00.000Z' }),
  queueItem({ id: 127, text: '今天的主题有点难，我说了家乡的小吃：hot and sour noodles, steamed buns…', imageUrls: [], isMakeUp: true, dayIndex: 7, date: '2026-11-19', author: { id: 11, nickname: '小鱼', avatarUrl: null }, createdAt: '2026-11-19T14:20:00.000Z' }),
  queueItem({ id: 126, cohortId: 6, cohortTitle: '7天晨读打卡', text: '朗读打卡第 4 天，今天读得比昨天流利。', imageUrls: [photo('reading.jpg')], dayIndex: 4, date: '2026-11-19', author: { id: 12, nickname: '豆豆妈', avatarUrl: photo('avatar-3.jpg') }, createdAt: '2026-11-19T12:00:00.000Z' }),
];

export const templates = () => [
  { id: 1, text: '发音很清楚，继续保持！' },
  { id: 2, text: '语速可以再放慢一点' },
  { id: 3, text: '今天的内容很丰富，赞！' },
  { id: 4, text: '注意 th 的发音' },
];

export function conversion(overrides: Partial<ConversionSummary> = {}): ConversionSummary {
  const round = (n: number, offer: MemberOffer | null, stats: [number, number, number, number]): ConversionRound => ({
    round: n,
    opensAt: addDays('2026-11-10', (n - 1) * 3) + 'T12:00:00.000Z',
    closesAt: addDays('2026-11-10', n * 3) + 'T12:00:00.000Z',
    offer,
    views: stats[0], paidOrders: stats[1], newPayers: stats[2], revenueFen: stats[3],
  });
  return {
    cohortId: 2,
    status: 'converting',
    disbandReady: true,
    disbandReadyReason: 'round 2 closed without a new payer',
    disbandReadyCode: 'ROUND_WITHOUT_NEW_PAYER',
    disbandReadyRound: 2,
    rounds: [round(1, memberOffer(), [58, 12, 12, 238800]), round(2, memberOffer({ id: 33, round: 2, title: '进阶口语 30 天 · 第二轮', priceFen: 22900 }), [31, 0, 0, 0]), round(3, null, [0, 0, 0, 0])],
    ...overrides,
  };
}

export function metrics(): CohortMetrics {
  const rates = [0.96, 0.93, 0.91, 0.86, 0.84, 0.85, 0.81, 0.79, 0.8, 0.77, 0.75, 0.76, 0.72, 0.73, 0.7, 0.71, 0.69, 0.7, 0.68, 0.7, 0.74];
  return {
    cohortId: 2, title: '21天英语口语打卡·第2期', status: 'converting', durationDays: 21, enrolled: 74, active: 66, quits: 8, quitRate: 0.108,
    groupVerifiedMembers: 51,
    checkinRateByDay: rates.map((rate, i) => ({ day: i + 1, checkins: Math.round(rate * 74), rate })),
    completed: 38, completionRate: 0.514,
    streakDistribution: [{ longestStreak: '1-3', members: 9 }, { longestStreak: '4-7', members: 14 }, { longestStreak: '8-14', members: 13 }, { longestStreak: '15-20', members: 8 }, { longestStreak: '21', members: 30 }],
    checkins: 1189, reviewCoverage: 0.97, medianReviewLatencySeconds: 5400,
    rounds: [
      { round: 1, offerViews: 58, orders: 12, newPayers: 12, conversionRate: 0.162, revenueFen: 238800 },
      { round: 2, offerViews: 31, orders: 0, newPayers: 0, conversionRate: 0, revenueFen: 0 },
    ],
    payers: 12, conversionRate: 0.162, orders: 12, revenueFen: 238800, averageOrderValueFen: 19900, disbandReady: true,
    entry: {
      sources: [
        { source: 'poster', opens: 213, visitors: 96, joins: 31, firstCheckins: 27 },
        { source: 'card', opens: 88, visitors: 52, joins: 19, firstCheckins: 15 },
        { source: 'timeline', opens: 41, visitors: 12, joins: 3, firstCheckins: 2 },
        { source: 'group', opens: 37, visitors: 29, joins: 14, firstCheckins: 13 },
      ],
      total: { source: 'all', opens: 379, visitors: 171, joins: 62, firstCheckins: 54 },
      entryRate: 0.316,
    },
    topInviters: [
      { member: people.member, invited: 9, joined: 7, checkedIn: 6, rewardPoints: 120 },
      { member: { id: 8, nickname: 'Amy 王', avatarUrl: null }, invited: 6, joined: 4, checkedIn: 4, rewardPoints: 80 },
      { member: { id: 9, nickname: '阿杰', avatarUrl: null }, invited: 4, joined: 2, checkedIn: 1, rewardPoints: 20 },
    ],
    reviewers: [{ teacher: { id: people.teacher.id, nickname: people.teacher.nickname }, reviews: 1153, coverage: 0.97, averageLatencySeconds: 6100 }],
    interaction: { likes: 2310, comments: 486, members: 61, rate: 0.824 },
    costs: { prizesFen: 36000, adsFen: 50000, teacherHoursFen: 42000, total: 128000 },
    roi: 1.8656,
    retention: { nextCohortId: 3, carried: 29, rate: 0.392 },
  };
}

export const overview = (): MetricsOverviewItem[] => [
  { cohortId: 3, title: '21天英语口语打卡·第3期', startDate: '2026-11-13', status: 'running', enrolled: 86, completionRate: 0, conversionRate: 0, payers: 0, revenueFen: 0, averageOrderValueFen: 0, costFen: 20000, roi: 0, retentionRate: null },
  { cohortId: 2, title: '21天英语口语打卡·第2期', startDate: '2026-10-20', status: 'converting', enrolled: 74, completionRate: 0.514, conversionRate: 0.162, payers: 12, revenueFen: 238800, averageOrderValueFen: 19900, costFen: 128000, roi: 1.8656, retentionRate: 0.392 },
];

export const staff = (): Member[] => [
  people.operator,
  people.teacher,
  { id: 43, nickname: '李老师', avatarUrl: null, roles: ['member', 'teacher'] },
  people.member,
  { id: 8, nickname: 'Amy 王', avatarUrl: null, roles: ['member'] },
  { id: 9, nickname: '阿杰', avatarUrl: null, roles: ['member'] },
];

export const subscriptions = (banked: Partial<Record<'reminder' | 'review' | 'offer' | 'invitation', number>> = {}) => ({
  templates: (['reminder', 'review', 'offer', 'invitation'] as const).map((key) => ({ key, templateId: `tmpl-${key}`, sendsLeft: banked[key] ?? 0 })),
});

/** The cohort's group QR as the operator uploaded it; `state` as the server says it. */
export const groupQr = (state: GroupQr['state'] = 'fresh', uploadedAt = '2026-11-15T02:00:00.000Z'): GroupQr => ({
  url: photo('group-qr.png'),
  uploadedAt,
  expiresAt: new Date(Date.parse(uploadedAt) + 7 * 86400000).toISOString(),
  state,
});

/** My Mini Program code for the 21-day cohort's poster (a real QR code, as fake WeChat draws it). */
export const posterCode = (): PosterCode => ({
  code: 'Ab3dEf9H', cohortId: 3, scene: 'i=Ab3dEf9H', page: 'pages/cohort/index', imageUrl: '/uploads/wxacode/fixtures/wxacode.png',
});

export const inviteCode = (cohortId = 3) => ({ code: 'Ab3dEf9H', cohortId, source: 'card', scene: 'i=Ab3dEf9H', path: `pages/cohort/index?id=${cohortId}&inv=Ab3dEf9H` });

export const certificate = (): Certificate => ({
  cohortId: 2, cohortTitle: '21天英语口语打卡·第2期', theme: '英语口语', nickname: people.member.nickname, avatarUrl: people.member.avatarUrl,
  durationDays: 21, daysCheckedIn: 21, longestStreak: 16, pointsEarned: 540, startDate: '2026-10-20', completedOn: '2026-11-09',
});

const friend = (id: number, nickname: string, avatar: string | null) => ({ id, nickname, avatarUrl: avatar ? photo(avatar) : null });

export const invitations = (): Invitations => ({
  summary: { invited: 6, joined: 4, checkedIn: 3, earnedPoints: 60 },
  items: [
    { id: 16, invitee: friend(31, '王晓雨', null), cohort: { id: 3, title: '21天英语口语打卡·第3期' }, source: 'poster', invitedAt: '2026-11-19T12:20:00.000Z', joined: false, checkedIn: false, rewardPoints: null },
    { id: 15, invitee: friend(30, 'Lily 刘', 'avatar-2.jpg'), cohort: { id: 3, title: '21天英语口语打卡·第3期' }, source: 'group', invitedAt: '2026-11-18T13:05:00.000Z', joined: true, checkedIn: false, rewardPoints: null },
    { id: 14, invitee: friend(29, '赵一鸣', null), cohort: { id: 3, title: '21天英语口语打卡·第3期' }, source: 'card', invitedAt: '2026-11-14T01:30:00.000Z', joined: true, checkedIn: true, rewardPoints: 20 },
    { id: 13, invitee: friend(28, '陈小北', 'avatar-3.jpg'), cohort: { id: 3, title: '21天英语口语打卡·第3期' }, source: 'poster', invitedAt: '2026-11-12T11:45:00.000Z', joined: true, checkedIn: true, rewardPoints: 20 },
    { id: 12, invitee: friend(27, '周周', null), cohort: { id: 2, title: '21天英语口语打卡·第2期' }, source: 'timeline', invitedAt: '2026-10-18T09:10:00.000Z', joined: true, checkedIn: true, rewardPoints: 20 },
    { id: 11, invitee: friend(26, '小林同学', null), cohort: { id: 2, title: '21天英语口语打卡·第2期' }, source: 'card', invitedAt: '2026-10-17T15:00:00.000Z', joined: false, checkedIn: false, rewardPoints: null },
  ],
  nextCursor: null,
});
