import { TOKEN_KEY } from '../../miniprogram/services/auth';
import type { CheckinBody } from '../../miniprogram/services/api-types';
import { groupProofStore } from '../../miniprogram/stores/group-proof';
import { pointsStore } from '../../miniprogram/stores/points';
import { NETWORK_DOWN, apiError, fakeServer, fakeUploads, ok, type ReceivedRequest } from './helpers/fake-server';
import { checkin, cohort } from './helpers/fixtures';
import { LEAVE_WARNING, draftKey } from '../../miniprogram/utils/draft';
import { subscribeOffer } from '../../miniprogram/utils/subscribe';
import { boxes, inChromium } from './helpers/browser';
import { find, pageMethods, renderPage, settle, settleAnimations, tap, tapDialogButton, textOf, toastText, typeInto, visibleText, type RenderedPage } from './helpers/render';
import { storage } from './helpers/storage';

const success = (awards: { reason: string; points: number }[], balance: number) =>
  ok({ checkin: checkin(), awards, streak: { current: 3, longest: 5, total: 8 }, balance });

const checkins = (requests: ReceivedRequest[]) =>
  requests.filter((r) => r.method === 'POST' && r.path === '/cohorts/3/checkins').map((r) => r.body as CheckinBody);

async function openComposer(query: Record<string, string> = { id: '3' }): Promise<RenderedPage> {
  const page = renderPage('pages/cohort/checkin');
  pageMethods<{ onLoad(q: Record<string, string>): void }>(page).onLoad(query);
  await settle();
  return page;
}

async function submit(page: RenderedPage, text = '今天读了一段新闻') {
  typeInto(page, '.text-field', text);
  await settle();
  tap(page, '.submit-button');
  await settleAnimations();
}

beforeEach(() => storage.set(TOKEN_KEY, 'token-1'));

test("the composer shows today's prompt; a check-in shows each award in Chinese, the streak and the balance", async () => {
  const server = fakeServer({
    'GET /cohorts/3': () => ok(cohort({ enrolled: true })),
    'POST /cohorts/3/checkins': () =>
      success(
        [
          { reason: 'checkin', points: 10 },
          { reason: 'streak_bonus', points: 30 },
          { reason: 'completion_bonus', points: 50 },
        ],
        140,
      ),
    'GET /me/subscriptions': () =>
      ok({ templates: [{ key: 'reminder', templateId: 'T-REMIND', sendsLeft: 0 }, { key: 'review', templateId: 'T-REVIEW', sendsLeft: 1 }, { key: 'offer', templateId: 'T-OFFER', sendsLeft: 0 }] }),
    'POST /me/subscriptions': () => ok({ templates: [] }),
  });
  const page = await openComposer();
  expect(textOf(page, '.prompt')).toBe('今日主题：介绍你的早餐');
  expect(page.querySelector('.group-badge')).toBeUndefined();

  await submit(page, '  今天读了一段新闻  ');

  expect(checkins(server.requests)).toEqual([{ text: '今天读了一段新闻', imageUrls: [] }]);
  expect(textOf(page, '.result__title')).toBe('打卡成功');
  expect(page.querySelectorAll('.award').map(visibleText)).toEqual(['打卡+10', '连续打卡奖励+30', '全勤奖励+50']);
  expect(textOf(page, '.streak')).toBe('连续打卡 3 天 · 最长 5 天 · 累计 8 天');
  expect(textOf(page, '.balance')).toBe('当前积分 140');
  expect(pointsStore.balance).toBe(140);

  // Consent is asked from the button's tap, for the reminder and review templates only.
  const requestSubscribeMessage = jest.fn((options: WechatMiniprogram.RequestSubscribeMessageOption) =>
    options.success?.({ errMsg: 'requestSubscribeMessage:ok', 'T-REMIND': 'accept', 'T-REVIEW': 'reject' } as never),
  );
  Object.assign(wx, { requestSubscribeMessage });
  tap(page, '.subscribe');
  await settleAnimations();

  expect(requestSubscribeMessage).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: ['T-REMIND', 'T-REVIEW'] }));
  expect(server.requests.at(-1)).toMatchObject({
    method: 'POST',
    path: '/me/subscriptions',
    body: { results: { 'T-REMIND': 'accept', 'T-REVIEW': 'reject' } },
  });
  expect(toastText(page)).toBe('好的，明天会提醒你打卡');
  expect(page.querySelector('.subscribe')).toBeUndefined();
});

