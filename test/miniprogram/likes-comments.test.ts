import { TOKEN_KEY } from '../../miniprogram/services/auth';
import { memberStore } from '../../miniprogram/stores/member';
import { apiError, deferred, fakeServer, ok, type Reply } from './helpers/fake-server';
import { checkin, xiaoming } from './helpers/fixtures';
import { find, pageMethods, renderPage, settle, settleAnimations, tap, textOf, toastText, typeInto, visibleText, type RenderedPage } from './helpers/render';
import { storage } from './helpers/storage';

beforeEach(() => {
  storage.set(TOKEN_KEY, 'token-1');
  memberStore.member = xiaoming;
});

async function open(path: string, query: Record<string, string>): Promise<RenderedPage> {
  const page = renderPage(path);
  pageMethods<{ onLoad(q: Record<string, string>): void }>(page).onLoad(query);
  await settle();
  return page;
}

const others = (overrides = {}) => checkin({ id: 12, author: { id: 8, nickname: '小红', avatarUrl: null }, likeCount: 2, commentCount: 1, ...overrides });

test('the feed puts the featured section first, plays a recording and shows likes and comments', async () => {
  fakeServer({
    'GET /cohorts/3/checkins?limit=10': () => ok({
      items: [
        others({ id: 13, featured: true, text: '', audioUrl: '/uploads/audio/2026/11/a.mp3', audioSeconds: 42 }),
        others({ id: 12, text: '普通的一篇' }),
      ],
      nextCursor: null,
    }),
  });
  const page = await open('pages/cohort/feed', { id: '3' });
  expect(page.querySelectorAll('.section').map(visibleText)).toEqual(['老师精选', '最新打卡']);
  expect(textOf(page, '.post__voice')).toContain('42″');
  expect(page.querySelectorAll('.like').map(visibleText)).toEqual(['2', '2']);
  expect(page.querySelectorAll('.comments').map(visibleText)).toEqual(['1', '1']);
});

test("today's announcements from the staff sit above the check-ins, even before anyone has checked in, and come back on a refresh", async () => {
  let announcements = [{ id: 11, slot: 'morning', title: '早安！今天练习点餐', body: '先听一遍音频再开口', publishedAt: '2026-11-20T00:00:00.000Z' }];
  const server = fakeServer({
    'GET /cohorts/3/checkins?limit=10': () => ok({ items: [], nextCursor: null }),
    'GET /cohorts/3/today/announcements': () => ok({ items: announcements }),
  });
  const page = await open('pages/cohort/feed', { id: '3' });
  expect(page.querySelectorAll('.notice').map(visibleText)).toEqual(['早安08:00早安！今天练习点餐先听一遍音频再开口']);
  expect(textOf(page, '.no-items')).toContain('还没有人打卡');

  announcements = [{ id: 12, slot: 'tips', title: '干货：点餐常用句型', body: '', publishedAt: '2026-11-20T03:00:00.000Z' }, ...announcements];
  await pageMethods<{ onPullDownRefresh(): Promise<void> }>(page).onPullDownRefresh();
  await settle();
  expect(page.querySelectorAll('.notice').map(visibleText)).toEqual(['干货11:00干货：点餐常用句型', '早安08:00早安！今天练习点餐先听一遍音频再开口']);
  expect(server.requests.filter((r) => r.path === '/cohorts/3/today/announcements')).toHaveLength(2);
});

test('the feed shows no announcements when they cannot be had, and the check-ins still load', async () => {
  fakeServer({ 'GET /cohorts/3/checkins?limit=10': () => ok({ items: [others({ id: 12, text: '普通的一篇' })], nextCursor: null }) });
  const page = await open('pages/cohort/feed', { id: '3' });
  expect(page.querySelector('.notice')).toBeUndefined();
  expect(page.querySelectorAll('.like')).toHaveLength(1);
});

test('a like shows at once, then settles on the server\'s count; a refused like rolls back with a message', async () => {
  const held = deferred<Reply>();
  let refuse = false;
  const server = fakeServer({
    'GET /cohorts/3/checkins?limit=10': () => ok({ items: [others()], nextCursor: null }),
    'PUT /checkins/12/like': () => (refuse ? apiError(404, 'NOT_FOUND', '这条打卡找不到了') : held.promise),
    'DELETE /checkins/12/like': () => ok({ liked: false, likeCount: 4 }),
  });
  const page = await open('pages/cohort/feed', { id: '3' });

  tap(page, '.like');
  await settle();
  // Before the server has answered.
  expect(textOf(page, '.like')).toBe('3');
  expect(find(page, '.like').dom?.className).toContain('like--on');
  held.resolve(ok({ liked: true, likeCount: 5 }));
  await settle();
  expect(textOf(page, '.like')).toBe('5');

  tap(page, '.like');
  await settle();
  expect(textOf(page, '.like')).toBe('4');
  expect(find(page, '.like').dom?.className).not.toContain('like--on');

  refuse = true;
  tap(page, '.like');
  await settleAnimations();
  expect(textOf(page, '.like')).toBe('4');
  expect(find(page, '.like').dom?.className).not.toContain('like--on');
  expect(toastText(page)).toBe('内容不存在或已被删除');
  expect(server.requests.filter((r) => r.path === '/checkins/12/like').map((r) => r.method)).toEqual(['PUT', 'DELETE', 'PUT']);
});

