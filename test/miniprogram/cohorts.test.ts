import { TOKEN_KEY } from '../../miniprogram/services/auth';
import { cohortsStore } from '../../miniprogram/stores/cohorts';
import { groupProofStore } from '../../miniprogram/stores/group-proof';
import { memberStore } from '../../miniprogram/stores/member';
import { apiError, fakeServer, ok } from './helpers/fake-server';
import { cohort, teacherWang, xiaoming } from './helpers/fixtures';
import { find, pageMethods, renderPage, settle, settleAnimations, tap, tapDialogButton, textOf, toastText, visibleText, type RenderedPage } from './helpers/render';
import { boxes, inChromium, lowContrastText } from './helpers/browser';
import { storage } from './helpers/storage';

const bearer = 'Bearer token-1';

interface DetailPage {
  onLoad(query: Record<string, string>): void;
  onShow(): void;
  onShareAppMessage(): { title: string; path: string };
  onShareTimeline(): { title: string; query: string };
}

async function openDetail(id: number): Promise<RenderedPage> {
  const page = renderPage('pages/cohort/index');
  pageMethods<DetailPage>(page).onLoad({ id: String(id) });
  pageMethods<DetailPage>(page).onShow();
  await settle();
  return page;
}

afterEach(() => memberStore.logout());

test('Home lists my cohorts first, then the ones I can join, each with its status and day', async () => {
  const server = fakeServer({
    'POST /auth/wechat-login': () => ok({ token: 'token-1', member: xiaoming }),
    'GET /cohorts': () =>
      ok({
        items: [
          cohort({ id: 5, title: '14天绘画', theme: '绘画', status: 'recruiting', dayIndex: null, startDate: '2026-12-01', durationDays: 14 }),
          cohort({ id: 3, title: '21天英语口语', enrolled: true }),
          cohort({ id: 2, title: '上期口语', status: 'converting', dayIndex: null, enrolled: false }),
        ],
      }),
  });
  const page = renderPage('home');

  await memberStore.login();
  await settle();

  const mine = page.querySelectorAll('.mine').map(visibleText);
  const open = page.querySelectorAll('.open').map(visibleText);
  expect(mine).toEqual(['21天英语口语进行中英语口语 · 第3天 / 共7天12人已加入去打卡']);
  expect(open).toEqual(['14天绘画报名中绘画 · 12月1日开始 · 共14天12人已加入']);
  // An ended cohort I never joined is not offered.
  expect(visibleText(page)).not.toContain('上期口语');
  expect(visibleText(page).indexOf('我的打卡')).toBeLessThan(visibleText(page).indexOf('可以加入'));
  expect(server.requests.map(({ method, path, authorization }) => [method, path, authorization])).toEqual([
    ['POST', '/auth/wechat-login', undefined],
    ['GET', '/cohorts', bearer],
  ]);

  find(page, '.open').dispatchEvent('tap');
  await settle();
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/cohort/index?id=5' });
});

test('a failed cohort list shows the server message and loads again on retry', async () => {
  let up = false;
  fakeServer({
    'POST /auth/wechat-login': () => ok({ token: 'token-1', member: xiaoming }),
    'GET /cohorts': () => (up ? ok({ items: [cohort()] }) : apiError(500, 'INTERNAL', '服务器开小差了')),
  });
  const page = renderPage('home');
  await memberStore.login();
  await settle();
  expect(textOf(page, '.list-error')).toBe('服务器开小差了 重新加载');

  up = true;
  tap(page, '.reload');
  await settle();
  expect(textOf(page, '.open')).toContain('21天英语口语');
});

test('the detail page shows the cohort, and joining turns the button into "已加入" with the member count up', async () => {
  storage.set(TOKEN_KEY, 'token-1');
  const server = fakeServer({
    'GET /cohorts/3': () => ok(cohort({ announcement: '周六晚上有直播答疑' })),
    'POST /cohorts/3/enrollments': ({ body, authorization }) =>
      authorization === bearer && JSON.stringify(body) === '{}'
        ? ok({ cohortId: 3, memberId: 7, joinedAt: '2026-11-20T01:00:00.000Z', active: true })
        : apiError(400, 'VALIDATION_FAILED', 'bad enrollment request'),
  });
  const page = await openDetail(3);

  const text = visibleText(page);
  expect(text).toContain('21天英语口语');
  expect(text).toContain('进行中');
  expect(text).toContain('英语口语 · 第3天 / 共7天 · 12人已加入');
  expect(textOf(page, '.announcement')).toBe('公告周六晚上有直播答疑');
  expect(textOf(page, '.prompt')).toBe('今日主题介绍你的早餐');
  expect(textOf(page, '.rules')).toBe('打卡规则每天一段朗读，配一张照片');
  expect(textOf(page, '.welcome')).toBe('欢迎欢迎加入！');
  expect(textOf(page, '.join')).toBe('加入打卡');
  expect(page.querySelector('.mine')).toBeUndefined();

  tap(page, '.join');
  await settleAnimations();

  // GET /me/subscriptions is not answered here: joining goes ahead without asking for reminders.
  expect(server.requests.map(({ method, path }) => `${method} ${path}`)).toEqual([
    'GET /me/invite-code?cohortId=3&source=card', 'GET /cohorts/3', 'GET /me/subscriptions', 'POST /cohorts/3/enrollments',
  ]);
  expect(textOf(page, '.mine')).toContain('我的打卡');
  expect(page.querySelector('.join')).toBeUndefined();
  expect(visibleText(page)).toContain('13人已加入');
  expect(textOf(page, '.go-checkin')).toBe('去打卡');
  expect(toastText(page)).toBe('已加入，每天记得来打卡');
  // Home sees the same store.
  expect(cohortsStore.mine.map((c) => c.id)).toEqual([3]);
});

