import { TOKEN_KEY } from '../../miniprogram/services/auth';
import { memberStore } from '../../miniprogram/stores/member';
import { reviewQueueStore } from '../../miniprogram/packageTeacher/stores/review-queue';
import { templatesStore } from '../../miniprogram/packageTeacher/stores/templates';
import { apiError, fakeServer, fakeUploads, ok } from './helpers/fake-server';
import { checkin, cohort, review, teacherWang } from './helpers/fixtures';
import { find, pageMethods, renderPage, settle, settleAnimations, tap, tapDialogButton, textOf, toastText, typeInto, visibleText, type RenderedPage } from './helpers/render';
import { storage } from './helpers/storage';

interface PageLifecycle {
  onLoad(query?: Record<string, string>): void;
  onShow(): Promise<void>;
  onReachBottom(): Promise<void>;
}

const queueItem = (id: number, text: string, extra = {}) => ({ ...checkin({ id, text, ...extra }), cohortTitle: '21天英语口语' });
const counts = { pendingToday: 2, pendingTotal: 3, doneToday: 1 };

beforeEach(async () => {
  storage.set(TOKEN_KEY, 'token-1');
  fakeServer({ 'POST /auth/wechat-login': () => ok({ token: 'token-1', member: teacherWang }) });
  await memberStore.login();
  reviewQueueStore.items = [];
  reviewQueueStore.cohortId = null;
  reviewQueueStore.status = 'idle';
  templatesStore.items = [];
});

afterEach(() => memberStore.logout());

async function openQueue(): Promise<RenderedPage> {
  const page = renderPage('packageTeacher/pages/queue/index');
  pageMethods<PageLifecycle>(page).onLoad();
  await settle();
  return page;
}

async function openReview(checkinId: number): Promise<RenderedPage> {
  const page = renderPage('packageTeacher/pages/review/index');
  pageMethods<PageLifecycle>(page).onLoad({ checkinId: String(checkinId) });
  await pageMethods<PageLifecycle>(page).onShow();
  await settle();
  return page;
}

const queueRoutes = {
  'GET /cohorts': () => ok({ items: [cohort(), cohort({ id: 4, title: '7天绘画', teacherIds: [42] }), cohort({ id: 5, title: '别人的期', teacherIds: [1] })] }),
  'GET /teacher/review-queue?limit=20': () =>
    ok({ items: [queueItem(101, '最早的一条'), queueItem(102, '第二条')], nextCursor: '102', counts }),
  'GET /teacher/review-queue?limit=20&after=102': () => ok({ items: [queueItem(103, '第三条')], nextCursor: null, counts }),
  'GET /teacher/review-queue?cohortId=4&limit=20': () => ok({ items: [], nextCursor: null, counts: { pendingToday: 0, pendingTotal: 0, doneToday: 0 } }),
  'GET /teacher/templates': () => ok({ items: [{ id: 1, text: '发音很清楚，继续保持！' }, { id: 2, text: '注意语速' }] }),
};

test('the queue shows the counts and the oldest check-ins first, pages with `after`, and filters by cohort', async () => {
  const server = fakeServer(queueRoutes);
  const page = await openQueue();

  expect(textOf(page, '.pending-today')).toBe('2');
  expect(textOf(page, '.pending-total')).toBe('3');
  expect(textOf(page, '.done-today')).toBe('1');
  expect(page.querySelectorAll('.item__text').map(visibleText)).toEqual(['最早的一条', '第二条']);
  // Only the cohorts I teach are offered as filters.
  expect(page.querySelectorAll('.filter').map(visibleText)).toEqual(['全部', '21天英语口语', '7天绘画']);

  await pageMethods<PageLifecycle>(page).onReachBottom();
  await settle();
  expect(page.querySelectorAll('.item__text').map(visibleText)).toEqual(['最早的一条', '第二条', '第三条']);

  page.querySelectorAll('.filter')[2].dispatchEvent('tap');
  await settle();
  expect(server.requests.at(-1)?.path).toBe('/teacher/review-queue?cohortId=4&limit=20');
  expect(textOf(page, '.queue-empty')).toBe('都点评完了，辛苦了');
});

