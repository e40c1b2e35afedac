import { TOKEN_KEY } from '../../miniprogram/services/auth';
import type { CohortMetrics, ConversionSummary } from '../../miniprogram/services/api-types';
import { cohortsStore } from '../../miniprogram/stores/cohorts';
import { memberStore } from '../../miniprogram/stores/member';
import { conversionStore } from '../../miniprogram/packageOperator/stores/conversion';
import { apiError, fakeServer, fakeUploads, ok } from './helpers/fake-server';
import { cohort } from './helpers/fixtures';
import { find, pageMethods, renderPage, settle, settleAnimations, tap, tapDialogButton, textOf, toastText, typeInto, visibleText, type RenderedPage } from './helpers/render';
import { storage } from './helpers/storage';

const operator = { id: 1, nickname: '运营小李', avatarUrl: null, roles: ['member', 'operator'] };

interface Lifecycle {
  onLoad(query?: Record<string, string>): void;
  onShow(): Promise<void> | void;
}

beforeEach(async () => {
  storage.set(TOKEN_KEY, 'token-op');
  fakeServer({ 'POST /auth/wechat-login': () => ok({ token: 'token-op', member: operator }) });
  await memberStore.login();
  conversionStore.overview = {};
  conversionStore.summaries = {};
});

afterEach(() => memberStore.logout());

const converting = cohort({ id: 3, status: 'converting', dayIndex: null, title: '21天英语口语', memberCount: 12 });
const nextCohort = cohort({ id: 9, status: 'recruiting', dayIndex: null, title: '21天英语口语·第二期', startDate: '2026-12-01', endDate: '2026-12-21', durationDays: 21 });
const running = cohort({ id: 4, status: 'running', title: '7天绘画' });
const old = cohort({ id: 2, status: 'disbanded', dayIndex: null, title: '上一期' });

const summary = (overrides: Partial<ConversionSummary> = {}): ConversionSummary => ({
  cohortId: 3,
  status: 'converting',
  disbandReady: true,
  disbandReadyReason: 'Round 2 ended with no new payer',
  disbandReadyCode: 'ROUND_WITHOUT_NEW_PAYER',
  disbandReadyRound: 2,
  rounds: [
    {
      round: 1, opensAt: '2026-11-24T16:00:00.000Z', closesAt: '2026-11-26T16:00:00.000Z',
      offer: { id: 11, cohortId: 3, round: 1, title: '进阶口语', description: null, priceFen: 9900, originalPriceFen: 19900, opensAt: '', closesAt: '', audience: 'all' },
      views: 10, paidOrders: 3, newPayers: 3, revenueFen: 29700,
    },
    { round: 2, opensAt: '2026-11-26T16:00:00.000Z', closesAt: '2026-11-28T16:00:00.000Z', offer: null, views: 0, paidOrders: 0, newPayers: 0, revenueFen: 0 },
  ],
  ...overrides,
});

// ----- list -----

test('the operator list shows each cohort with its status, funnel and a 可解散 badge', async () => {
  const server = fakeServer({
    'GET /cohorts': () => ok({ items: [nextCohort, converting, old] }),
    'GET /metrics/overview': () =>
      ok({ items: [{ cohortId: 3, title: '21天英语口语', startDate: '2026-11-18', status: 'converting', enrolled: 12, completionRate: 0.5, conversionRate: 0.25, revenueFen: 29700 }] }),
    'GET /cohorts/3/conversion': () => ok(summary()),
  });
  const page = renderPage('packageOperator/pages/cohorts/index');
  await pageMethods<{ refresh(): Promise<void> }>(page).refresh();
  await settle();

  expect(server.requests.map((r) => r.path)).toEqual(['/cohorts', '/metrics/overview', '/cohorts/3/conversion']);
  expect(page.querySelectorAll('.row__title').map(visibleText)).toEqual(['21天英语口语·第二期', '21天英语口语', '上一期']);
  expect(page.querySelectorAll('.row__status').map(visibleText)).toEqual(['报名中', '已结束', '已解散']);
  expect(page.querySelectorAll('.ready-badge').map(visibleText)).toEqual(['可解散']);
  expect(textOf(page, '.row__funnel')).toBe('完成率 50% · 转化率 25% · 营收 ¥297');

  tap(page, '.create');
  await settle();
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/packageOperator/pages/create/index' });
  tap(page, '.roles-link');
  await settle();
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/packageOperator/pages/roles/index' });
});