test("a member sees today's announcements from the staff at the top of the cohort page, newest first", async () => {
  storage.set(TOKEN_KEY, 'token-1');
  const server = fakeServer({
    'GET /cohorts/3': () => ok(cohort({ enrolled: true, me: { enrolled: true, checkedInToday: false, todayCheckinId: null, streak: { current: 2, longest: 2, total: 2 }, missedDays: 0, makeUpsLeft: 2 } })),
    'GET /cohorts/3/today/announcements': () => ok({ items: [
      { id: 12, slot: 'tips', title: '干货：点餐常用句型', body: 'Could I have …? / I\'d like …', publishedAt: '2026-11-20T03:00:00.000Z' },
      { id: 11, slot: 'morning', title: '早安！今天练习点餐', body: '', publishedAt: '2026-11-20T00:00:00.000Z' },
    ] }),
  });
  const page = await openDetail(3);

  const notices = page.querySelectorAll('.notice');
  expect(notices.map((n) => visibleText(n))).toEqual(['干货11:00干货：点餐常用句型Could I have …? / I\'d like …', '早安08:00早安！今天练习点餐']);
  expect(server.requests.map(({ method, path }) => `${method} ${path}`)).toContain('GET /cohorts/3/today/announcements');
});

test('a cohort page opened by someone not in it asks for no announcements', async () => {
  storage.set(TOKEN_KEY, 'token-1');
  const server = fakeServer({ 'GET /cohorts/3': () => ok(cohort()), 'GET /me/subscriptions': () => ok({ templates: [] }) });
  const page = await openDetail(3);
  expect(page.querySelector('.notice')).toBeUndefined();
  expect(server.requests.map(({ path }) => path)).not.toContain('/cohorts/3/today/announcements');
});

test('leaving goes through the action sheet and a confirmation that says what is lost', async () => {
  storage.set(TOKEN_KEY, 'token-1');
  const server = fakeServer({
    'GET /cohorts/3': () => ok(cohort({ enrolled: true, me: { enrolled: true, checkedInToday: true, todayCheckinId: 9, streak: { current: 3, longest: 3, total: 3 }, missedDays: 0, makeUpsLeft: 2 } })),
    'DELETE /cohorts/3/enrollments/me': () => ok({ cohortId: 3, memberId: 7, joinedAt: '2026-11-20T01:00:00.000Z', active: false }),
    'GET /me/subscriptions': () => ok({ templates: [] }),
  });
  const page = await openDetail(3);

  tap(page, '.actions__more');
  await settleAnimations();
  find(find(page, '.leave-sheet'), '.leave-action').dispatchEvent('tap');
  await settleAnimations();

  // One tap is not enough: the dialog says what is lost, and nothing is sent before confirming.
  const dialog = textOf(page, '.leave-dialog');
  expect(dialog).toContain('你已连续打卡 3 天，退出后连续天数会中断');
  expect(dialog).toContain('不再收到本期的打卡提醒');
  expect(dialog).toContain('已获得的积分和打卡记录会保留');
  expect(server.requests.map(({ method }) => method)).not.toContain('DELETE');

  tapDialogButton(page, '.leave-dialog', 'confirm');
  await settleAnimations();

  expect(server.requests.map(({ method, path }) => `${method} ${path}`)).toContain('DELETE /cohorts/3/enrollments/me');
  expect(textOf(page, '.join')).toBe('加入打卡');
  expect(toastText(page)).toBe('已退出本期打卡');
});

