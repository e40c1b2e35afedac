import { TOKEN_KEY } from '../../miniprogram/services/auth';
import { memberStore } from '../../miniprogram/stores/member';
import { NETWORK_DOWN, apiError, fakeServer, fakeUploads, ok } from './helpers/fake-server';
import { find, renderPage, settle, settleAnimations, tap, textOf, toastText, typeInto, visibleText, type RenderedPage } from './helpers/render';
import { storage } from './helpers/storage';

const teacher = { id: 42, nickname: '王老师', avatarUrl: null, roles: ['member', 'teacher'] };

function roleTags(page: RenderedPage): string[] {
  return page.querySelectorAll('.roles__tag').map((tag) => visibleText(tag));
}

async function logInAs(member: typeof teacher) {
  fakeServer({ 'POST /auth/wechat-login': () => ok({ token: 'token-me', member }) });
  expect(await memberStore.login()).toBe(true);
}

async function show(page: RenderedPage) {
  (page.instance as unknown as { onShow(): void }).onShow();
  await settle();
  await settleAnimations();
}

afterEach(() => memberStore.logout());

test('Me shows the nickname, member id and roles as tags', async () => {
  const page = renderPage('me');
  expect(visibleText(page)).toContain('正在登录');

  await logInAs(teacher);
  await settle();

  expect(visibleText(page)).toContain('王老师');
  expect(visibleText(page)).toContain('会员编号42');
  expect(roleTags(page)).toEqual(['会员', '老师']);
});

test('showing Me reloads the member, so a newly granted role appears', async () => {
  await logInAs(teacher);
  const page = renderPage('me');
  const server = fakeServer({
    'GET /me': () => ok({ ...teacher, roles: ['member', 'teacher', 'operator'] }),
    'GET /me/points?limit=1': () => ok({ balance: 130, entries: [], nextCursor: null }),
    'GET /me/notifications': () => ok({ items: [] }),
  });

  await show(page);

  expect(server.requests).toEqual([
    { method: 'GET', path: '/me', body: undefined, authorization: 'Bearer token-me' },
    { method: 'GET', path: '/me/points?limit=1', body: undefined, authorization: 'Bearer token-me' },
    { method: 'GET', path: '/me/notifications', body: undefined, authorization: 'Bearer token-me' },
    { method: 'GET', path: '/me/subscriptions', body: undefined, authorization: 'Bearer token-me' },
  ]);
  expect(roleTags(page)).toEqual(['会员', '老师', '运营']);
  expect(storage.get(TOKEN_KEY)).toBe('token-me');
});

test("a failed reload keeps the member on screen and shows the server's message in a toast", async () => {
  await logInAs(teacher);
  const page = renderPage('me');
  fakeServer({
    'GET /me': () => apiError(500, 'INTERNAL', '服务器开小差了'),
    'GET /me/points?limit=1': () => ok({ balance: 130, entries: [], nextCursor: null }),
  });

  await show(page);

  expect(visibleText(page.querySelector('#van-toast')!)).toBe('服务器开小差了');
  expect(roleTags(page)).toEqual(['会员', '老师']);
});

test('Me shows my points with a link to the ledger, and the teacher desk only for teachers', async () => {
  await logInAs(teacher);
  const page = renderPage('me');
  fakeServer({
    'GET /me': () => ok(teacher),
    'GET /me/points?limit=1': () => ok({ balance: 130, entries: [], nextCursor: null }),
  });

  await show(page);

  expect(visibleText(page.querySelector('.points-link')!)).toBe('我的积分130');
  expect(visibleText(page.querySelector('.teacher-link')!)).toContain('老师工作台');
  page.querySelector('.teacher-link')!.querySelector('.van-cell')!.dispatchEvent('tap');
  await settle();
  expect(wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/packageTeacher/pages/queue/index' }));

  fakeServer({
    'GET /me': () => ok({ ...teacher, roles: ['member'] }),
    'GET /me/points?limit=1': () => ok({ balance: 130, entries: [], nextCursor: null }),
  });
  await show(page);
  expect(page.querySelector('.teacher-link')).toBeUndefined();
});

test('Me links to my redemptions and the offers, shows the operator desk to operators, and the invitation in the inbox', async () => {
  const operator = { ...teacher, roles: ['member', 'operator'] };
  await logInAs(operator);
  const page = renderPage('me');
  const server = fakeServer({
    'POST /me/notifications/5/read': () => ok({ id: 5, unread: false }),
    'GET /me': () => ok(operator),
    'GET /me/points?limit=1': () => ok({ balance: 130, entries: [], nextCursor: null }),
    'GET /me/notifications': () =>
      ok({
        items: [
          { id: 5, kind: 'invitation', page: 'pages/cohort/index?id=9', data: { thing1: '21天英语口语·第二期', date2: '2026-12-01', thing3: '21天英语口语 已结束，欢迎继续' }, unread: true, createdAt: '2026-11-28T02:00:00.000Z' },
          { id: 4, kind: 'something-else', page: 'pages/home/index', data: {}, unread: false, createdAt: '2026-11-27T02:00:00.000Z' },
        ],
      }),
  });

  await show(page);

  expect(page.querySelectorAll('.invitation').map(visibleText)).toEqual([
    '邀请你加入下一期：21天英语口语·第二期12月1日开始 · 21天英语口语 已结束，欢迎继续新',
  ]);
  // The title has the row to itself (no value column squeezing it); "新" is a badge.
  expect(textOf(page, '.invitation__title')).toBe('邀请你加入下一期：21天英语口语·第二期');
  expect(page.querySelector('.invitation .van-cell__value')).toBeUndefined();
  expect(textOf(page, '.invitation__new')).toBe('新');
  // Tapping the invitation marks it read first, then opens the next cohort.
  (wx.navigateTo as jest.Mock).mockImplementation(() => {
    expect(server.requests.at(-1)).toEqual({ method: 'POST', path: '/me/notifications/5/read', body: {}, authorization: 'Bearer token-me' });
  });
  find(page, '.invitation').dispatchEvent('tap');
  await settle();
  expect(wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/cohort/index?id=9' }));
  expect(page.querySelectorAll('.invitation').map(visibleText)).toEqual([
    '邀请你加入下一期：21天英语口语·第二期12月1日开始 · 21天英语口语 已结束，欢迎继续',
  ]);
  expect(page.querySelector('.invitation__new')).toBeUndefined();
  (wx.navigateTo as jest.Mock).mockReset();

  for (const [selector, url] of [
    ['.redemptions-link', '/packageMall/pages/redemptions/index'],
    ['.offers-link', '/pages/offers/index'],
    ['.operator-link', '/packageOperator/pages/cohorts/index'],
  ]) {
    page.querySelector(selector)!.querySelector('.van-cell')!.dispatchEvent('tap');
    await settle();
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url }));
  }
  expect(page.querySelector('.teacher-link')).toBeUndefined();
});