// ----- create wizard -----

const teacherMembers = [
  { id: 42, nickname: '王老师', avatarUrl: null, roles: ['member', 'teacher'] },
  { id: 43, nickname: '李老师', avatarUrl: null, roles: ['member', 'teacher'] },
  { id: 44, nickname: '赵老师', avatarUrl: null, roles: ['member', 'teacher', 'operator'] },
];

test('the create wizard checks each step and posts the cohort with its teachers and reminder time', async () => {
  const created = cohort({ id: 21, status: 'recruiting', title: '14天晨读', theme: '晨读', durationDays: 14, teacherIds: [44, 42], reminderTime: '07:30' });
  const server = fakeServer({
    'GET /admin/members?role=teacher&limit=50': () => ok({ items: teacherMembers, nextCursor: null }),
    'POST /cohorts': () => ({ status: 201, body: created }),
  });
  const page = renderPage('packageOperator/pages/create/index');
  await settle();

  // The teachers to pick from, none picked yet; reminders default to 08:00.
  expect(page.querySelectorAll('.teacher').map(visibleText)).toEqual(['王老师', '李老师', '赵老师']);
  expect(page.querySelectorAll('.teacher--selected')).toHaveLength(0);
  expect(textOf(page, '.reminder-time')).toBe('每天 08:00');

  tap(page, '.next');
  await settleAnimations();
  expect(toastText(page)).toBe('请填写打卡期名称');

  typeInto(page, '.title-field', ' 14天晨读 ');
  typeInto(page, '.theme-field', '晨读');
  page.querySelectorAll('.duration')[1].dispatchEvent('tap');
  find(page, '.start-picker').dispatchEvent('change', { detail: { value: '2030-03-01' } });
  await settle();
  expect(textOf(page, '.start-date')).toBe('3月1日（2030-03-01）');
  // Pick 赵老师 and 王老师, pick 李老师 and drop him again; remind at 07:30.
  page.querySelectorAll('.teacher')[2].dispatchEvent('tap');
  page.querySelectorAll('.teacher')[1].dispatchEvent('tap');
  page.querySelectorAll('.teacher')[0].dispatchEvent('tap');
  await settle();
  page.querySelectorAll('.teacher')[1].dispatchEvent('tap');
  find(page, '.reminder-picker').dispatchEvent('change', { detail: { value: '07:30' } });
  await settle();
  expect(page.querySelectorAll('.teacher--selected').map(visibleText)).toEqual(['✓ 王老师', '✓ 赵老师']);
  expect(textOf(page, '.reminder-time')).toBe('每天 07:30');
  tap(page, '.next');
  await settle();

  // Step 2: one field per day; a gap before a filled day is refused.
  expect(page.querySelectorAll('.prompt-field')).toHaveLength(14);
  const fields = page.querySelectorAll('.prompt-field');
  fields[0].dispatchEvent('input', { detail: { value: '早起读一页' } });
  fields[2].dispatchEvent('input', { detail: { value: '分享一句话' } });
  await settle();
  tap(page, '.next');
  await settleAnimations();
  expect(toastText(page)).toBe('请填写第2天的主题，或清空它之后的主题');
  page.querySelectorAll('.prompt-field')[1].dispatchEvent('input', { detail: { value: '读一首诗' } });
  await settle();
  tap(page, '.next');
  await settle();

  typeInto(page, '.rules-field', '每天早上 8 点前打卡');
  typeInto(page, '.welcome-field', '欢迎一起晨读！');
  await settle();
  expect(visibleText(page)).toContain('3月1日开始 · 共14天 · 每天07:30提醒');
  expect(textOf(page, '.summary-teachers')).toBe('点评老师 2 位');
  tap(page, '.create');
  await settleAnimations();

  expect(server.requests.filter((r) => r.method === 'POST')).toEqual([
    {
      method: 'POST',
      path: '/cohorts',
      authorization: 'Bearer token-op',
      body: {
        title: '14天晨读',
        theme: '晨读',
        durationDays: 14,
        startDate: '2030-03-01',
        reminderTime: '07:30',
        teacherIds: [44, 42],
        prompts: ['早起读一页', '读一首诗', '分享一句话'],
        rules: '每天早上 8 点前打卡',
        welcomeMessage: '欢迎一起晨读！',
      },
    },
  ]);
  expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/packageOperator/pages/cohort/index?id=21' });
  expect(cohortsStore.byId(21)?.title).toBe('14天晨读');
});

