/**
 * The largest setData payload per page (JSON bytes of the object passed to setData), measured in
 * miniprogram-simulate with typical data: feeds and queues of 20 check-ins with 9 photos and a review
 * each, a 21-day calendar, 20 ledger lines, 10 cohorts. Run by `npm run bench -- miniprogram` through
 * test/bench/jest.setdata.config.js; writes its figures to $BENCH_SETDATA_OUT.
 *
 * Mini Program modules are loaded with require(), so the root tsconfig (which includes test/bench)
 * does not type-check Mini Program sources against Node's types.
 */
import fs from 'node:fs';

type Render = {
  renderPage(page: string): { instance: Record<string, unknown> };
  pageMethods<T>(page: unknown): T;
  settle(): Promise<void>;
};
/* eslint-disable @typescript-eslint/no-require-imports */
const { renderPage, pageMethods, settle } = require('../miniprogram/helpers/render') as Render;
const { TOKEN_KEY } = require('../../miniprogram/services/auth') as { TOKEN_KEY: string };
const { memberStore } = require('../../miniprogram/stores/member') as { memberStore: { login(): Promise<void>; logout(): void } };
const { storage } = require('../miniprogram/helpers/storage') as { storage: Map<string, unknown> };
const { config } = require('../../miniprogram/config') as { config: { apiBaseUrl: string } };
/* eslint-enable @typescript-eslint/no-require-imports */

interface Figure {
  page: string;
  scenario: string;
  calls: number;
  largestBytes: number;
  totalBytes: number;
  largestKeys: string[];
}

const figures: Figure[] = [];
let current: Figure | null = null;

/** Every component built from now on reports its setData payloads to `current`. */
const globals = globalThis as unknown as { Component: (definition: Record<string, unknown>) => unknown; wx: Record<string, unknown> };
const originalComponent = globals.Component;
globals.Component = (definition: Record<string, unknown>) => {
  const lifetimes = (definition.lifetimes ?? {}) as Record<string, (...args: unknown[]) => unknown>;
  const created = lifetimes.created ?? (definition.created as ((...args: unknown[]) => unknown) | undefined);
  return originalComponent({
    ...definition,
    lifetimes: {
      ...lifetimes,
      created(this: { setData: (data: Record<string, unknown>, cb?: () => void) => void }, ...args: unknown[]) {
        // Counted for the measurement during which this component was created (its page, its children).
        const owner = current;
        const setData = this.setData.bind(this);
        this.setData = (data, cb) => {
          if (current && current === owner) {
            const bytes = Buffer.byteLength(JSON.stringify(data));
            current.calls++;
            current.totalBytes += bytes;
            if (bytes > current.largestBytes) {
              current.largestBytes = bytes;
              current.largestKeys = Object.keys(data);
            }
          }
          setData(data, cb);
        };
        return created?.apply(this, args);
      },
    },
  });
};

// ---- typical data ----

