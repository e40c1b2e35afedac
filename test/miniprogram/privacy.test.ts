import { TOKEN_KEY } from '../../miniprogram/services/auth';
import type { CheckinBody } from '../../miniprogram/services/api-types';
import { memberStore } from '../../miniprogram/stores/member';
import { listenForPrivacyAuthorization } from '../../miniprogram/utils/privacy';
import { fakeServer, ok } from './helpers/fake-server';
import { checkin, cohort } from './helpers/fixtures';
import { installPrivacyFake, privacy, privacyGated, tapAgreeButton } from './helpers/privacy';
import { find, pageMethods, renderPage, settle, settleAnimations, tap, tapDialogButton, textOf, toastText, typeInto, visibleText, type RenderedPage } from './helpers/render';
import { storage } from './helpers/storage';

/**
 * Issue 15: the privacy consent sheet (agree, refuse, agree later; WeChat's own request through
 * wx.onNeedPrivacyAuthorization) and Me → 隐私与数据 (the guide, a copy of my data, deleting the
 * account with two confirmations). One page of each kind per file (simulate registers per module).
 */
const tempFile = { tempFilePath: 'wxfile://tmp/a.jpg', size: 1000, fileType: 'image', duration: 0, height: 10, width: 10, thumbTempFilePath: '' };

beforeEach(() => {
  storage.set(TOKEN_KEY, 'token-1');
  installPrivacyFake(false);
  // The app registers its listener at launch (app.ts); WeChat keeps it for the app's life.
  listenForPrivacyAuthorization();
  Object.assign(wx, {
    chooseMedia: privacyGated('chooseMedia', (options: WechatMiniprogram.ChooseMediaOption) =>
      options.success?.({ type: 'image', tempFiles: [tempFile], errMsg: 'chooseMedia:ok' } as never),
    ),
  });
});

let composer: RenderedPage | null = null;
let privacyPage: RenderedPage | null = null;
afterEach(() => {
  composer?.detach();
  privacyPage?.detach();
  composer = null;
  privacyPage = null;
});

async function openComposer(): Promise<RenderedPage> {
  composer = renderPage('pages/cohort/checkin');
  pageMethods<{ onLoad(q: Record<string, string>): void }>(composer).onLoad({ id: '3' });
  await settle();
  return composer;
}

async function openPrivacyPage(): Promise<RenderedPage> {
  privacyPage = renderPage('pages/privacy/index');
  await settle();
  return privacyPage;
}

const sheetOf = (page: RenderedPage) => find(page, '.privacy-consent');
/** Whether the sheet is up (a closed popup keeps its text in the DOM, hidden). */
const sheetShown = (page: RenderedPage) => (sheetOf(page) as unknown as { data: { show: boolean } }).data.show;

function checkinServer() {
  return fakeServer({
    'GET /cohorts/3': () => ok(cohort({ enrolled: true })),
    'POST /cohorts/3/checkins': () => ok({ checkin: checkin(), awards: [{ reason: 'checkin', points: 10 }], streak: { current: 1, longest: 1, total: 1 }, balance: 10 }),
    'POST /uploads/images': () => ok({ url: '/uploads/img/2026/11/aaaa.jpg' }),
  });
}

test('agree: adding photos first shows the consent sheet with the guide; agreeing goes on to choose photos', async () => {
  checkinServer();
  const page = await openComposer();

  tap(page, '.photo__add');
  await settleAnimations();
  expect(sheetShown(page)).toBe(true);
  expect(visibleText(sheetOf(page))).toContain('添加照片（相册或拍照）需要你先阅读并同意《打卡积分小程序隐私保护指引》');
  expect(wx.chooseMedia).not.toHaveBeenCalled();

  find(sheetOf(page), '.consent__contract').dispatchEvent('tap');
  await settle();
  expect(privacy.contractOpened).toBe(1);

  tapAgreeButton(find(sheetOf(page), '#agree-privacy'));
  await settleAnimations();
  expect(wx.chooseMedia).toHaveBeenCalledWith(expect.objectContaining({ mediaType: ['image'] }));
  expect(privacy.answers).toEqual([]); // WeChat never had to ask: consent came first
  expect(sheetShown(page)).toBe(false);

  // Agreed once, agreed for good: the next photo goes straight to the picker.
  tap(page, '.photo__add');
  await settleAnimations();
  expect(wx.chooseMedia).toHaveBeenCalledTimes(2);
  expect(sheetShown(page)).toBe(false);
});

test('refuse: the check-in explains that photos need consent and still goes out with text only', async () => {
  const server = checkinServer();
  const page = await openComposer();

  tap(page, '.photo__add');
  await settleAnimations();
  tap(sheetOf(page), '.consent__refuse');
  await settleAnimations();

  expect(wx.chooseMedia).not.toHaveBeenCalled();
  expect(toastText(page)).toBe('没有同意隐私保护指引，不能添加照片；只写文字也可以打卡');
  expect(sheetShown(page)).toBe(false);

  typeInto(page, '.text-field', '今天只写文字');
  await settle();
  tap(page, '.submit-button');
  await settleAnimations();
  const sent = server.requests.filter((r) => r.method === 'POST' && r.path === '/cohorts/3/checkins').map((r) => r.body as CheckinBody);
  expect(sent).toEqual([{ text: '今天只写文字', imageUrls: [] }]);
  expect(textOf(page, '.result__title')).toBe('打卡成功');
});