test('CHECKIN_ALREADY_DONE shows that today is already checked in', async () => {
  fakeServer({
    'GET /cohorts/3': () => ok(cohort({ enrolled: true })),
    'POST /cohorts/3/checkins': () => apiError(409, 'CHECKIN_ALREADY_DONE', 'You have already checked in today.'),
  });
  const page = await openComposer();
  await submit(page);

  expect(textOf(page, '.already')).toContain('今天已打卡');
  expect(page.querySelector('.submit-button')).toBeUndefined();
});

test('COHORT_NOT_RUNNING shows its Chinese message', async () => {
  fakeServer({
    'GET /cohorts/3': () => ok(cohort({ enrolled: true })),
    'POST /cohorts/3/checkins': () => apiError(409, 'COHORT_NOT_RUNNING', 'The cohort is not running.'),
  });
  const page = await openComposer();
  await submit(page);

  expect(textOf(page, '.not-running')).toBe('本期打卡不在进行中');
});

test('other refusals (CONTENT_REJECTED) keep the text and show the message in a toast', async () => {
  fakeServer({
    'GET /cohorts/3': () => ok(cohort({ enrolled: true })),
    'POST /cohorts/3/checkins': () => apiError(400, 'CONTENT_REJECTED', 'The content did not pass the safety check.'),
  });
  const page = await openComposer();
  await submit(page);

  expect(toastText(page)).toBe('内容未通过安全检查，请修改后再试');
  expect(page.querySelector('.submit-button')).toBeDefined();
  expect(pageMethods<{ data: { text: string } }>(page).data.text).toBe('今天读了一段新闻');
});

test('a network error shows a retry button, and retrying sends the same check-in', async () => {
  let up = false;
  const server = fakeServer({
    'GET /cohorts/3': () => ok(cohort({ enrolled: true })),
    'POST /cohorts/3/checkins': () => (up ? success([{ reason: 'checkin', points: 10 }], 30) : NETWORK_DOWN),
  });
  const page = await openComposer();
  await submit(page);

  expect(textOf(page, '.network-error')).toBe('网络连接失败，请检查网络后重试重试');
  expect(page.querySelector('.result')).toBeUndefined();

  up = true;
  tap(page, '.retry-submit');
  await settleAnimations();

  expect(checkins(server.requests)).toEqual([
    { text: '今天读了一段新闻', imageUrls: [] },
    { text: '今天读了一段新闻', imageUrls: [] },
  ]);
  expect(textOf(page, '.result__title')).toBe('打卡成功');
  expect(textOf(page, '.balance')).toBe('当前积分 30');
});

test('a held group proof goes with the check-in and earns the group bonus', async () => {
  groupProofStore.hold({ encryptedData: 'ENC', iv: 'IV' });
  const server = fakeServer({
    'GET /cohorts/3': () => ok(cohort({ enrolled: true })),
    'POST /cohorts/3/checkins': ({ body }) =>
      (body as CheckinBody).groupProof?.encryptedData === 'ENC'
        ? success([{ reason: 'checkin', points: 10 }, { reason: 'group_bonus', points: 10 }], 50)
        : apiError(400, 'VALIDATION_FAILED', 'no proof'),
  });
  const page = await openComposer();
  expect(textOf(page, '.group-badge')).toBe('群内打卡 · 双倍积分');

  await submit(page);

  expect(checkins(server.requests)).toEqual([{ text: '今天读了一段新闻', imageUrls: [], groupProof: { encryptedData: 'ENC', iv: 'IV' } }]);
  expect(page.querySelectorAll('.award').map(visibleText)).toEqual(['打卡+10', '群内打卡加倍+10']);
});