test('the share card opens this cohort with my invite, and sharing asks for a shareTicket', async () => {
  storage.set(TOKEN_KEY, 'token-1');
  fakeServer({
    'GET /cohorts/3': () => ok(cohort()),
    'GET /me/invite-code?cohortId=3&source=card': () => ok({ code: 'AbCd2345', cohortId: 3, source: 'card', scene: 'i=AbCd2345', path: '' }),
  });
  const page = await openDetail(3);

  expect(wx.showShareMenu).toHaveBeenCalledWith({ withShareTicket: true, menus: ['shareAppMessage', 'shareTimeline'] });
  expect(pageMethods<DetailPage>(page).onShareAppMessage()).toMatchObject({
    title: '一起来打卡：21天英语口语',
    path: '/pages/cohort/index?id=3&inv=AbCd2345',
  });
  // Moments open a single-page view without login: the title travels in the query.
  expect(pageMethods<DetailPage>(page).onShareTimeline()).toEqual({
    title: '21天英语口语', query: `id=3&inv=AbCd2345&t=${encodeURIComponent('21天英语口语')}`, imageUrl: undefined,
  });
});

test('without my invite code (it failed to load) the card still opens the cohort', async () => {
  storage.set(TOKEN_KEY, 'token-1');
  fakeServer({ 'GET /cohorts/3': () => ok(cohort()) });
  const page = await openDetail(3);
  expect(pageMethods<DetailPage>(page).onShareAppMessage()).toMatchObject({ path: '/pages/cohort/index?id=3' });
});

test('opened from the group card, a teacher of the cohort sees the bonus badge and binds the group with the proof', async () => {
  storage.set(TOKEN_KEY, 'token-1');
  fakeServer({ 'POST /auth/wechat-login': () => ok({ token: 'token-1', member: teacherWang }) });
  await memberStore.login();
  Object.assign(wx, {
    getEnterOptionsSync: () => ({ scene: 1008, path: 'pages/cohort/index', query: { id: '3' } }),
    getGroupEnterInfo: (options: WechatMiniprogram.GetGroupEnterInfoOption) =>
      options.success?.({ encryptedData: 'ENC', iv: 'IV', errMsg: 'getGroupEnterInfo:ok', cloudID: '' } as never),
  });
  const server = fakeServer({
    'GET /cohorts/3': () => ok(cohort({ groupBound: false, enrolled: true })),
    'POST /cohorts/3/group': ({ body }) =>
      JSON.stringify(body) === JSON.stringify({ encryptedData: 'ENC', iv: 'IV' })
        ? ok(cohort({ groupBound: true, enrolled: true }))
        : apiError(400, 'GROUP_PROOF_INVALID', 'wrong proof'),
  });
  const page = await openDetail(3);

  expect(groupProofStore.held).toBe(true);
  expect(textOf(page, '.group-badge')).toBe('群内打卡 · 双倍积分');
  expect(textOf(page, '.group-bind')).toContain('尚未绑定打卡群');
  expect(textOf(page, '.group-bind')).toContain('只有从群聊卡片打开时，微信才会提供这个群的信息');

  tap(page, '.bind-group');
  await settleAnimations();

  expect(server.requests.at(-1)).toMatchObject({ method: 'POST', path: '/cohorts/3/group' });
  expect(textOf(page, '.group-bind')).toContain('已绑定本期的打卡群');
  expect(toastText(page)).toBe('已绑定本群，群内打卡可得双倍积分');
});

test('a member sees no bind button, and without a group card there is no bonus badge', async () => {
  storage.set(TOKEN_KEY, 'token-1');
  fakeServer({ 'POST /auth/wechat-login': () => ok({ token: 'token-1', member: xiaoming }) });
  await memberStore.login();
  fakeServer({ 'GET /cohorts/3': () => ok(cohort({ enrolled: true })) });
  const page = await openDetail(3);

  expect(page.querySelector('.group-bind')).toBeUndefined();
  expect(page.querySelector('.group-badge')).toBeUndefined();
});

