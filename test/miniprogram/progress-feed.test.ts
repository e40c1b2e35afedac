import { TOKEN_KEY } from '../../miniprogram/services/auth';
import type { ProgressDay } from '../../miniprogram/services/api-types';
import { NETWORK_DOWN, fakeServer, ok } from './helpers/fake-server';
import { inChromium, lowContrastText } from './helpers/browser';
import { checkin, review } from './helpers/fixtures';
import { find, pageMethods, renderPage, settle, settleAnimations, tapDialogButton, textOf, visibleText, type RenderedPage } from './helpers/render';
import { storage } from './helpers/storage';

interface PageLifecycle {
  onLoad(query: Record<string, string>): void;
  onPullDownRefresh(): Promise<void>;
  onShow(): void;
  onReachBottom(): void;
}

const day = (dayIndex: number, state: ProgressDay['state'], extra: Partial<ProgressDay> = {}): ProgressDay => ({
  dayIndex,
  date: `2026-11-${String(17 + dayIndex).padStart(2, '0')}`,
  state,
  prompt: null,
  checkinId: state === 'done' || state === 'made-up' ? 100 + dayIndex : null,
  review: null,
  ...extra,
});

const progress = {
  cohortId: 3,
  status: 'running',
  dayIndex: 4,
  days: [
    day(1, 'done', { review: review({ text: '开头很自然', audioUrl: '/uploads/audio/2026/11/abc.mp3', audioSeconds: 12 }) }),
    day(2, 'missed'),
    day(3, 'made-up'),
    day(4, 'today'),
    day(5, 'upcoming'),
  ],
  streak: { current: 2, longest: 2, total: 2 },
  makeUpsUsed: 1,
  makeUpsLeft: 1,
  makeUpCost: 20,
  balance: 35,
};

beforeEach(() => storage.set(TOKEN_KEY, 'token-1'));

async function open(path: string, query: Record<string, string>, show = false): Promise<RenderedPage> {
  const page = renderPage(path);
  pageMethods<PageLifecycle>(page).onLoad(query);
  if (show) pageMethods<PageLifecycle>(page).onShow();
  await settle();
  return page;
}

test('the calendar shows each day with its state, the streak, make-ups left and reviews', async () => {
  const server = fakeServer({ 'GET /me/cohorts/3/progress': () => ok(progress) });
  const page = await open('pages/cohort/progress', { id: '3' }, true);

  // (and my invite code, for the calendar's share card)
  expect(server.requests.map((r) => `${r.method} ${r.path}`).filter((r) => !r.includes('/me/invite-code'))).toEqual(['GET /me/cohorts/3/progress']);
  expect(page.querySelectorAll('.day').map(visibleText)).toEqual([
    '第1天11/18已打卡',
    '第2天11/19缺卡',
    '第3天11/20已补卡',
    '第4天11/21今天',
    '第5天11/22未开始',
  ]);
  expect(page.querySelectorAll('.day--missed')).toHaveLength(1);
  expect(textOf(page, '.streak-current')).toBe('2');
  expect(textOf(page, '.makeups')).toBe('本期还可补卡 1 次 · 每次 20 积分 · 当前积分 35');
  const reviews = textOf(page, '.reviews');
  expect(reviews).toContain('第1天 · 11月18日');
  expect(reviews).toContain('王老师 的点评');
  expect(reviews).toContain('开头很自然');
  expect(reviews).toContain('播放语音 12″');
});

test('the audio button of a review plays the voice note from the server', async () => {
  const player = { src: '', play: jest.fn(), stop: jest.fn(), destroy: jest.fn(), onEnded: jest.fn(), onStop: jest.fn(), onError: jest.fn() };
  Object.assign(wx, { createInnerAudioContext: jest.fn(() => player) });
  fakeServer({ 'GET /me/cohorts/3/progress': () => ok(progress) });
  const page = await open('pages/cohort/progress', { id: '3' }, true);

  const note = find(page, '.review-note');
  find(note, '.review__audio').dispatchEvent('tap');
  await settle();

  expect(player.src).toBe('http://127.0.0.1:3000/uploads/audio/2026/11/abc.mp3');
  expect(player.play).toHaveBeenCalled();
  expect(visibleText(note)).toContain('停止');
});