// ----- one cohort: offers and disbanding -----

async function openCohort(): Promise<RenderedPage> {
  const page = renderPage('packageOperator/pages/cohort/index');
  pageMethods<Lifecycle>(page).onLoad({ id: '3' });
  await pageMethods<Lifecycle>(page).onShow();
  await settle();
  return page;
}

test('the cohort page shows the rounds, publishes a missing round and explains readiness in Chinese', async () => {
  fakeServer({
    'GET /cohorts/3': () => ok(converting),
    'GET /cohorts/3/conversion': () => ok(summary()),
  });
  const page = await openCohort();

  expect(page.querySelectorAll('.round__name').map(visibleText)).toEqual(['第一轮', '第二轮']);
  expect(textOf(page, '.round__offer')).toBe('进阶口语 · ¥99');
  expect(page.querySelectorAll('.round__stats').map(visibleText)[0]).toBe('浏览 10 · 付费 3 · 新增付费 3 · 营收 ¥297');
  expect(textOf(page, '.readiness')).toBe('第二轮结束时没有新增付费学员，可以解散了');
  expect(textOf(page, '.ready-badge')).toBe('可解散');

  tap(page, '.publish');
  await settle();
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/packageOperator/pages/offer/index?cohortId=3&round=2' });

  // Editing and the announcement have their screens.
  expect(textOf(page, '.announcement')).toContain('还没有公告');
  find(page, '.edit-announcement').dispatchEvent('tap');
  await settle();
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/packageOperator/pages/edit/index?id=3&only=announcement' });
  tap(page, '.go-edit');
  await settle();
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/packageOperator/pages/edit/index?id=3' });
});

test('after the last round closed, the cohort page says all three rounds are over', async () => {
  fakeServer({
    'GET /cohorts/3': () => ok(converting),
    'GET /cohorts/3/conversion': () =>
      ok(summary({ disbandReadyReason: 'round 3 has closed', disbandReadyCode: 'LAST_ROUND_CLOSED', disbandReadyRound: 3 })),
  });
  const page = await openCohort();
  expect(textOf(page, '.readiness')).toBe('三轮优惠都已结束，可以解散了');
});

test('publishing an offer sends the price in fen', async () => {
  const server = fakeServer({ 'POST /cohorts/3/offers': ({ body }) => ({ status: 201, body: { id: 12, cohortId: 3, ...(body as object) } }) });
  const page = renderPage('packageOperator/pages/offer/index');
  pageMethods<Lifecycle>(page).onLoad({ cohortId: '3', round: '2' });
  typeInto(page, '.offer-title', '进阶口语·限时');
  typeInto(page, '.offer-price', '99.9');
  typeInto(page, '.offer-original', '199');
  page.querySelectorAll('.audience')[1].dispatchEvent('tap');
  await settle();
  tap(page, '.submit-offer');
  await settleAnimations();

  expect(server.requests).toEqual([
    {
      method: 'POST',
      path: '/cohorts/3/offers',
      authorization: 'Bearer token-op',
      body: { round: 2, title: '进阶口语·限时', priceFen: 9990, originalPriceFen: 19900, audience: 'finishers' },
    },
  ]);
  expect(toastText(page)).toBe('第二轮优惠已发布');
  expect(wx.navigateBack).toHaveBeenCalled();
});