test('on GROUP_MISMATCH the proof is dropped and "check in without the bonus" sends no proof', async () => {
  groupProofStore.hold({ encryptedData: 'OTHER-GROUP', iv: 'IV' });
  const server = fakeServer({
    'GET /cohorts/3': () => ok(cohort({ enrolled: true })),
    'POST /cohorts/3/checkins': ({ body }) =>
      (body as CheckinBody).groupProof
        ? apiError(400, 'GROUP_MISMATCH', "The proof is not from this cohort's group.")
        : success([{ reason: 'checkin', points: 10 }], 20),
  });
  const page = await openComposer();
  await submit(page);

  const dialog = find(page, '.proof-dialog');
  expect(visibleText(dialog)).toContain('未能确认群内打卡');
  expect(visibleText(dialog)).toContain('这不是本期的打卡群，不带群证明打卡可得基础积分');
  expect(groupProofStore.held).toBe(false);
  expect(page.querySelector('.group-badge')).toBeUndefined();

  expect(visibleText(dialog)).toContain('按普通积分打卡');
  expect(visibleText(dialog)).not.toContain('不带群加倍打卡');
  tapDialogButton(page, '.proof-dialog', 'confirm');
  await settleAnimations();

  const sent = checkins(server.requests);
  expect(sent).toHaveLength(2);
  expect(sent[0].groupProof).toEqual({ encryptedData: 'OTHER-GROUP', iv: 'IV' });
  expect(sent[1]).toEqual({ text: '今天读了一段新闻', imageUrls: [] });
  expect(page.querySelectorAll('.award').map(visibleText)).toEqual(['打卡+10']);
});

test('a make-up sends makeUpDate (and never the group proof) and lists the fee', async () => {
  groupProofStore.hold({ encryptedData: 'ENC', iv: 'IV' });
  const server = fakeServer({
    'GET /cohorts/3': () => ok(cohort({ enrolled: true })),
    'POST /cohorts/3/checkins': () => success([{ reason: 'make_up_fee', points: -20 }, { reason: 'checkin', points: 10 }], 70),
  });
  const page = await openComposer({ id: '3', makeUpDate: '2026-11-19' });
  expect(textOf(page, '.head__title')).toBe('补卡 · 11月19日');
  expect(textOf(page, '.prompt')).toBe('当天主题：我的家乡');
  expect(page.querySelector('.group-badge')).toBeUndefined();

  await submit(page, '补上昨天的朗读');

  expect(checkins(server.requests)).toEqual([{ text: '补上昨天的朗读', imageUrls: [], makeUpDate: '2026-11-19' }]);
  expect(textOf(page, '.result__title')).toBe('补卡成功');
  expect(page.querySelectorAll('.award').map(visibleText)).toEqual(['补卡-20', '打卡+10']);
});

test('photos: chosen with wx.chooseMedia, uploaded one by one with progress, a failed one retried, then sent', async () => {
  Object.assign(wx, {
    chooseMedia: jest.fn((options: WechatMiniprogram.ChooseMediaOption) =>
      options.success?.({
        type: 'image',
        tempFiles: [
          { tempFilePath: 'wxfile://tmp/a.jpg', size: 1000, fileType: 'image', duration: 0, height: 10, width: 10, thumbTempFilePath: '' },
          { tempFilePath: 'wxfile://tmp/b.jpg', size: 1000, fileType: 'image', duration: 0, height: 10, width: 10, thumbTempFilePath: '' },
        ],
        errMsg: 'chooseMedia:ok',
      } as never),
    ),
  });
  let bWorks = false;
  const uploads = fakeUploads({
    'POST /uploads/images': ({ filePath, authorization }) => {
      if (authorization !== 'Bearer token-1') return apiError(401, 'UNAUTHENTICATED', 'no token');
      if (filePath.endsWith('b.jpg') && !bWorks) return NETWORK_DOWN;
      const name = filePath.endsWith('a.jpg') ? 'aaaa' : 'bbbb';
      return { status: 201, body: { key: `img/2026/11/${name}.jpg`, url: `/uploads/img/2026/11/${name}.jpg`, contentType: 'image/jpeg', bytes: 1000 } };
    },
  });
  const server = fakeServer({
    'GET /cohorts/3': () => ok(cohort({ enrolled: true })),
    'POST /cohorts/3/checkins': () => success([{ reason: 'checkin', points: 10 }], 10),
  });
  const page = await openComposer();

  tap(page, '.photo__add');
  await settle();
  expect(wx.chooseMedia).toHaveBeenCalledWith(expect.objectContaining({ count: 9, mediaType: ['image'] }));
  await settleAnimations();

  expect(uploads.uploads.map((u) => [u.path, u.name, u.filePath])).toEqual([
    ['/uploads/images', 'file', 'wxfile://tmp/a.jpg'],
    ['/uploads/images', 'file', 'wxfile://tmp/b.jpg'],
  ]);
  expect(page.querySelectorAll('.photo--done')).toHaveLength(1);
  expect(textOf(page, '.photo__retry')).toBe('上传失败 点击重试');
  expect(textOf(page, '.photo__count')).toBe('2/9');

  // Submitting with a failed photo is refused with a hint.
  await submit(page);
  expect(toastText(page)).toBe('有照片上传失败，请重试或删除');
  expect(checkins(server.requests)).toEqual([]);

  bWorks = true;
  tap(page, '.photo__retry');
  await settleAnimations();
  expect(uploads.uploads).toHaveLength(3);
  expect(page.querySelectorAll('.photo--done')).toHaveLength(2);
  expect(page.querySelector('.photo__retry')).toBeUndefined();

  tap(page, '.submit-button');
  await settleAnimations();
  expect(checkins(server.requests)).toEqual([
    { text: '今天读了一段新闻', imageUrls: ['/uploads/img/2026/11/aaaa.jpg', '/uploads/img/2026/11/bbbb.jpg'] },
  ]);
});