test('tapping a missed day asks to confirm the make-up with its cost, then opens the composer for that date', async () => {
  fakeServer({ 'GET /me/cohorts/3/progress': () => ok(progress) });
  const page = await open('pages/cohort/progress', { id: '3' }, true);

  find(page, '.day--missed').dispatchEvent('tap');
  await settleAnimations();

  const dialog = textOf(page, '.makeup-dialog');
  expect(dialog).toContain('补第2天（11月19日）的卡将花费 20 积分');
  expect(dialog).toContain('本期还可补卡 1 次，当前积分 35');

  tapDialogButton(page, '.makeup-dialog', 'confirm');
  await settle();
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/cohort/checkin?id=3&makeUpDate=2026-11-19' });
});

test('a missed day with no make-ups left says so instead', async () => {
  fakeServer({ 'GET /me/cohorts/3/progress': () => ok({ ...progress, makeUpsLeft: 0 }) });
  const page = await open('pages/cohort/progress', { id: '3' }, true);

  find(page, '.day--missed').dispatchEvent('tap');
  await settleAnimations();

  expect(textOf(page, '#van-toast')).toBe('本期的补卡次数已用完');
  expect(textOf(page, '.makeup-dialog')).not.toContain('补第2天');
});

test('the feed shows check-ins newest first and appends the next page on reaching the bottom', async () => {
  const first = [
    checkin({ id: 12, text: '第三篇', featured: true, imageUrls: ['/uploads/img/2026/11/p1.jpg'], review: review({ text: '读得很好' }) }),
    checkin({ id: 11, text: '第二篇', author: { id: 8, nickname: '小红', avatarUrl: null } }),
  ];
  const second = [checkin({ id: 10, text: '第一篇', dayIndex: 1 })];
  const server = fakeServer({
    'GET /cohorts/3/checkins?limit=10': () => ok({ items: first, nextCursor: '11' }),
    'GET /cohorts/3/checkins?limit=10&before=11': () => ok({ items: second, nextCursor: null }),
  });
  const page = await open('pages/cohort/feed', { id: '3' });

  expect(page.querySelectorAll('.post__text').map(visibleText)).toEqual(['第三篇', '第二篇']);
  expect(textOf(page, '.featured')).toBe('精选');
  expect(page.querySelectorAll('.featured')).toHaveLength(1);
  expect(visibleText(page.querySelectorAll('.post')[0])).toContain('读得很好');

  const setData = jest.spyOn(page.instance, 'setData');
  pageMethods<PageLifecycle>(page).onReachBottom();
  await settle();

  // Today's announcements come with the first page only; the next page is just check-ins.
  expect(server.requests.map((r) => r.path).filter((path) => !path.startsWith('/me/invite-code'))).toEqual(['/cohorts/3/today/announcements', '/cohorts/3/checkins?limit=10', '/cohorts/3/checkins?limit=10&before=11']);
  expect(page.querySelectorAll('.post__text').map(visibleText)).toEqual(['第三篇', '第二篇', '第一篇']);
  expect(textOf(page, '.footer')).toBe('没有更多了');
  // Only the new item travels to the view layer, by path key.
  const sent = setData.mock.calls.map((call: unknown[]) => Object.keys(call[0] as object));
  expect(sent.flat()).toContain('items[2]');
  expect(sent.flat()).not.toContain('items');

  // No cursor: nothing more is asked.
  pageMethods<PageLifecycle>(page).onReachBottom();
  await settle();
  expect(server.requests.filter((r) => r.path.startsWith('/cohorts/3/checkins'))).toHaveLength(2);

  find(page, '.post__image').dispatchEvent('tap');
  await settle();
  expect(wx.previewImage).toHaveBeenCalledWith({
    urls: ['http://127.0.0.1:3000/uploads/img/2026/11/p1.jpg'],
    current: 'http://127.0.0.1:3000/uploads/img/2026/11/p1.jpg',
  });
});