test('disbanding: pick the next cohort, read why the WeChat group is dissolved by hand, confirm, see the counts', async () => {
  cohortsStore.items = [nextCohort, running, converting, old];
  cohortsStore.status = 'ready';
  const server = fakeServer({
    'GET /cohorts/3': () => ok(converting),
    'GET /cohorts/3/conversion': () => ok(summary()),
    'POST /cohorts/3/disband': () =>
      ok({ cohort: { ...converting, status: 'disbanded', disbandedAt: '2026-11-29T02:00:00.000Z', nextCohortId: 9 }, members: 12, converted: 3, invited: 9 }),
  });
  const page = await openCohort();

  tap(page, '.disband');
  await settleAnimations();
  const sheet = find(page, '.next-sheet');
  expect(sheet.querySelectorAll('.van-action-sheet__item').map(visibleText)).toEqual([
    '21天英语口语·第二期 报名中 · 12月1日开始 · 共21天',
    '7天绘画 进行中 · 第3天 / 共7天',
    '不邀请，直接解散',
  ]);

  find(sheet, '.next-cohort').dispatchEvent('tap');
  await settleAnimations();
  const dialog = visibleText(find(page, '.disband-dialog'));
  expect(dialog).toContain('微信没有解散群聊的接口');
  expect(dialog).toContain('请群主在微信里解散「21天英语口语」的打卡群');
  expect(dialog).toContain('学员会收到加入「21天英语口语·第二期」的邀请');

  tapDialogButton(page, '.disband-dialog', 'confirm');
  await settleAnimations();

  expect(server.requests.at(-1)).toMatchObject({ method: 'POST', path: '/cohorts/3/disband', body: { nextCohortId: 9 } });
  expect(textOf(page, '.result-line')).toBe('成员 12 人 · 已转化 3 人 · 已邀请 9 人');
  expect(textOf(page, '.disband-result')).toContain('已邀请学员加入「21天英语口语·第二期」');
  expect(textOf(page, '.head__status')).toBe('已解散');
  expect(page.querySelector('.disband')).toBeUndefined();
  expect(cohortsStore.byId(3)?.status).toBe('disbanded');
});

test('disbanding without a next cohort sends no nextCohortId; a refusal shows the Chinese message', async () => {
  cohortsStore.items = [converting];
  cohortsStore.status = 'ready';
  const server = fakeServer({
    'GET /cohorts/3': () => ok(converting),
    'GET /cohorts/3/conversion': () => ok(summary({ disbandReady: false, disbandReadyReason: null, disbandReadyCode: null, disbandReadyRound: null })),
    'POST /cohorts/3/disband': () => apiError(409, 'COHORT_NOT_FINISHED', 'The cohort has not finished yet.'),
  });
  const page = await openCohort();
  expect(page.querySelector('.ready-badge')).toBeUndefined();

  tap(page, '.disband');
  await settleAnimations();
  find(find(page, '.next-sheet'), '.no-next-cohort').dispatchEvent('tap');
  await settleAnimations();
  expect(visibleText(find(page, '.disband-dialog'))).toContain('转化轮次还没有结束');
  tapDialogButton(page, '.disband-dialog', 'confirm');
  await settleAnimations();

  expect(server.requests.at(-1)).toMatchObject({ path: '/cohorts/3/disband', body: {} });
  expect(toastText(page)).toBe('本期还没有结束，暂不能解散');
  expect(page.querySelector('.disband-result')).toBeUndefined();
});

// ----- metrics -----

