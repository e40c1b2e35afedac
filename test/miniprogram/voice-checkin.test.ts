import { TOKEN_KEY } from '../../miniprogram/services/auth';
import type { CheckinBody } from '../../miniprogram/services/api-types';
import { fakeServer, fakeUploads, NETWORK_DOWN, ok, type ReceivedRequest } from './helpers/fake-server';
import { checkin, cohort } from './helpers/fixtures';
import { find, pageMethods, renderPage, settle, settleAnimations, tap, tapDialogButton, textOf, toastText, type RenderedPage } from './helpers/render';
import { storage } from './helpers/storage';

/** A fake wx.getRecorderManager: start and stop call the handlers the component registered, as WeChat does. */
function fakeRecorder(recording = { tempFilePath: 'wxfile://tmp/speech.mp3', duration: 23400 }) {
  const handlers: Record<string, (res?: unknown) => void> = {};
  const recorder = {
    start: jest.fn(() => handlers.start?.()),
    stop: jest.fn(() => handlers.stop?.({ ...recording, fileSize: 140000 })),
    onStart: (fn: () => void) => (handlers.start = fn),
    onStop: (fn: (res?: unknown) => void) => (handlers.stop = fn),
    onError: (fn: (res?: unknown) => void) => (handlers.error = fn),
  };
  Object.assign(wx, { getRecorderManager: () => recorder });
  return { recorder, handlers };
}

const allowMicrophone = (allowed: boolean) => {
  const authorize = jest.fn((options: { scope: string; success?: () => void; fail?: () => void }) => (allowed ? options.success?.() : options.fail?.()));
  const openSetting = jest.fn();
  Object.assign(wx, { authorize, openSetting });
  return { authorize, openSetting };
};

const checkins = (requests: ReceivedRequest[]) =>
  requests.filter((r) => r.method === 'POST' && r.path === '/cohorts/3/checkins').map((r) => r.body as CheckinBody);

const voiceOnly = () => cohort({ enrolled: true, checkinKinds: ['voice'], maxAudioSeconds: 90 });
const uploaded = { key: 'audio/2026/11/s.mp3', url: '/uploads/audio/2026/11/s.mp3', contentType: 'audio/mpeg', bytes: 140000, durationSeconds: 23 };

async function openComposer(): Promise<RenderedPage> {
  const page = renderPage('pages/cohort/checkin');
  pageMethods<{ onLoad(q: Record<string, string>): void }>(page).onLoad({ id: '3' });
  await settle();
  return page;
}

beforeEach(() => storage.set(TOKEN_KEY, 'token-1'));

test('a voice-only cohort shows the recorder and no text box; a recording is made, played back, uploaded and checked in with', async () => {
  const { recorder } = fakeRecorder();
  const { authorize } = allowMicrophone(true);
  const player = { src: '', play: jest.fn(), stop: jest.fn(), destroy: jest.fn(), onEnded: jest.fn(), onStop: jest.fn(), onError: jest.fn() };
  Object.assign(wx, { createInnerAudioContext: jest.fn(() => player) });
  const uploads = fakeUploads({ 'POST /uploads/audio': () => ({ status: 201, body: uploaded }) });
  const server = fakeServer({
    'GET /cohorts/3': () => ok(voiceOnly()),
    'POST /cohorts/3/checkins': () =>
      ok({ checkin: checkin({ text: '', audioUrl: uploaded.url, audioSeconds: 23 }), awards: [{ reason: 'checkin', points: 10 }], streak: { current: 1, longest: 1, total: 1 }, milestones: { streakDays: null, completed: false }, balance: 10 }),
    'GET /me/subscriptions': () => ok({ templates: [] }),
  });
  const page = await openComposer();
  expect(page.querySelector('.text-field')).toBeUndefined();
  expect(page.querySelector('.photos')).toBeUndefined();
  expect(textOf(page, '.asks')).toBe('录一段语音，完成今天的打卡');

  // Nothing recorded yet: the submit says what is missing.
  tap(page, '.submit-button');
  await settleAnimations();
  expect(toastText(page)).toBe('录一段语音，再提交打卡');

  const voice = find(page, '.voice-recorder');
  expect(textOf(voice, '.recorder__hint')).toBe('最长 1′30″，录完可以试听和重录');
  tap(voice, '.recorder__start');
  await settle();
  expect(authorize).toHaveBeenCalledWith(expect.objectContaining({ scope: 'scope.record' }));
  expect(recorder.start).toHaveBeenCalledWith(expect.objectContaining({ format: 'mp3', duration: 90000, numberOfChannels: 1 }));
  expect(textOf(voice, '.recorder__elapsed')).toBe('0″ / 1′30″');
  await new Promise((resolve) => setTimeout(resolve, 2100));
  expect(textOf(voice, '.recorder__elapsed')).toBe('2″ / 1′30″');

  tap(voice, '.recorder__stop');
  await settleAnimations();
  // The cohort is named, so its own limit (90 s here) applies on the server.
  expect(uploads.uploads).toEqual([expect.objectContaining({ path: '/uploads/audio', filePath: 'wxfile://tmp/speech.mp3', name: 'file', formData: { cohortId: '3' } })]);
  expect(textOf(voice, '.recorder__ready')).toBe('已上传 ✓');
  expect(textOf(voice, '.recorder__play')).toContain('23″');

  // Play back: the local recording, through one InnerAudioContext.
  tap(find(voice, '.recorder__play'), '.voice');
  await settle();
  expect(player.src).toBe('wxfile://tmp/speech.mp3');
  expect(player.play).toHaveBeenCalled();

  tap(page, '.submit-button');
  await settleAnimations();
  expect(checkins(server.requests)).toEqual([{ text: '', imageUrls: [], audioUrl: '/uploads/audio/2026/11/s.mp3' }]);
  expect(textOf(page, '.result__title')).toBe('打卡成功');
});