test("WeChat's own request (wx.onNeedPrivacyAuthorization) is answered by the page's sheet: disagree fails the call, agree lets it through", async () => {
  checkinServer();
  const page = await openComposer();
  const chosen = jest.fn();
  const failed = jest.fn();

  wx.chooseMedia({ count: 1, success: chosen, fail: failed } as never);
  await settleAnimations();
  expect(sheetShown(page)).toBe(true);
  expect(visibleText(sheetOf(page))).toContain('选择照片或拍照需要你先阅读并同意');
  tap(sheetOf(page), '.consent__refuse');
  await settleAnimations();
  expect(privacy.answers).toEqual([{ api: 'chooseMedia', answer: 'disagree' }]);
  expect(failed).toHaveBeenCalledWith(expect.objectContaining({ errno: 104 }));
  expect(chosen).not.toHaveBeenCalled();

  wx.chooseMedia({ count: 1, success: chosen, fail: failed } as never);
  await settleAnimations();
  tapAgreeButton(find(sheetOf(page), '#agree-privacy'));
  await settleAnimations();
  expect(privacy.answers.at(-1)).toEqual({ api: 'chooseMedia', answer: 'agree' });
  expect(chosen).toHaveBeenCalledTimes(1);
});

test('agree later: after a refusal, Me → 隐私与数据 shows 未同意 and lets the member read and agree; photos then need no sheet', async () => {
  checkinServer();
  const page = await openPrivacyPage();
  expect(textOf(page, '.consent-state')).toContain('未同意');
  expect(textOf(page, '.contract-link')).toContain('阅读《打卡积分小程序隐私保护指引》');
  find(page, '.contract-link').querySelector('.van-cell')!.dispatchEvent('tap');
  await settle();
  expect(privacy.contractOpened).toBe(1);

  tap(page, '.agree-now');
  await settleAnimations();
  expect(sheetShown(page)).toBe(true);
  tapAgreeButton(find(sheetOf(page), '#agree-privacy'));
  await settleAnimations();
  expect(textOf(page, '.consent-state')).toContain('已同意');
  expect(page.querySelector('.agree-now')).toBeUndefined();

  page.detach();
  privacyPage = null;
  const checkinPage = await openComposer();
  tap(checkinPage, '.photo__add');
  await settleAnimations();
  expect(wx.chooseMedia).toHaveBeenCalledTimes(1);
  expect(sheetShown(checkinPage)).toBe(false);
});

test('download my data: the copy is fetched, saved as a JSON file, summed up, and can be sent to a chat', async () => {
  const writeFileSync = jest.fn();
  const shareFileMessage = jest.fn();
  Object.assign(wx, { getFileSystemManager: () => ({ writeFileSync }), shareFileMessage, env: { USER_DATA_PATH: 'wxfile://usr' } });
  const data = { exportedAt: '2026-11-30T02:00:00.000Z', memberId: 7, checkins: [{ id: 1 }, { id: 2 }], uploads: [{ url: '/uploads/a.jpg' }], pointsLedger: [{ delta: 10 }], redemptions: [] };
  const server = fakeServer({ 'GET /me/data-export': () => ok(data) });
  const page = await openPrivacyPage();

  tap(page, '.export-data');
  await settleAnimations();

  expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /me/data-export']);
  expect(writeFileSync).toHaveBeenCalledWith('wxfile://usr/my-data-2026-11-30.json', JSON.stringify(data, null, 2), 'utf8');
  expect(textOf(page, '.export-summary')).toBe('已准备好：2 次打卡、1 个照片和录音、1 条积分记录、0 次兑换');
  tap(page, '.share-export');
  await settle();
  expect(shareFileMessage).toHaveBeenCalledWith(expect.objectContaining({ filePath: 'wxfile://usr/my-data-2026-11-30.json', fileName: 'my-data-2026-11-30.json' }));
});

test('deleting the account takes two confirmations that say what goes and what stays; cancelling sends nothing', async () => {
  fakeServer({ 'POST /auth/wechat-login': () => ok({ token: 'token-1', member: { id: 7, nickname: '小明', avatarUrl: null, roles: ['member'] } }) });
  await memberStore.login();
  const server = fakeServer({ 'DELETE /me': () => ok({ deleted: true, deletedAt: '2026-11-30T02:00:00.000Z', redemptionsCancelled: 1, filesDeleted: 12 }) });
  const page = await openPrivacyPage();

  tap(page, '.delete-account');
  await settleAnimations();
  const first = visibleText(find(page, '.delete-step1'));
  expect(first).toContain('注销账号会删除什么');
  expect(first).toContain('会删除：昵称和头像、打卡的文字、照片和录音、评论、收货地址和手机号');
  expect(first).toContain('会保留（不再和你关联）：积分记录、订单和兑换记录');
  expect(first).toContain('还没发货的兑换会先取消，积分退回后再注销');
  tapDialogButton(page, '.delete-step1', 'cancel');
  await settleAnimations();
  expect(server.requests).toEqual([]);

  tap(page, '.delete-account');
  await settleAnimations();
  tapDialogButton(page, '.delete-step1', 'confirm');
  await settleAnimations();
  expect(visibleText(find(page, '.delete-step2'))).toContain('注销立即生效，无法恢复');
  expect(server.requests).toEqual([]);
  tapDialogButton(page, '.delete-step2', 'cancel');
  await settleAnimations();
  expect(server.requests).toEqual([]);

  tap(page, '.delete-account');
  await settleAnimations();
  tapDialogButton(page, '.delete-step1', 'confirm');
  await settleAnimations();
  tapDialogButton(page, '.delete-step2', 'confirm');
  await settleAnimations();

  expect(server.requests.map((r) => `${r.method} ${r.path} ${r.authorization}`)).toEqual(['DELETE /me Bearer token-1']);
  expect(textOf(page, '.deleted__title')).toBe('账号已注销');
  expect(memberStore.member).toBeNull();
  expect(storage.get(TOKEN_KEY)).toBeUndefined();
});