test('joining asks WeChat for the daily reminder, the review and the offers from the tap, records the answers, then joins', async () => {
  storage.set(TOKEN_KEY, 'token-1');
  const server = fakeServer({
    'GET /cohorts/3': () => ok(cohort()),
    'GET /me/subscriptions': () => ok({ templates: [
      { key: 'reminder', templateId: 'tmpl-r', sendsLeft: 0 }, { key: 'review', templateId: 'tmpl-v', sendsLeft: 0 },
      { key: 'offer', templateId: 'tmpl-o', sendsLeft: 0 }, { key: 'invitation', templateId: 'tmpl-i', sendsLeft: 0 },
    ] }),
    'POST /me/subscriptions': () => ok({ templates: [] }),
    'POST /cohorts/3/enrollments': () => ok({ cohortId: 3, memberId: 7, joinedAt: '2026-11-20T01:00:00.000Z', active: true }),
  });
  type SubscribeOptions = { tmplIds: string[]; success?: (res: object) => void; fail?: (err: { errMsg: string }) => void };
  const requestSubscribeMessage = jest.fn((options: SubscribeOptions) =>
    options.success?.({ errMsg: 'requestSubscribeMessage:ok', 'tmpl-r': 'accept', 'tmpl-v': 'accept', 'tmpl-o': 'reject' }),
  );
  Object.assign(wx, { requestSubscribeMessage });
  const page = await openDetail(3);

  tap(page, '.join');
  await settleAnimations();

  expect(requestSubscribeMessage).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: ['tmpl-r', 'tmpl-v', 'tmpl-o'] }));
  const sent = server.requests.filter((r) => r.method === 'POST').map((r) => `${r.path} ${JSON.stringify(r.body)}`);
  expect(sent).toEqual([
    '/me/subscriptions {"results":{"tmpl-r":"accept","tmpl-v":"accept","tmpl-o":"reject"}}',
    '/cohorts/3/enrollments {}',
  ]);
  expect(textOf(page, '.mine')).toContain('我的打卡');

  // Closing WeChat's dialog (a failure) still joins.
  requestSubscribeMessage.mockImplementation((options: SubscribeOptions) => options.fail?.({ errMsg: 'requestSubscribeMessage:fail cancel' }));
  server.requests.length = 0;
  const again = await openDetail(3);
  cohortsStore.items = [];
  tap(again, '.join');
  await settleAnimations();
  expect(server.requests.map((r) => `${r.method} ${r.path}`)).toContain('POST /cohorts/3/enrollments');
});

test("the detail page says today's state at the bottom, above the home indicator: 去打卡, or 今日已打卡 ✓", async () => {
  storage.set(TOKEN_KEY, 'token-1');
  const me = (checkedInToday: boolean) => ({ enrolled: true, checkedInToday, todayCheckinId: checkedInToday ? 9 : null, streak: { current: 4, longest: 4, total: 6 }, missedDays: 1, makeUpsLeft: 2 });
  fakeServer({ 'GET /cohorts/3': () => ok(cohort({ enrolled: true, me: me(false), rules: '规则'.repeat(400) })) });
  const todo = await openDetail(3);
  expect(textOf(todo, '.mine')).toContain('连续打卡 4 天 · 累计 6 天 · 还可补卡 2 次');
  expect(textOf(todo, '.go-checkin')).toBe('去打卡');
  const tab = await inChromium(todo, 'pages/cohort/index');
  const [button] = await boxes(tab, '.main--go-checkin');
  // Long rules push the content far below the screen; the button stays on it, above the 34 px safe area.
  expect(button.y).toBeGreaterThan(600);
  expect(button.y + button.height).toBeLessThanOrEqual(812 - 34);

  fakeServer({ 'GET /cohorts/3': () => ok(cohort({ enrolled: true, me: me(true) })) });
  const done = await openDetail(3);
  expect(textOf(done, '.today-done')).toContain('今日已打卡 ✓');
  expect(done.querySelector('.go-checkin')).toBeUndefined();
});

test('a cohort that no longer exists offers the way Home, not a reload that cannot help', async () => {
  storage.set(TOKEN_KEY, 'token-1');
  fakeServer({ 'GET /cohorts/99': () => apiError(404, 'NOT_FOUND', 'Cohort not found') });
  const page = await openDetail(99);
  expect(textOf(page, '.load-error')).toBe('内容不存在或已被删除 回到首页');
  expect(page.querySelector('.reload')).toBeUndefined();
  tap(page, '.go-home');
  await settle();
  expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' });
});

test('a teacher of the cohort who has not joined is offered the review queue first (joining stays possible)', async () => {
  storage.set(TOKEN_KEY, 'token-1');
  fakeServer({ 'POST /auth/wechat-login': () => ok({ token: 'token-1', member: teacherWang }) });
  await memberStore.login();
  fakeServer({ 'GET /cohorts/3': () => ok(cohort({ enrolled: false, teacherIds: [42] })) });
  const page = await openDetail(3);

  expect(textOf(page, '.bottom-bar')).toBe('去点评本期打卡也加入打卡');
  tap(page, '.go-review');
  await settle();
  expect(wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/packageTeacher/pages/queue/index' }));
});

test('the leave sheet reads at 4.5:1 or better (its red was 4.46:1)', async () => {
  storage.set(TOKEN_KEY, 'token-1');
  fakeServer({ 'GET /cohorts/3': () => ok(cohort({ enrolled: true })) });
  const page = await openDetail(3);
  tap(page, '.actions__more');
  await settleAnimations();
  const tab = await inChromium(page, 'pages/cohort/index');
  expect(await lowContrastText(tab)).toEqual([]);
});