test('a failed upload offers a retry; re-recording replaces the take', async () => {
  fakeRecorder();
  allowMicrophone(true);
  let answers = 0;
  const uploads = fakeUploads({ 'POST /uploads/audio': () => (++answers === 1 ? NETWORK_DOWN : { status: 201, body: uploaded }) });
  const server = fakeServer({ 'GET /cohorts/3': () => ok(voiceOnly()) });
  const page = await openComposer();
  const voice = find(page, '.voice-recorder');

  tap(voice, '.recorder__start');
  await settle();
  tap(voice, '.recorder__stop');
  await settleAnimations();
  expect(textOf(voice, '.recorder__failed')).toContain('上传失败');
  tap(page, '.submit-button');
  await settleAnimations();
  expect(toastText(page)).toBe('录音上传失败，请重试或删除');
  expect(checkins(server.requests)).toEqual([]);

  tap(voice, '.recorder__retry');
  await settleAnimations();
  expect(textOf(voice, '.recorder__ready')).toBe('已上传 ✓');

  tap(voice, '.recorder__again');
  await settle();
  expect(textOf(voice, '.recorder__live')).toContain('录音中');
  tap(voice, '.recorder__stop');
  await settleAnimations();
  expect(uploads.uploads).toHaveLength(3);
});

test('a refused microphone explains itself and leads to the settings', async () => {
  const { recorder } = fakeRecorder();
  const { openSetting } = allowMicrophone(false);
  fakeServer({ 'GET /cohorts/3': () => ok(voiceOnly()) });
  const page = await openComposer();
  const voice = find(page, '.voice-recorder');

  tap(voice, '.recorder__start');
  await settleAnimations();
  expect(recorder.start).not.toHaveBeenCalled();
  expect(textOf(voice, '.mic-dialog')).toContain('请在设置里打开「麦克风」');
  tapDialogButton(voice as unknown as RenderedPage, '.mic-dialog', 'confirm');
  await settle();
  expect(openSetting).toHaveBeenCalled();
});

test('the success screen celebrates a 7-day streak, and completion on the last day', async () => {
  const result = (milestones: { streakDays: number | null; completed: boolean }) =>
    ok({ checkin: checkin(), awards: [{ reason: 'checkin', points: 10 }, { reason: 'streak_bonus', points: 30 }], streak: { current: 7, longest: 7, total: 7 }, milestones, balance: 120 });
  let milestones = { streakDays: 7 as number | null, completed: false };
  fakeServer({
    'GET /cohorts/3': () => ok(cohort({ enrolled: true, durationDays: 21 })),
    'POST /cohorts/3/checkins': () => result(milestones),
    'GET /me/subscriptions': () => ok({ templates: [] }),
  });
  const page = await openComposer();
  find(page, '.text-field').dispatchEvent('input', { detail: { value: 'Day 7!' } });
  tap(page, '.submit-button');
  await settleAnimations();
  expect(textOf(page, '.celebration')).toContain('连续打卡 7 天！');

  milestones = { streakDays: 21, completed: true };
  const last = await openComposer();
  find(last, '.text-field').dispatchEvent('input', { detail: { value: 'Day 21!' } });
  tap(last, '.submit-button');
  await settleAnimations();
  expect(textOf(last, '.celebration')).toContain('全勤完成！');
  expect(textOf(last, '.celebration')).toContain('21 天一天不落');

  milestones = { streakDays: null, completed: false };
  const plain = await openComposer();
  find(plain, '.text-field').dispatchEvent('input', { detail: { value: 'Day 3' } });
  tap(plain, '.submit-button');
  await settleAnimations();
  expect(plain.querySelector('.celebration')).toBeUndefined();
});