test('a review sent from the composer leaves the queue; a quick reply fills the text', async () => {
  const server = fakeServer({
    ...queueRoutes,
    'POST /checkins/101/reviews': ({ body }) =>
      ok({ id: 1, checkinId: 101, teacher: { id: 42, nickname: '王老师' }, text: (body as { text: string }).text, audioUrl: null, audioSeconds: null, createdAt: '', updatedAt: '' }),
  });
  const queue = await openQueue();
  find(queue, '.item').dispatchEvent('tap');
  await settle();
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/packageTeacher/pages/review/index?checkinId=101' });

  const composer = await openReview(101);
  expect(visibleText(composer)).toContain('最早的一条');
  expect(composer.querySelectorAll('.template').map(visibleText)).toEqual(['发音很清楚，继续保持！', '注意语速']);

  composer.querySelectorAll('.template')[0].dispatchEvent('tap');
  await settle();
  expect(pageMethods<{ data: { text: string } }>(composer).data.text).toBe('发音很清楚，继续保持！');
  expect(textOf(composer, '.word-count')).toBe('11/1000');
  composer.querySelectorAll('.template')[1].dispatchEvent('tap');
  await settle();
  expect(pageMethods<{ data: { text: string } }>(composer).data.text).toBe('发音很清楚，继续保持！\n注意语速');

  expect(textOf(composer, '.submit-review')).toBe('发送并下一条');
  tap(composer, '.submit-review');
  await settleAnimations();

  expect(server.requests.at(-1)).toMatchObject({
    method: 'POST',
    path: '/checkins/101/reviews',
    body: { text: '发音很清楚，继续保持！\n注意语速' },
  });
  // 发送并下一条: the next check-in in the queue opens in place of this one.
  expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/packageTeacher/pages/review/index?checkinId=102' });
  expect(wx.navigateBack).not.toHaveBeenCalled();
  expect(queue.querySelectorAll('.item__text').map(visibleText)).toEqual(['第二条']);
  expect(textOf(queue, '.pending-total')).toBe('2');
  expect(textOf(queue, '.done-today')).toBe('2');
});

test('a voice note is recorded as mp3 (at most 60 s), uploaded, and sent with the review', async () => {
  const handlers: Record<string, (res?: unknown) => void> = {};
  const recorder = {
    start: jest.fn(() => handlers.start?.()),
    stop: jest.fn(() => handlers.stop?.({ tempFilePath: 'wxfile://tmp/voice.mp3', duration: 12000, fileSize: 9000 })),
    onStart: (fn: () => void) => (handlers.start = fn),
    onStop: (fn: (res?: unknown) => void) => (handlers.stop = fn),
    onError: (fn: () => void) => (handlers.error = fn),
  };
  Object.assign(wx, { getRecorderManager: () => recorder });
  const uploads = fakeUploads({
    'POST /uploads/audio': () => ({
      status: 201,
      body: { key: 'audio/2026/11/v.mp3', url: '/uploads/audio/2026/11/v.mp3', contentType: 'audio/mpeg', bytes: 9000, durationSeconds: 12 },
    }),
  });
  const server = fakeServer({
    ...queueRoutes,
    'POST /checkins/101/reviews': () => ok({}),
    'POST /checkins/101/feature': ({ body }) => ok({ checkinId: 101, featured: (body as { featured: boolean }).featured }),
  });
  await reviewQueueStore.load();
  const composer = await openReview(101);

  tap(composer, '.record');
  await settle();
  expect(recorder.start).toHaveBeenCalledWith(expect.objectContaining({ format: 'mp3', duration: 60000 }));
  expect(textOf(composer, '.record')).toContain('停止录音');
  tap(composer, '.record');
  await settleAnimations();

  expect(uploads.uploads).toEqual([{ path: '/uploads/audio', filePath: 'wxfile://tmp/voice.mp3', name: 'file', authorization: 'Bearer token-1' }]);
  expect(textOf(composer, '.play')).toBe('语音 12″');

  find(composer, '.feature-switch').dispatchEvent('change', { detail: { value: true } });
  await settleAnimations();
  expect(server.requests.at(-1)).toMatchObject({ path: '/checkins/101/feature', body: { featured: true } });
  expect(toastText(composer)).toBe('已设为精选');

  typeInto(composer, '.review-field', '听了你的录音，很棒');
  await settle();
  tap(composer, '.submit-review');
  await settleAnimations();
  expect(server.requests.at(-1)).toMatchObject({
    path: '/checkins/101/reviews',
    body: { text: '听了你的录音，很棒', audioUrl: '/uploads/audio/2026/11/v.mp3', audioSeconds: 12 },
  });
});

test('a refused review keeps the item in the queue and shows the Chinese message for its code', async () => {
  fakeServer({
    ...queueRoutes,
    'POST /checkins/101/reviews': () => apiError(403, 'FORBIDDEN', 'You do not teach this cohort.'),
  });
  await reviewQueueStore.load();
  const composer = await openReview(101);
  typeInto(composer, '.review-field', '很好');
  await settle();
  tap(composer, '.submit-review');
  await settleAnimations();

  expect(toastText(composer)).toBe('没有权限进行这个操作');
  expect(reviewQueueStore.items.map((i) => i.id)).toEqual([101, 102]);
  expect(wx.navigateBack).not.toHaveBeenCalled();
});