const photos = (seed: number, n: number) => Array.from({ length: n }, (_, i) => `/uploads/img/2026/11/${(seed * 16 + i).toString(16).padStart(32, '0')}.jpg`);
const longText = '今天朗读了第三课的对话，跟读了三遍，最后一遍录了音。th 的发音还是不太稳，明天继续练。New words: itinerary, commute, rehearse.';
const review = (checkinId: number) => ({
  id: 9000 + checkinId, checkinId, teacher: { id: 42, nickname: '王老师' },
  text: '发音很清楚，语调自然。长句子可以再慢一点，注意连读。继续保持！', audioUrl: '/uploads/audio/2026/11/0123456789abcdef0123456789abcdef.mp3', audioSeconds: 42,
  createdAt: '2026-11-20T12:00:00.000Z', updatedAt: '2026-11-20T12:00:00.000Z',
});
const checkin = (id: number, withReview = true) => ({
  id, cohortId: 3, dayIndex: 3, date: '2026-11-20', text: longText, imageUrls: photos(id, 9), viaGroup: id % 3 === 0, isMakeUp: false,
  heldForReview: false, featured: id % 10 === 0, review: withReview ? review(id) : null, createdAt: '2026-11-20T01:30:00.000Z',
  author: { id: 1000 + id, nickname: `学员${id}`, avatarUrl: `https://thirdwx.qlogo.cn/mmopen/vi_32/${'a'.repeat(100)}/132` },
});
const points = { basePoints: 10, groupBonusPoints: 10, streakBonusPoints: 30, completionBonusPoints: 50, makeUpCost: 20, makeUpLimit: 2 };
const cohort = (id: number) => ({
  id, title: `21天英语口语 第${id}期`, theme: '英语口语', durationDays: 21, startDate: '2026-11-18', endDate: '2026-12-08', status: 'running', dayIndex: 3,
  coverImageUrl: photos(id, 1)[0], rules: '每天一段朗读，配一张照片。连续 7 天额外奖励 30 积分。'.repeat(3), welcomeMessage: '欢迎加入！', announcement: '本周六晚 8 点直播答疑',
  groupBound: true, teacherIds: [42], points, memberCount: 180, enrolled: id === 3, todayPrompt: '介绍你的早餐',
  prompts: Array.from({ length: 21 }, (_, i) => ({ dayIndex: i + 1, text: `第${i + 1}天：朗读并复述课文第 ${i + 1} 段` })), clonedFromId: null,
});
const progress = {
  cohortId: 3, status: 'running', dayIndex: 21,
  days: Array.from({ length: 21 }, (_, i) => ({
    dayIndex: i + 1, date: `2026-11-${String(18 + i).padStart(2, '0')}`, state: i === 20 ? 'today' : i % 7 === 3 ? 'missed' : 'done',
    prompt: `第${i + 1}天：朗读并复述课文第 ${i + 1} 段`, checkinId: i % 7 === 3 || i === 20 ? null : 100 + i, review: i % 7 === 3 || i === 20 ? null : review(100 + i),
  })),
  streak: { current: 3, longest: 6, total: 17 }, makeUpsUsed: 0, makeUpsLeft: 2, makeUpCost: 20, balance: 350,
};
const ledger = (before: number | null) => {
  const start = before ?? 100;
  return {
    balance: 350,
    entries: Array.from({ length: 20 }, (_, i) => ({ id: start - 1 - i, delta: i % 5 === 4 ? -20 : 10, reason: i % 5 === 4 ? 'make_up_fee' : 'checkin', refType: 'checkin', refId: 500 + i, note: null, createdAt: '2026-11-20T01:30:00.000Z' })),
    nextCursor: String(start - 20),
  };
};
const member = { id: 42, nickname: '王老师', avatarUrl: null, roles: ['member', 'teacher', 'operator'] };

/** Answers by path pattern (any query string): `[method, regex, body]`. Unknown requests get 404. */
const routes: Array<[string, RegExp, (path: string) => unknown]> = [
  ['POST', /^\/auth\/wechat-login$/, () => ({ token: 'token-1', member })],
  ['GET', /^\/me$/, () => member],
  ['GET', /^\/me\/points/, (path) => ledger(Number(/before=(\d+)/.exec(path)?.[1]) || null)],
  ['GET', /^\/me\/cohorts\/\d+\/progress/, () => progress],
  ['GET', /^\/me\/subscriptions/, () => ({ items: [] })],
  ['GET', /^\/me\/offers/, () => ({ items: [] })],
  ['GET', /^\/cohorts$/, () => ({ items: Array.from({ length: 10 }, (_, i) => cohort(i + 1)) })],
  ['GET', /^\/cohorts\/\d+\/checkins/, (path) => {
    const before = Number(/before=(\d+)/.exec(path)?.[1]) || 1000;
    return { items: Array.from({ length: 20 }, (_, i) => checkin(before - 1 - i)), nextCursor: String(before - 20) };
  }],
  ['GET', /^\/cohorts\/\d+$/, (path) => cohort(Number(/\d+/.exec(path)![0]))],
  ['GET', /^\/teacher\/review-queue/, (path) => {
    const after = Number(/after=(\d+)/.exec(path)?.[1]) || 100;
    return {
      items: Array.from({ length: 20 }, (_, i) => ({ ...checkin(after + 1 + i, false), cohortTitle: '21天英语口语 第3期' })),
      nextCursor: String(after + 20), counts: { pendingToday: 120, pendingTotal: 480, doneToday: 35 },
    };
  }],
  ['GET', /^\/teacher\/templates/, () => ({ items: Array.from({ length: 10 }, (_, i) => ({ id: i + 1, text: `快捷点评 ${i + 1}：发音很清楚，继续保持！` })) })],
  ['GET', /^\/checkins\/\d+$/, (path) => checkin(Number(/\d+/.exec(path)![0]), false)],
];