const metrics: CohortMetrics = {
  cohortId: 3, title: '21天英语口语', status: 'converting', durationDays: 3,
  enrolled: 12, active: 10, quits: 2, quitRate: 0.1667, groupVerifiedMembers: 6,
  checkinRateByDay: [
    { day: 1, checkins: 12, rate: 1 },
    { day: 2, checkins: 6, rate: 0.5 },
    { day: 3, checkins: 3, rate: 0.25 },
  ],
  completed: 3, completionRate: 0.25,
  streakDistribution: [
    { longestStreak: '0', members: 2 },
    { longestStreak: '1-2', members: 8 },
    { longestStreak: '3-6', members: 4 },
  ],
  checkins: 21, reviewCoverage: 0.9, medianReviewLatencySeconds: 5400,
  rounds: [{ round: 1, offerViews: 10, orders: 3, newPayers: 3, conversionRate: 0.25, revenueFen: 29700 }],
  payers: 3, conversionRate: 0.25, orders: 3, revenueFen: 29700, averageOrderValueFen: 9900, disbandReady: true,
  entry: {
    sources: [
      { source: 'poster', opens: 20, visitors: 10, joins: 5, firstCheckins: 4 },
      { source: 'card', opens: 8, visitors: 6, joins: 2, firstCheckins: 1 },
      { source: 'timeline', opens: 3, visitors: 0, joins: 0, firstCheckins: 0 },
      { source: 'group', opens: 0, visitors: 0, joins: 0, firstCheckins: 0 },
    ],
    total: { source: 'all', opens: 31, visitors: 15, joins: 7, firstCheckins: 5 },
    entryRate: 0.3333,
  },
  topInviters: [{ member: { id: 7, nickname: '小明', avatarUrl: null }, invited: 4, joined: 3, checkedIn: 2, rewardPoints: 40 }],
  reviewers: [{ teacher: { id: 5, nickname: '周老师' }, reviews: 19, coverage: 0.9, averageLatencySeconds: 5400 }],
  interaction: { likes: 30, comments: 8, members: 7, rate: 0.5833 },
  costs: { prizesFen: 5000, adsFen: 10000, teacherHoursFen: 6000, total: 21000 },
  roi: 1.4143,
  retention: { nextCohortId: null, carried: 0, rate: null },
};

interface DrawCall {
  op: string;
  args: unknown[];
}

/** Canvas 2D nodes for `wx.createSelectorQuery().select('#id').fields({node, size})`, recording what is drawn. */
function stubCanvases(size = { width: 320, height: 160 }) {
  const drawn: Record<string, DrawCall[]> = {};
  const canvases: Record<string, { width: number; height: number }> = {};
  const makeCanvas = (selector: string) => {
    const calls: DrawCall[] = (drawn[selector] = []);
    const ctx = new Proxy({} as Record<string, unknown>, {
      get: (target, prop: string) => (prop in target ? target[prop] : (...args: unknown[]) => void calls.push({ op: prop, args })),
      set: (target, prop: string, value) => {
        target[prop] = value;
        return true;
      },
    });
    const canvas = { width: 0, height: 0, getContext: (type: string) => (type === '2d' ? ctx : null) };
    canvases[selector] = canvas;
    return canvas;
  };
  const createSelectorQuery = jest.fn(() => {
    const selected: string[] = [];
    const query = {
      in: () => query,
      select: (selector: string) => {
        selected.push(selector);
        return query;
      },
      fields: () => query,
      exec: (callback: (res: unknown[]) => void) => callback(selected.map((s) => ({ node: makeCanvas(s), ...size }))),
    };
    return query;
  });
  Object.assign(wx, { createSelectorQuery, getWindowInfo: () => ({ pixelRatio: 2 }) });
  return { drawn, canvases };
}

const bars = (calls: DrawCall[]) => calls.filter((c) => c.op === 'fillRect').slice(1).map((c) => c.args);