// ----- opened from a link (?checkinId=), not from the queue -----

test('opened from a link, the composer loads the check-in; my earlier review opens in edit mode and is saved with PUT', async () => {
  const mine = review({ id: 900, checkinId: 100, text: '发音很清楚', audioUrl: '/uploads/audio/2026/11/old.mp3', audioSeconds: 8 });
  const server = fakeServer({
    'GET /teacher/templates': () => ok({ items: [] }),
    'GET /checkins/100': () => ok(checkin({ id: 100, text: '今天读了一段新闻', review: mine })),
    'PUT /reviews/900': ({ body }) => ok({ ...mine, ...(body as object), updatedAt: '2026-11-21T08:00:00.000Z' }),
  });
  const composer = await openReview(100);

  expect(server.requests.map((r) => `${r.method} ${r.path}`)).toContain('GET /checkins/100');
  expect(visibleText(composer)).toContain('今天读了一段新闻');
  expect(textOf(composer, '.editing')).toBe('你已点评过这条打卡，修改后保存');
  expect(pageMethods<{ data: { text: string } }>(composer).data.text).toBe('发音很清楚');
  expect(textOf(composer, '.play')).toBe('语音 8″');
  expect(textOf(composer, '.submit-review')).toBe('保存修改');

  // Drop the voice note and rewrite the text.
  find(composer, '.audio__delete').dispatchEvent('tap');
  typeInto(composer, '.review-field', '发音很清楚，语调再自然一点');
  await settle();
  tap(composer, '.submit-review');
  await settleAnimations();

  expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([
    {
      method: 'PUT',
      path: '/reviews/900',
      authorization: 'Bearer token-1',
      body: { text: '发音很清楚，语调再自然一点', audioUrl: null, audioSeconds: null },
    },
  ]);
  expect(wx.showToast).toHaveBeenCalledWith({ title: '点评已修改', icon: 'success' });
  expect(wx.navigateBack).toHaveBeenCalled();
});

test('editing only the text of my review sends only the text', async () => {
  const mine = review({ id: 901, checkinId: 105, text: '不错', audioUrl: '/uploads/audio/2026/11/keep.mp3', audioSeconds: 5 });
  const server = fakeServer({
    'GET /teacher/templates': () => ok({ items: [] }),
    'GET /checkins/105': () => ok(checkin({ id: 105, review: mine })),
    'PUT /reviews/901': ({ body }) => ok({ ...mine, ...(body as object) }),
  });
  const composer = await openReview(105);
  typeInto(composer, '.review-field', '很不错');
  await settle();
  tap(composer, '.submit-review');
  await settleAnimations();

  expect(server.requests.at(-1)).toMatchObject({ method: 'PUT', path: '/reviews/901', body: { text: '很不错' } });
});

test("a check-in another teacher reviewed shows that review and no composer; a missing one shows the server's refusal", async () => {
  fakeServer({
    'GET /teacher/templates': () => ok({ items: [] }),
    'GET /checkins/100': () => ok(checkin({ id: 100, review: review({ teacher: { id: 43, nickname: '李老师' }, text: '继续加油' }) })),
    'GET /checkins/404': () => apiError(404, 'NOT_FOUND', 'Checkin not found'),
  });
  const composer = await openReview(100);
  expect(textOf(composer, '.others-review__head')).toBe('李老师已点评');
  expect(textOf(composer, '.others-review__text')).toBe('继续加油');
  expect(composer.querySelector('.review-field')).toBeUndefined();
  expect(composer.querySelector('.submit-review')).toBeUndefined();

  const missing = await openReview(404);
  expect(textOf(missing, '.load-error')).toContain('内容不存在或已被删除');
});

test('the last check-in in the queue is sent with 发送点评 and goes back to the queue', async () => {
  fakeServer({
    ...queueRoutes,
    'GET /teacher/review-queue?limit=20': () => ok({ items: [queueItem(101, '只剩这一条')], nextCursor: null, counts }),
    'POST /checkins/101/reviews': () => ok({}),
  });
  await reviewQueueStore.load();
  const composer = await openReview(101);
  expect(textOf(composer, '.submit-review')).toBe('发送点评');
  typeInto(composer, '.review-field', '很好');
  await settle();
  tap(composer, '.submit-review');
  await settleAnimations();
  expect(wx.navigateBack).toHaveBeenCalled();
  expect(wx.redirectTo).not.toHaveBeenCalled();
});