test('upload progress is shown on the photo while it uploads', async () => {
  Object.assign(wx, {
    chooseMedia: (options: WechatMiniprogram.ChooseMediaOption) =>
      options.success?.({ type: 'image', tempFiles: [{ tempFilePath: 'wxfile://tmp/c.jpg' }], errMsg: 'chooseMedia:ok' } as never),
  });
  let progress: ((res: { progress: number }) => void) | undefined;
  Object.assign(wx, {
    uploadFile: () => ({ onProgressUpdate: (listener: typeof progress) => (progress = listener), abort: jest.fn() }),
  });
  fakeServer({ 'GET /cohorts/3': () => ok(cohort({ enrolled: true })) });
  const page = await openComposer();

  tap(page, '.photo__add');
  await settle();
  expect(textOf(page, '.photo__progress')).toBe('0%');
  progress?.({ progress: 40 });
  await settle();
  expect(textOf(page, '.photo__progress')).toBe('40%');
});

test("opened after today's check-in, the composer says so at once instead of on submit", async () => {
  const server = fakeServer({
    'GET /cohorts/3': () => ok(cohort({ enrolled: true, me: { enrolled: true, checkedInToday: true, todayCheckinId: 9, streak: { current: 2, longest: 2, total: 2 }, missedDays: 0, makeUpsLeft: 2 } })),
  });
  const page = await openComposer();
  expect(textOf(page, '.already')).toContain('今天已打卡');
  expect(page.querySelector('.text-field')).toBeUndefined();
  // Nothing is sent: the page only read the cohort (and my invite code for its share card).
  expect(server.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual(['GET /cohorts/3', 'GET /me/invite-code?cohortId=3&source=card']);
});

test('what is typed is kept as a draft: WeChat asks before going back, the text comes back next time, a check-in clears it', async () => {
  fakeServer({ 'GET /cohorts/3': () => ok(cohort({ enrolled: true })), 'POST /cohorts/3/checkins': () => success([{ reason: 'checkin', points: 10 }], 10) });
  const page = await openComposer();
  typeInto(page, '.text-field', '今天读了一段新闻，');
  await settle();
  expect(wx.enableAlertBeforeUnload).toHaveBeenLastCalledWith({ message: LEAVE_WARNING });
  const key = [...storage.keys()].find((k) => k.startsWith('checkin-draft:3:'));
  expect(key).toBeDefined();
  expect(storage.get(key!)).toBe('今天读了一段新闻，');
  page.detach();

  const again = await openComposer();
  expect((again.instance.data as { text: string }).text).toBe('今天读了一段新闻，');
  expect(textOf(again, '.draft-note')).toBe('已恢复上次没提交的草稿');

  tap(again, '.submit-button');
  await settleAnimations();
  expect(textOf(again, '.result')).toContain('打卡成功');
  expect(storage.has(key!)).toBe(false);
  expect(wx.disableAlertBeforeUnload).toHaveBeenCalled();
  expect(draftKey(3, '2026-11-20')).toBe('checkin-draft:3:2026-11-20');
});

test('the success screen can be shared (a card with the day and the streak), and so can the composer', async () => {
  fakeServer({ 'GET /cohorts/3': () => ok(cohort({ enrolled: true })), 'POST /cohorts/3/checkins': () => success([{ reason: 'checkin', points: 10 }], 10) });
  const page = await openComposer();
  expect(wx.showShareMenu).toHaveBeenCalledWith(expect.objectContaining({ menus: ['shareAppMessage'] }));
  const share = () => pageMethods<{ onShareAppMessage(): { title: string; path: string } }>(page).onShareAppMessage();
  expect(share()).toEqual({ title: '一起来打卡：21天英语口语', path: '/pages/cohort/index?id=3' });
  await submit(page);
  expect(share()).toEqual({ title: '我在「21天英语口语」打卡第3天，已连续3天', path: '/pages/cohort/index?id=3' });
  expect(textOf(page, '.share')).toBe('分享给好友');
});

test('near the end of a cohort the success screen asks for the offers and the next cohort too', async () => {
  expect(subscribeOffer(3, 7)).toEqual({ keys: ['reminder', 'review'], label: '提醒我明天打卡' });
  expect(subscribeOffer(5, 7).keys).toEqual(['reminder', 'offer', 'invitation']);
  expect(subscribeOffer(7, 7).keys).toEqual(['review', 'offer', 'invitation']);

  fakeServer({
    'GET /cohorts/3': () => ok(cohort({ enrolled: true, dayIndex: 7, todayPrompt: null })),
    'POST /cohorts/3/checkins': () => success([{ reason: 'checkin', points: 10 }], 10),
    'GET /me/subscriptions': () => ok({ templates: [
      { key: 'reminder', templateId: 'T-REMIND', sendsLeft: 0 }, { key: 'review', templateId: 'T-REVIEW', sendsLeft: 0 },
      { key: 'offer', templateId: 'T-OFFER', sendsLeft: 0 }, { key: 'invitation', templateId: 'T-INVITE', sendsLeft: 0 },
    ] }),
  });
  const requestSubscribeMessage = jest.fn();
  Object.assign(wx, { requestSubscribeMessage });
  const page = await openComposer();
  await submit(page);
  expect(textOf(page, '.subscribe')).toBe('通知我老师点评和结营后的续报优惠');
  tap(page, '.subscribe');
  await settle();
  expect(requestSubscribeMessage).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: ['T-REVIEW', 'T-OFFER', 'T-INVITE'] }));
});