test('修改昵称 uses WeChat\'s nickname input and saves with PUT /me; a refused nickname is explained in Chinese', async () => {
  await logInAs(teacher);
  const page = renderPage('me');
  const server = fakeServer({
    'PUT /me': ({ body }) =>
      (body as { nickname: string }).nickname === '坏名字'
        ? apiError(422, 'CONTENT_REJECTED', 'The text did not pass the content check')
        : ok({ ...teacher, ...(body as object) }),
  });
  await settle();

  expect(textOf(page, '.nickname-link')).toContain('修改昵称');
  page.querySelector('.nickname-link')!.querySelector('.van-cell')!.dispatchEvent('tap');
  await settle();
  expect(find(page, '.nickname-field')).toBeTruthy();

  typeInto(page, '.nickname-field', '坏名字');
  await settle();
  tap(page, '.save-nickname');
  await settleAnimations();
  expect(toastText(page)).toBe('内容未通过安全检查，请修改后再试');
  expect(textOf(page, '.profile__name')).toBe('王老师');

  // WeChat's suggested nickname arrives as a change (blur) event.
  find(page, '.nickname-field').dispatchEvent('change', { detail: { value: ' 王小明老师 ' } });
  await settle();
  tap(page, '.save-nickname');
  await settleAnimations();

  expect(server.requests.map((r) => r.body)).toEqual([{ nickname: '坏名字' }, { nickname: '王小明老师' }]);
  expect(server.requests.at(-1)).toMatchObject({ method: 'PUT', path: '/me', authorization: 'Bearer token-me' });
  expect(textOf(page, '.profile__name')).toBe('王小明老师');
  expect(page.querySelector('.nickname-field')).toBeUndefined();
  expect(toastText(page)).toBe('昵称已保存');
});

test('choosing an avatar uploads the image and saves its URL with PUT /me', async () => {
  await logInAs(teacher);
  const page = renderPage('me');
  const uploads = fakeUploads({
    'POST /uploads/images': () => ({
      status: 201,
      body: { key: 'images/2026/11/a.jpg', url: '/uploads/images/2026/11/a.jpg', contentType: 'image/jpeg', bytes: 2000 },
    }),
  });
  const server = fakeServer({ 'PUT /me': ({ body }) => ok({ ...teacher, ...(body as object) }) });
  await settle();
  expect(page.querySelector('.profile__image')).toBeUndefined();

  find(page, '.avatar-button').dispatchEvent('chooseavatar', { detail: { avatarUrl: 'wxfile://tmp/avatar.jpg' } });
  await settleAnimations();

  expect(uploads.uploads).toEqual([{ path: '/uploads/images', filePath: 'wxfile://tmp/avatar.jpg', name: 'file', authorization: 'Bearer token-me' }]);
  expect(server.requests).toEqual([
    { method: 'PUT', path: '/me', body: { avatarUrl: '/uploads/images/2026/11/a.jpg' }, authorization: 'Bearer token-me' },
  ]);
  // The new avatar replaces the initial (simulate renders no src attribute: read the bound value).
  expect(page.querySelector('.profile__image')).toBeTruthy();
  expect((page.instance.data as { avatar: string }).avatar).toMatch(/^https?:\/\/.+\/uploads\/images\/2026\/11\/a\.jpg$/);
  expect(toastText(page)).toBe('头像已更新');
});