test('a voice note alone is a review (no text needed); with neither, the composer asks for one of them', async () => {
  const handlers: Record<string, (res?: unknown) => void> = {};
  const recorder = {
    start: jest.fn(() => handlers.start?.()),
    stop: jest.fn(() => handlers.stop?.({ tempFilePath: 'wxfile://tmp/voice.mp3', duration: 8000, fileSize: 6000 })),
    onStart: (fn: () => void) => (handlers.start = fn),
    onStop: (fn: (res?: unknown) => void) => (handlers.stop = fn),
    onError: (fn: () => void) => (handlers.error = fn),
  };
  Object.assign(wx, { getRecorderManager: () => recorder });
  fakeUploads({ 'POST /uploads/audio': () => ok({ key: 'a', url: '/uploads/audio/v.mp3', contentType: 'audio/mpeg', bytes: 6000, durationSeconds: 8 }) });
  const server = fakeServer({ ...queueRoutes, 'POST /checkins/101/reviews': () => ok({}) });
  await reviewQueueStore.load();
  const composer = await openReview(101);

  tap(composer, '.submit-review');
  await settleAnimations();
  expect(toastText(composer)).toBe('写几句点评，或录一段语音');
  expect(server.requests.some((r) => r.method === 'POST')).toBe(false);

  tap(composer, '.record');
  await settle();
  tap(composer, '.record');
  await settleAnimations();
  tap(composer, '.submit-review');
  await settleAnimations();
  expect(server.requests.at(-1)).toMatchObject({
    path: '/checkins/101/reviews',
    body: { text: '', audioUrl: '/uploads/audio/v.mp3', audioSeconds: 8 },
  });
});

test('a refused microphone explains how to allow it and opens the settings, instead of showing WeChat\'s error', async () => {
  const handlers: Record<string, (res?: unknown) => void> = {};
  const recorder = {
    start: jest.fn(() => handlers.error?.({ errMsg: 'operateRecorder:fail auth deny' })),
    stop: jest.fn(),
    onStart: (fn: () => void) => (handlers.start = fn),
    onStop: (fn: (res?: unknown) => void) => (handlers.stop = fn),
    onError: (fn: (res?: unknown) => void) => (handlers.error = fn),
  };
  const openSetting = jest.fn();
  Object.assign(wx, { getRecorderManager: () => recorder, openSetting });
  fakeServer(queueRoutes);
  await reviewQueueStore.load();
  const composer = await openReview(101);

  tap(composer, '.record');
  await settleAnimations();
  expect(visibleText(composer)).not.toContain('auth deny');
  expect(textOf(composer, '.mic-dialog')).toContain('请在设置里打开「麦克风」');
  tapDialogButton(composer, '.mic-dialog', 'confirm');
  await settle();
  expect(openSetting).toHaveBeenCalled();
});

test('the queue shows photo thumbnails (three, then a count) instead of "2 张照片"', async () => {
  fakeServer({
    ...queueRoutes,
    'GET /teacher/review-queue?limit=20': () => ok({ items: [
      queueItem(101, '早餐和笔记', { imageUrls: ['/uploads/img/1.jpg', '/uploads/img/2.jpg', '/uploads/img/3.jpg', '/uploads/img/4.jpg'] }),
      queueItem(102, '没有照片', { imageUrls: [] }),
    ], nextCursor: null, counts }),
  });
  const page = await openQueue();
  expect(visibleText(page)).not.toContain('张照片');
  expect(page.querySelectorAll('.item__thumb')).toHaveLength(3);
  expect(textOf(page, '.item__more')).toBe('+1');
});

test("the review screen plays the member's recording before the teacher reviews it", async () => {
  const player = { src: '', play: jest.fn(), stop: jest.fn(), destroy: jest.fn(), onEnded: jest.fn(), onStop: jest.fn(), onError: jest.fn() };
  Object.assign(wx, { createInnerAudioContext: jest.fn(() => player) });
  fakeServer({
    ...queueRoutes,
    'GET /teacher/review-queue?limit=20': () => ok({
      items: [queueItem(101, '', { audioUrl: '/uploads/audio/2026/11/m.m4a', audioSeconds: 47 })], nextCursor: null, counts,
    }),
  });
  await reviewQueueStore.load();
  const composer = await openReview(101);

  const voice = find(composer, '.member-voice');
  expect(visibleText(voice)).toContain('47″');
  tap(voice, '.voice');
  await settle();
  expect(player.src).toBe('http://127.0.0.1:3000/uploads/audio/2026/11/m.m4a');
  expect(player.play).toHaveBeenCalled();
  expect(composer.querySelector('.checkin__text')).toBeUndefined();
});