test('calendar days do something: today opens the composer, a done day shows my check-in with its review, a future day says when', async () => {
  const server = fakeServer({
    'GET /me/cohorts/3/progress': () => ok(progress),
    'GET /checkins/101': () => ok(checkin({ id: 101, dayIndex: 1, text: 'Hello, I am Xiaoming.', imageUrls: ['/uploads/img/a.jpg'], review: review({ text: '开头很自然' }) })),
  });
  const page = await open('pages/cohort/progress', { id: '3' }, true);
  const days = page.querySelectorAll('.day');

  days[3].dispatchEvent('tap');
  await settle();
  expect(wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/cohort/checkin?id=3' }));

  days[0].dispatchEvent('tap');
  await settleAnimations();
  expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/checkins/101' });
  const sheet = textOf(page, '.entry-sheet');
  expect(sheet).toContain('第1天 · 11月18日');
  expect(sheet).toContain('Hello, I am Xiaoming.');
  expect(sheet).toContain('王老师 的点评');
  expect(sheet).toContain('开头很自然');

  days[4].dispatchEvent('tap');
  await settleAnimations();
  expect(textOf(page, '#van-toast')).toBe('第5天还没开始，11月22日再来打卡');
});

test('the calendar and the feed can be shared as a card that opens the cohort with my invite', async () => {
  fakeServer({
    'GET /me/cohorts/3/progress': () => ok(progress),
    'GET /cohorts/3/checkins?limit=10': () => ok({ items: [], nextCursor: null }),
    'GET /me/invite-code?cohortId=3&source=card': () => ok({ code: 'MyCode23', cohortId: 3, source: 'card', scene: 'i=MyCode23', path: '' }),
  });
  const calendar = await open('pages/cohort/progress', { id: '3' }, true);
  expect(pageMethods<{ onShareAppMessage(): object }>(calendar).onShareAppMessage()).toEqual({
    title: '我已连续打卡2天，一起来吧',
    path: '/pages/cohort/index?id=3&inv=MyCode23',
  });
  const feed = await open('pages/cohort/feed', { id: '3' });
  expect(pageMethods<{ onShareAppMessage(): object }>(feed).onShareAppMessage()).toEqual({ title: '看看大家的打卡', path: '/pages/cohort/index?id=3&inv=MyCode23' });
  expect(wx.showShareMenu).toHaveBeenCalledTimes(2);
});

test("the feed shows an author's avatar when there is one, and the group badge of a check-in made from the group", async () => {
  fakeServer({
    'GET /cohorts/3/checkins?limit=10': () => ok({ items: [
      checkin({ id: 12, viaGroup: true, author: { id: 8, nickname: '小红', avatarUrl: '/uploads/img/avatar.jpg' } }),
      checkin({ id: 11, viaGroup: false, author: { id: 9, nickname: '阿杰', avatarUrl: null } }),
    ], nextCursor: null }),
  });
  const page = await open('pages/cohort/feed', { id: '3' });
  const posts = page.querySelectorAll('.post');

  // The first post has its avatar picture and no letter; the second, without a picture, has the letter.
  expect(page.querySelectorAll('.post__avatar--image')).toHaveLength(1);
  expect((page.instance.data as { items: { avatar: string }[] }).items[0].avatar).toBe('http://127.0.0.1:3000/uploads/img/avatar.jpg');
  expect(visibleText(posts[0])).toMatch(/^小红/);
  expect(visibleText(posts[1])).toMatch(/^阿阿杰/);
  expect(page.querySelectorAll('.via-group').map(visibleText)).toEqual(['群内打卡']);
  expect(visibleText(posts[0])).toContain('群内打卡');
});

test('点击重试 after a failed refresh refreshes (the first page), not the next page', async () => {
  let down = false;
  const server = fakeServer({
    'GET /cohorts/3/checkins?limit=10': () => (down ? NETWORK_DOWN : ok({ items: [checkin({ id: 12 })], nextCursor: '12' })),
    'GET /cohorts/3/checkins?limit=10&before=12': () => ok({ items: [checkin({ id: 11, text: '更早的' })], nextCursor: null }),
  });
  const page = await open('pages/cohort/feed', { id: '3' });
  down = true;
  await pageMethods<{ onPullDownRefresh(): Promise<void> }>(page).onPullDownRefresh();
  await settle();
  expect(textOf(page, '.footer__retry')).toBe('加载失败，点击重试');

  down = false;
  find(page, '.footer__retry').dispatchEvent('tap');
  await settle();
  expect(server.requests.at(-1)?.path).toBe('/cohorts/3/checkins?limit=10');
  expect(page.querySelectorAll('.post')).toHaveLength(1);
});

test('calendar text reads at 4.5:1 or better (done days, future days, labels)', async () => {
  fakeServer({ 'GET /me/cohorts/3/progress': () => ok(progress) });
  const page = await open('pages/cohort/progress', { id: '3' }, true);
  const tab = await inChromium(page, 'pages/cohort/progress');
  expect(await lowContrastText(tab)).toEqual([]);
});