test("a photo's delete button is a 44 px target with a label, and the submit button stays above the home indicator", async () => {
  fakeServer({ 'GET /cohorts/3': () => ok(cohort({ enrolled: true })) });
  fakeUploads({ 'POST /uploads/images': () => ok({ key: 'k', url: '/uploads/images/k.jpg', contentType: 'image/jpeg', bytes: 10 }) });
  Object.assign(wx, { chooseMedia: (options: { success: (res: unknown) => void }) => options.success({ tempFiles: [{ tempFilePath: 'wxfile://tmp/a.jpg' }] }) });
  const page = await openComposer();
  find(page, '.photo__add').dispatchEvent('tap');
  await settleAnimations();
  typeInto(page, '.text-field', '长'.repeat(1500));
  await settle();

  const tab = await inChromium(page, 'pages/cohort/checkin');
  const [remove] = await boxes(tab, '.main--photo__remove');
  expect(remove.width).toBeGreaterThanOrEqual(44);
  expect(remove.height).toBeGreaterThanOrEqual(44);
  expect(await tab.getAttribute('.main--photo__remove', 'aria-label')).toBe('删除这张照片');
  expect(await tab.getAttribute('.main--photo__add', 'aria-label')).toBe('添加照片');
  const [button] = await boxes(tab, '.main--submit-button');
  expect(button.y + button.height).toBeLessThanOrEqual(812 - 34);
});
