import { memberStore } from '../../miniprogram/stores/member';
import { consoleTicketOf } from '../../miniprogram/utils/console-login';
import { apiError, fakeServer, ok } from './helpers/fake-server';
import { pageMethods, renderPage, settle, settleAnimations, toastText, visibleText, type RenderedPage } from './helpers/render';

const TICKET = 'AbCdEfGhIjKlMnOpQrStUv';
const teacher = { id: 42, nickname: '王老师', avatarUrl: null, roles: ['member', 'teacher'] };
const member = { id: 7, nickname: '小明', avatarUrl: null, roles: ['member'] };

async function logInAs(who: typeof teacher) {
  fakeServer({ 'POST /auth/wechat-login': () => ok({ token: 'token-me', member: who }) });
  expect(await memberStore.login()).toBe(true);
}

async function openMe(who: typeof teacher): Promise<RenderedPage> {
  await logInAs(who);
  const page = renderPage('me');
  fakeServer({
    'GET /me': () => ok(who),
    'GET /me/points?limit=1': () => ok({ balance: 30, entries: [], nextCursor: null }),
    'GET /me/notifications': () => ok({ items: [] }),
    'GET /me/subscriptions': () => ok({ templates: [] }),
  });
  (page.instance as unknown as { onShow(): void }).onShow();
  await settle();
  return page;
}

function scanAnswers(result: string | 'cancel') {
  const scanCode = jest.fn(() => (result === 'cancel' ? Promise.reject({ errMsg: 'scanCode:fail cancel' }) : Promise.resolve({ result })));
  Object.assign(wx, { scanCode });
  return scanCode;
}

async function tapScan(page: RenderedPage) {
  page.querySelector('.console-login-link')!.querySelector('.van-cell')!.dispatchEvent('tap');
  await settle();
  await settleAnimations();
}

afterEach(() => memberStore.logout());

test('the console QR code is recognised by its prefix and a 22-character ticket, nothing else', () => {
  expect(consoleTicketOf(`checkin-console-login:${TICKET}`)).toBe(TICKET);
  expect(consoleTicketOf(` checkin-console-login:${TICKET}\n`)).toBe(TICKET);
  expect(consoleTicketOf('https://example.com/')).toBeNull();
  expect(consoleTicketOf(`checkin-console-login:${TICKET}x`)).toBeNull();
  expect(consoleTicketOf('checkin-console-login:../../me')).toBeNull();
});

test('Me offers 扫码登录控制台 to teachers, scans with the camera and opens the confirm page', async () => {
  const page = await openMe(teacher);
  const scanCode = scanAnswers(`checkin-console-login:${TICKET}`);
  expect(visibleText(page.querySelector('.console-login-link')!)).toContain('扫码登录控制台');
  await tapScan(page);
  expect(scanCode).toHaveBeenCalledWith({ onlyFromCamera: true, scanType: ['qrCode'] });
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: `/packageConsole/pages/login/index?ticket=${TICKET}` });
});

test('another code says what to scan instead; closing the scanner does nothing', async () => {
  const page = await openMe(teacher);
  scanAnswers('https://mp.weixin.qq.com/something');
  await tapScan(page);
  expect(toastText(page)).toContain('这不是控制台的登录二维码');
  expect(wx.navigateTo).not.toHaveBeenCalled();
  scanAnswers('cancel');
  await tapScan(page);
  expect(wx.navigateTo).not.toHaveBeenCalled();
});

test('members without a staff role are not offered the console', async () => {
  const page = await openMe(member);
  expect(page.querySelector('.console-login-link')).toBeUndefined();
});

describe('the confirm page', () => {
  const requestPath = `GET /console/login-tickets/${TICKET}/browser`;
  const approvePath = `POST /console/login-tickets/${TICKET}/approve`;
  const pending = { state: 'pending', browser: 'Chrome · Windows', ip: '203.0.113.7', requestedAt: '2026-03-04T02:30:00.000Z', expiresAt: '2026-03-04T02:32:00.000Z' };

  async function openConfirm(routes: Parameters<typeof fakeServer>[0]) {
    await logInAs(teacher);
    const server = fakeServer(routes);
    const page = renderPage('packageConsole/pages/login/index');
    await pageMethods<{ onLoad(query: object): Promise<void> }>(page).onLoad({ ticket: TICKET });
    await settle();
    return { page, server };
  }

  it('names the browser, its address and the time (Beijing), and approves once on confirm', async () => {
    const { page, server } = await openConfirm({ [requestPath]: () => ok(pending), [approvePath]: () => ({ status: 204, body: '' }) });
    const text = visibleText(page);
    expect(text).toContain('在电脑上登录控制台？');
    expect(text).toContain('浏览器Chrome · Windows');
    expect(text).toContain('IP 地址203.0.113.7');
    expect(text).toContain('请求时间2026-03-04 10:30');
    expect(text).toContain('（老师）');

    page.querySelector('.approve')!.querySelector('.van-button')!.dispatchEvent('tap');
    await settle();
    expect(server.requests.filter((r) => r.method === 'POST')).toEqual([{ method: 'POST', path: `/console/login-tickets/${TICKET}/approve`, body: {}, authorization: 'Bearer token-me' }]);
    expect(visibleText(page)).toContain('已确认登录');
  });

  it('says so when the code has expired, before and at approval', async () => {
    const expired = await openConfirm({ [requestPath]: () => ok({ ...pending, state: 'expired' }) });
    expect(visibleText(expired.page)).toContain('二维码已过期');
    expect(expired.page.querySelector('.approve')).toBeUndefined();

    const late = await openConfirm({
      [requestPath]: () => ok(pending),
      [approvePath]: () => apiError(410, 'LOGIN_TICKET_EXPIRED', 'This login QR code has expired'),
    });
    late.page.querySelector('.approve')!.querySelector('.van-button')!.dispatchEvent('tap');
    await settle();
    expect(visibleText(late.page)).toContain('二维码已过期，请在电脑上刷新二维码后重新扫码');
  });

  it('says a code already approved cannot be used again', async () => {
    const { page } = await openConfirm({ [requestPath]: () => ok({ ...pending, state: 'approved' }) });
    expect(visibleText(page)).toContain('这个二维码已经确认过了');
  });
});