test('my own check-in is not liked by me: the tap says how many liked it, nothing is sent', async () => {
  const server = fakeServer({
    'GET /cohorts/3/checkins?limit=10': () => ok({ items: [checkin({ id: 11, likeCount: 3 })], nextCursor: null }),
  });
  const page = await open('pages/cohort/feed', { id: '3' });
  tap(page, '.like');
  await settleAnimations();
  expect(toastText(page)).toBe('3 人赞了你的打卡');
  expect(server.requests.some((r) => r.method === 'PUT')).toBe(false);
});

test('the check-in page lists comments newest first, sends one, and deletes my own', async () => {
  const mine = { id: 501, checkinId: 12, text: '好棒', author: { id: 7, nickname: '小明', avatarUrl: null }, byTeacher: false, heldForReview: false, canDelete: true, createdAt: '2026-11-20T02:00:00.000Z' };
  const teachers = { ...mine, id: 500, text: '语调很自然', author: { id: 42, nickname: '王老师', avatarUrl: null }, byTeacher: true, canDelete: false };
  const server = fakeServer({
    'GET /checkins/12': () => ok(others({ commentCount: 2 })),
    'GET /checkins/12/comments?limit=20': () => ok({ items: [mine, teachers], nextCursor: null }),
    'POST /checkins/12/comments': ({ body }) => ({ status: 201, body: { ...mine, id: 502, text: (body as { text: string }).text } }),
    'DELETE /comments/501': () => ok({ deleted: true }),
  });
  Object.assign(wx, { showModal: jest.fn((options: { success?: (res: { confirm: boolean }) => void }) => options.success?.({ confirm: true })) });
  const page = await open('pages/cohort/post', { id: '12' });

  expect(textOf(page, '.comments__head')).toBe('评论 2');
  expect(page.querySelectorAll('.comment__text').map(visibleText)).toEqual(['好棒', '语调很自然']);
  expect(page.querySelectorAll('.comment__teacher').map(visibleText)).toEqual(['老师']);
  expect(page.querySelectorAll('.comment__delete')).toHaveLength(1);

  typeInto(page, '.composer__input', '  明天一起加油  ');
  await settle();
  tap(page, '.composer__send');
  await settleAnimations();
  expect(server.requests.find((r) => r.method === 'POST')?.body).toEqual({ text: '明天一起加油' });
  expect(page.querySelectorAll('.comment__text').map(visibleText)).toEqual(['明天一起加油', '好棒', '语调很自然']);
  expect(textOf(page, '.comments__head')).toBe('评论 3');

  page.querySelectorAll('.comment__delete')[1].dispatchEvent('tap');
  await settleAnimations();
  expect(server.requests.some((r) => r.method === 'DELETE' && r.path === '/comments/501')).toBe(true);
  expect(page.querySelectorAll('.comment__text').map(visibleText)).toEqual(['明天一起加油', '语调很自然']);
  expect(textOf(page, '.comments__head')).toBe('评论 2');
});

test('a comment the content check refuses stays in the box with a message; a held one says it waits for review', async () => {
  let refuse = true;
  fakeServer({
    'GET /checkins/12': () => ok(others({ commentCount: 0 })),
    'GET /checkins/12/comments?limit=20': () => ok({ items: [], nextCursor: null }),
    'POST /checkins/12/comments': () =>
      refuse
        ? apiError(400, 'CONTENT_REJECTED', 'This text did not pass WeChat content security')
        : { status: 201, body: { id: 600, checkinId: 12, text: '加我微信', author: { id: 7, nickname: '小明', avatarUrl: null }, byTeacher: false, heldForReview: true, canDelete: true, createdAt: '2026-11-20T02:00:00.000Z' } },
  });
  const page = await open('pages/cohort/post', { id: '12' });
  expect(textOf(page, '.comments__empty')).toBe('还没有评论，说句鼓励的话吧');

  typeInto(page, '.composer__input', '加我微信');
  await settle();
  tap(page, '.composer__send');
  await settleAnimations();
  expect(toastText(page)).toBe('这条评论没有通过内容安全检查，请修改后再发');
  expect((page.instance.data as { draft: string }).draft).toBe('加我微信');

  refuse = false;
  tap(page, '.composer__send');
  await settleAnimations();
  expect(textOf(page, '.comment__held')).toBe('审核中，仅你和老师可见');
  expect(textOf(page, '.comments__head')).toBe('评论 0');
});