test('the metrics page shows the numbers and draws the daily rate and streak bars on 2D canvases', async () => {
  const { drawn, canvases } = stubCanvases();
  const server = fakeServer({ 'GET /cohorts/3/metrics': () => ok(metrics) });
  const page = renderPage('packageOperator/pages/metrics/index');
  pageMethods<Lifecycle>(page).onLoad({ id: '3' });
  await settle();

  expect(server.requests.map((r) => r.path)).toEqual(['/cohorts/3/metrics']);
  expect(textOf(page, '.tile--enrolled')).toBe('12报名');
  expect(textOf(page, '.tile--completion')).toBe('25%完成率');
  expect(textOf(page, '.tile--latency')).toBe('1.5小时点评用时(中位)');
  expect(textOf(page, '.tile--revenue')).toBe('¥297营收');
  expect(page.querySelectorAll('.rate-row').map(visibleText)).toEqual(['第1天100%12人', '第2天50%6人', '第3天25%3人']);
  expect(page.querySelectorAll('.streak-row').map(visibleText)).toEqual(['0天2人', '1-2天8人', '3-6天4人']);
  expect(textOf(page, '.round-row')).toBe('第一轮浏览 10 · 订单 3 · 新增付费 3 · 转化 25% · ¥297');
  // The entry funnel per source (opens -> visitors -> joined -> first check-in) and who invited most.
  expect(textOf(page, '.entry .block__title')).toBe('入口漏斗 · 新人打卡率 33%');
  expect(page.querySelectorAll('.entry-row').map(visibleText)).toEqual([
    '海报扫码201054', '好友卡片8621', '朋友圈3000', '群聊卡片0000', '合计311575',
  ]);
  expect(textOf(page, '.inviter-row')).toBe('1小明邀请 4 · 加入 3 · 打卡 2+40');

  // Sized for the pixel ratio; the plot area is 300 × 120 (padding 10/20): three slots of 100, bars 60 wide.
  expect(canvases['#rate-chart']).toMatchObject({ width: 640, height: 320 });
  expect(bars(drawn['#rate-chart'])).toEqual([
    [30, 20, 60, 120],
    [130, 80, 60, 60],
    [230, 110, 60, 30],
  ]);
  expect(drawn['#rate-chart'].filter((c) => c.op === 'fillText').map((c) => c.args[0])).toEqual(['100%', '1', '50%', '2', '25%', '3']);
  // Streaks: the tallest bar is the largest group (8 members).
  expect(bars(drawn['#streak-chart'])).toEqual([
    [30, 110, 60, 30],
    [130, 20, 60, 120],
    [230, 80, 60, 60],
  ]);
});

// ----- the group QR -----

test('the operator uploads the group QR; its upload time, when WeChat expires it, and a warning before that', async () => {
  const qr = (state: 'fresh' | 'expiring') => ({ url: '/uploads/img/2026/11/qr.png', uploadedAt: '2026-11-14T01:00:00.000Z', expiresAt: '2026-11-21T01:00:00.000Z', state });
  let attached: ReturnType<typeof qr> | null = null;
  const server = fakeServer({
    'GET /cohorts/3': () => ok(cohort({ id: 3, groupQr: attached })),
    'PUT /cohorts/3/group-qr': () => {
      attached = qr('fresh');
      return ok(cohort({ id: 3, groupQr: attached }));
    },
  });
  const uploads = fakeUploads({ 'POST /uploads/images': () => ok({ key: 'img/2026/11/qr.png', url: '/uploads/img/2026/11/qr.png', contentType: 'image/png', bytes: 2000 }) });
  Object.assign(wx, {
    chooseMedia: jest.fn((o: WechatMiniprogram.ChooseMediaOption) =>
      o.success?.({ tempFiles: [{ tempFilePath: 'wxfile://qr.png', size: 2000, duration: 0, height: 400, width: 400, thumbTempFilePath: '', fileType: 'image' }], type: 'image', errMsg: 'chooseMedia:ok' } as never),
    ),
  });
  const page = await openCohort();
  expect(textOf(page, '.group-qr')).toContain('还没有群二维码');
  expect(textOf(page, '.upload-qr')).toBe('上传群二维码');

  tap(page, '.upload-qr');
  await settleAnimations();
  expect(uploads.uploads.map((u) => u.filePath)).toEqual(['wxfile://qr.png']);
  expect(server.requests.at(-1)).toMatchObject({ method: 'PUT', path: '/cohorts/3/group-qr', body: { imageUrl: '/uploads/img/2026/11/qr.png' } });
  expect(textOf(page, '.group-qr__state')).toBe('有效');
  expect(textOf(page, '.group-qr__dates')).toBe('上传于 11月14日 09:00约 11月21日 09:00 过期');
  expect(toastText(page)).toBe('群二维码已更新，学员在打卡期页面长按即可入群');
  expect(textOf(page, '.upload-qr')).toBe('更换二维码');

  attached = qr('expiring');
  await pageMethods<Lifecycle>(page).onShow();
  await settle();
  expect(textOf(page, '.group-qr__state')).toBe('明天过期');
  expect(textOf(page, '.group-qr__note')).toContain('二维码明天就会过期');
});

// ----- members and roles -----