test('when the launch login fails, Me says why and offers a retry that logs in and loads Me', async () => {
  fakeServer({ 'POST /auth/wechat-login': () => NETWORK_DOWN });
  const page = renderPage('me');
  expect(await memberStore.login()).toBe(false);
  await settle();

  expect(visibleText(page)).not.toContain('正在登录');
  expect(textOf(page, '.login-error')).toContain('网络连接失败，请检查网络后重试');

  const server = fakeServer({
    'POST /auth/wechat-login': () => ok({ token: 'token-me', member: teacher }),
    'GET /me': () => ok(teacher),
    'GET /me/points?limit=1': () => ok({ balance: 130, entries: [], nextCursor: null }),
    'GET /me/notifications': () => ok({ items: [] }),
    'GET /me/subscriptions': () => ok({ templates: [] }),
  });
  tap(page, '.retry-login');
  await settle();
  await settle();

  expect(textOf(page, '.profile__name')).toBe('王老师');
  expect(server.requests.map((r) => r.path)).toEqual(expect.arrayContaining(['/auth/wechat-login', '/me', '/me/points?limit=1']));
  expect(textOf(page, '.points-link')).toBe('我的积分130');
});

test('消息提醒 on Me: the sends banked per kind; 开启 asks WeChat for that template from the tap, 关闭 drops them', async () => {
  await logInAs(teacher);
  const page = renderPage('me');
  const templates = (reminder: number) => ({
    templates: [
      { key: 'reminder', templateId: 'tmpl-r', sendsLeft: reminder },
      { key: 'offer', templateId: 'tmpl-o', sendsLeft: 0 },
    ],
  });
  let banked = 0;
  const server = fakeServer({
    'GET /me': () => ok(teacher),
    'GET /me/points?limit=1': () => ok({ balance: 130, entries: [], nextCursor: null }),
    'GET /me/notifications': () => ok({ items: [] }),
    'GET /me/subscriptions': () => ok(templates(banked)),
    'POST /me/subscriptions': () => ok(templates(++banked)),
    'DELETE /me/subscriptions/reminder': () => ok(templates((banked = 0))),
  });
  const requestSubscribeMessage = jest.fn((options: { tmplIds: string[]; success: (res: object) => void }) =>
    options.success({ errMsg: 'requestSubscribeMessage:ok', 'tmpl-r': 'accept' }),
  );
  Object.assign(wx, { requestSubscribeMessage });
  await show(page);

  expect(page.querySelectorAll('.reminder').map(visibleText)).toEqual(['每日打卡提醒未开启开启', '续报优惠通知未开启开启']);

  find(page, '.reminder--reminder .reminder__on').dispatchEvent('tap');
  await settle();
  await settleAnimations();
  expect(requestSubscribeMessage).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: ['tmpl-r'] }));
  expect(server.requests.find((r) => r.method === 'POST')?.body).toEqual({ results: { 'tmpl-r': 'accept' } });
  expect(textOf(page, '.reminder--reminder')).toBe('每日打卡提醒已开启 · 还可提醒 1 次关闭再要一次');
  expect(toastText(page)).toBe('已开启每日打卡提醒');

  tap(page, '.reminder--reminder .reminder__off');
  await settle();
  expect(server.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/me/subscriptions/reminder' });
  expect(textOf(page, '.reminder--reminder')).toBe('每日打卡提醒未开启开启');
});

test('likes and comments on my check-ins appear in 消息 (likes gathered) and open the check-in', async () => {
  await logInAs(teacher);
  const page = renderPage('me');
  const server = fakeServer({
    'POST /me/notifications/12/read': () => ok({ id: 12, unread: false }),
    'GET /me': () => ok(teacher),
    'GET /me/points?limit=1': () => ok({ balance: 130, entries: [], nextCursor: null }),
    'GET /me/subscriptions': () => ok({ templates: [] }),
    'GET /me/notifications': () =>
      ok({
        items: [
          { id: 12, kind: 'likes', page: 'pages/cohort/post?id=131', data: { count: '3', latest: 'Amy 王', date: '2026-11-20' }, unread: true, createdAt: '2026-11-20T03:00:00.000Z' },
          { id: 11, kind: 'comment', page: 'pages/cohort/post?id=131', data: { from: '阿杰', text: '发音好标准', date: '2026-11-20' }, unread: false, createdAt: '2026-11-20T02:00:00.000Z' },
        ],
      }),
  });
  await show(page);

  expect(page.querySelectorAll('.interaction__title').map(visibleText)).toEqual(['Amy 王等 3 人赞了你的打卡', '阿杰 评论了你的打卡']);
  expect(page.querySelectorAll('.interaction').map(visibleText)[1]).toContain('11月20日的打卡 · 发音好标准');
  expect(page.querySelectorAll('.interaction__new')).toHaveLength(1);
  find(page, '.interaction').dispatchEvent('tap');
  await settle();
  expect(server.requests.some((r) => r.path === '/me/notifications/12/read')).toBe(true);
  expect(wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/cohort/post?id=131' }));
  expect(page.querySelector('.interaction__new')).toBeUndefined();
});