function installServer() {
  globals.wx.request = (options: { url: string; method?: string; success?: (res: unknown) => void }) => {
    const path = options.url.slice(config.apiBaseUrl.length);
    const method = options.method ?? 'GET';
    const route = routes.find(([m, pattern]) => m === method && pattern.test(path.split('?')[0]) );
    const reply = route ? { statusCode: 200, data: route[2](path) } : { statusCode: 404, data: { error: { code: 'NOT_FOUND', message: `${method} ${path}` } } };
    void Promise.resolve().then(() => options.success?.({ ...reply, header: {}, cookies: [] }));
    return { abort: () => undefined };
  };
}

type Lifecycle = { onLoad?(query?: Record<string, string>): unknown; onShow?(): unknown; onReachBottom?(): unknown };

async function measure(page: string, scenario: string, drive: (methods: Lifecycle) => Promise<void>) {
  current = { page, scenario, calls: 0, largestBytes: 0, totalBytes: 0, largestKeys: [] };
  try {
    const rendered = renderPage(page);
    await drive(pageMethods<Lifecycle>(rendered));
    await settle();
  } finally {
    figures.push(current);
    current = null;
  }
}

beforeEach(async () => {
  storage.set(TOKEN_KEY, 'token-1');
  installServer();
  await memberStore.login();
});

afterEach(() => memberStore.logout());

afterAll(() => {
  if (process.env.BENCH_SETDATA_OUT) fs.writeFileSync(process.env.BENCH_SETDATA_OUT, JSON.stringify(figures, null, 2));
});

const load = (query?: Record<string, string>) => async (m: Lifecycle) => {
  await m.onLoad?.(query);
  await m.onShow?.();
  await settle();
};
const loadThenScroll = (query: Record<string, string> | undefined, pages: number) => async (m: Lifecycle) => {
  await load(query)(m);
  for (let i = 0; i < pages; i++) {
    await m.onReachBottom?.();
    await settle();
  }
};

// First: rendered after the other pages, this page's WXML fails in miniprogram-simulate (a shared
// component's template state); on its own it renders.
test('cohort: one cohort with 21 prompts', () => measure('pages/cohort/index', '1 cohort, 21 prompts', load({ id: '3' })));
test('feed: 20 check-ins with 9 photos and a review, then 2 more pages', () =>
  measure('pages/cohort/feed', '3 pages x 20 items, 9 photos each', loadThenScroll({ id: '3' }, 2)));
test('review queue: 20 check-ins with 9 photos, then 2 more pages', () =>
  measure('packageTeacher/pages/queue/index', '3 pages x 20 items, 9 photos each', loadThenScroll(undefined, 2)));
test('progress: a 21-day calendar with reviews', () => measure('pages/cohort/progress', '21 days, 17 reviewed', load({ id: '3' })));
test('points: 3 pages of 20 ledger lines', () => measure('pages/points/index', '3 pages x 20 lines', loadThenScroll(undefined, 2)));
test('home: 10 cohorts', () => measure('home', '10 cohorts', load()));
test('check-in form', () => measure('pages/cohort/checkin', 'empty form', load({ id: '3' })));
test('review composer', () => measure('packageTeacher/pages/review/index', '1 check-in, 9 photos', load({ checkinId: '101' })));
test('templates', () => measure('packageTeacher/pages/templates/index', '10 quick replies', load()));
test('me', () => measure('me', 'operator with roles', load()));
test('mall', () => measure('mall', 'tab page', load()));