const members = [
  { id: 1, nickname: '运营小李', avatarUrl: null, roles: ['member', 'operator'] },
  { id: 42, nickname: '王老师', avatarUrl: null, roles: ['member', 'teacher'] },
  { id: 7, nickname: '小明', avatarUrl: null, roles: ['member'] },
];

async function openRoles(): Promise<RenderedPage> {
  const page = renderPage('packageOperator/pages/roles/index');
  await settle();
  return page;
}

test('the roles screen searches members, shows their roles as tags and saves toggled roles', async () => {
  const server = fakeServer({
    'GET /admin/members?limit=20': () => ok({ items: members, nextCursor: null }),
    'GET /admin/members?q=%E5%B0%8F%E6%98%8E&limit=20': () => ok({ items: [members[2]], nextCursor: null }),
    'POST /admin/members/7/roles': () => ok({ ...members[2], roles: ['member', 'teacher', 'operator'] }),
  });
  const page = await openRoles();

  expect(page.querySelectorAll('.member__name').map(visibleText)).toEqual(['运营小李（我）', '王老师', '小明']);
  // Each row's roles as tags (adjacent tags read without a space).
  expect(page.querySelectorAll('.member__tag').map(visibleText)).toEqual(['会员', '运营', '会员', '老师', '会员']);
  expect(page.querySelectorAll('.member__roles').map(visibleText)).toEqual(['会员运营', '会员老师', '会员']);

  typeInto(page, '.query-field', ' 小明 ');
  tap(page, '.search-button');
  await settle();
  expect(server.requests.at(-1)?.path).toBe('/admin/members?q=%E5%B0%8F%E6%98%8E&limit=20');
  expect(page.querySelectorAll('.member__name').map(visibleText)).toEqual(['小明']);

  // Nothing changed yet: saving is off. Toggle 运营 then 老师.
  expect(find(page, '.save-roles').querySelector('.van-button--disabled')).toBeTruthy();
  tap(page, '.toggle--operator');
  await settle();
  tap(page, '.toggle--teacher');
  await settle();
  expect(page.querySelectorAll('.toggle--on').map(visibleText)).toEqual(['✓ 老师', '✓ 运营']);
  tap(page, '.save-roles');
  await settleAnimations();

  expect(server.requests.at(-1)).toEqual({
    method: 'POST',
    path: '/admin/members/7/roles',
    authorization: 'Bearer token-op',
    body: { roles: ['teacher', 'operator'] },
  });
  expect(page.querySelectorAll('.member__tag').map(visibleText)).toEqual(['会员', '老师', '运营']);
  expect(toastText(page)).toBe('已保存小明的身份');
});

test('an operator cannot drop their own operator role: the refusal is shown in Chinese and the toggle goes back', async () => {
  const server = fakeServer({
    'GET /admin/members?limit=20': () => ok({ items: members, nextCursor: null }),
    'POST /admin/members/1/roles': () => apiError(409, 'CANNOT_REMOVE_OWN_OPERATOR_ROLE', 'An operator cannot remove their own operator role'),
  });
  const page = await openRoles();

  // The first row is me (运营小李, an operator).
  expect(textOf(page, '.member__name')).toBe('运营小李（我）');
  page.querySelectorAll('.toggle--operator')[0].dispatchEvent('tap');
  await settle();
  expect(page.querySelectorAll('.toggle--on').map(visibleText)).toEqual(['✓ 老师']);
  page.querySelectorAll('.save-roles')[0].querySelector('.van-button')!.dispatchEvent('tap');
  await settleAnimations();

  expect(server.requests.at(-1)).toMatchObject({ method: 'POST', path: '/admin/members/1/roles', body: { roles: [] } });
  expect(toastText(page)).toBe('不能取消自己的运营身份');
  // Back to the roles the server holds.
  expect(page.querySelectorAll('.toggle--on').map(visibleText)).toEqual(['✓ 运营', '✓ 老师']);
  expect(page.querySelectorAll('.member__tag').map(visibleText).slice(0, 2)).toEqual(['会员', '运营']);
  expect(memberStore.member?.roles).toEqual(['member', 'operator']);
});
