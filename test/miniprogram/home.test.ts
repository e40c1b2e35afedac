import { FAKE_OPENID_KEY, TOKEN_KEY } from '../../miniprogram/services/auth';
import { cohortsStore } from '../../miniprogram/stores/cohorts';
import { memberStore } from '../../miniprogram/stores/member';
import { NETWORK_DOWN, apiError, deferred, fakeServer, ok, type Reply } from './helpers/fake-server';
import { boxes, inChromium, lowContrastText } from './helpers/browser';
import { cohort } from './helpers/fixtures';
import { find, renderPage, settle, settleAnimations, textOf, visibleText, type RenderedPage } from './helpers/render';
import { storage } from './helpers/storage';

const xiaoming = { id: 7, nickname: '小明', avatarUrl: null, roles: ['member'] };

/** Runs app.ts as WeChat would: App() registers the app, then onLaunch runs. Once per test file. */
async function launchApp() {
  const App = jest.fn();
  Object.assign(globalThis, { App });
  await import('../../miniprogram/app');
  expect(App).toHaveBeenCalledTimes(1);
  App.mock.calls[0][0].onLaunch();
}

function loginErrorText(page: RenderedPage): string {
  const empty = page.querySelector('.login-error');
  if (!empty) throw new Error('Home shows no login error');
  return visibleText(empty);
}

function tapRetry(page: RenderedPage) {
  const button = page.querySelector('.retry')?.querySelector('.van-button');
  if (!button) throw new Error('no retry button on the page');
  button.dispatchEvent('tap');
}

afterEach(() => memberStore.logout());

test('at launch Home shows that it is logging in, then greets the member by nickname', async () => {
  const loginReply = deferred<Reply>();
  const server = fakeServer({
    'POST /auth/wechat-login': () => loginReply.promise,
    'GET /cohorts': () => ok({ items: [] }),
  });
  const page = renderPage('home');
  expect(visibleText(page)).toContain('正在登录');
  // Vant's own spinner, not an empty placeholder tag.
  expect(page.querySelector('.logging-in')?.querySelector('.van-loading__spinner')).toBeDefined();

  await launchApp();
  await settle();
  expect(memberStore.status).toBe('loggingIn');
  expect(visibleText(page)).toContain('正在登录');
  expect(visibleText(page)).not.toContain('小明');

  loginReply.resolve(ok({ token: 'token-1', member: xiaoming }));
  await settle();

  expect(visibleText(page)).toContain('你好，小明');
  expect(visibleText(page)).not.toContain('正在登录');
  // Logged in, Home lists the cohorts (none yet).
  expect(visibleText(page.querySelector('.no-cohorts')!)).toBe('暂时没有可以加入的打卡期');
  const openid = storage.get(FAKE_OPENID_KEY);
  expect(openid).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  expect(server.requests).toEqual([
    { method: 'POST', path: '/auth/wechat-login', body: { code: `fake:${openid}` }, authorization: undefined },
    { method: 'GET', path: '/cohorts', body: undefined, authorization: 'Bearer token-1' },
  ]);
  expect(storage.get(TOKEN_KEY)).toBe('token-1');
});

test('a login error from the server shows the Chinese message for its code once, on the page (no toast saying it again)', async () => {
  fakeServer({
    'POST /auth/wechat-login': () => apiError(503, 'WECHAT_UNAVAILABLE', 'WeChat is unavailable, try again later.'),
  });
  const page = renderPage('home');

  await memberStore.login();
  await settleAnimations();

  expect(memberStore.error).toEqual({ code: 'WECHAT_UNAVAILABLE', message: '微信服务暂时不可用，请稍后再试' });
  expect(page.querySelector('#van-toast')).toBeUndefined();
  expect(loginErrorText(page)).toBe('微信服务暂时不可用，请稍后再试 重新登录');
});

test('a network failure shows a retry button that logs in when tapped', async () => {
  let networkUp = false;
  const server = fakeServer({
    'POST /auth/wechat-login': () => (networkUp ? ok({ token: 'token-2', member: xiaoming }) : NETWORK_DOWN),
    'GET /cohorts': () => ok({ items: [] }),
  });
  const page = renderPage('home');

  await memberStore.login();
  await settle();
  expect(memberStore.error?.code).toBe('NETWORK_ERROR');
  expect(loginErrorText(page)).toBe('网络连接失败，请检查网络后重试 重新登录');
  expect(visibleText(page)).not.toContain('你好');

  networkUp = true;
  tapRetry(page);
  await settle();

  expect(server.requests.map(({ path }) => path)).toEqual(['/auth/wechat-login', '/auth/wechat-login', '/cohorts']);
  expect(visibleText(page)).toContain('你好，小明');
  expect(page.querySelector('.login-error')).toBeUndefined();
});

const loggedIn = async (routes: Parameters<typeof fakeServer>[0]) => {
  fakeServer({ 'POST /auth/wechat-login': () => ok({ token: 'token-3', member: xiaoming }), ...routes });
  await memberStore.login();
};

test("my cohort cards say today's state: 去打卡 opens the composer, a done day shows 今日已打卡 ✓", async () => {
  const me = (checkedInToday: boolean, current: number) => ({ enrolled: true, checkedInToday, todayCheckinId: checkedInToday ? 50 : null, streak: { current, longest: current, total: current }, missedDays: 0, makeUpsLeft: 2 });
  await loggedIn({
    'GET /cohorts': () => ok({ items: [
      cohort({ id: 3, enrolled: true, me: me(false, 2) }),
      cohort({ id: 4, title: '7天晨读', enrolled: true, me: me(true, 5) }),
    ] }),
  });
  const page = renderPage('home');
  await settle();

  const cards = page.querySelectorAll('.mine');
  expect(visibleText(cards[0])).toContain('连续打卡 2 天');
  expect(visibleText(cards[0])).toContain('去打卡');
  expect(visibleText(cards[1])).toContain('今日已打卡 ✓');
  expect(visibleText(cards[1])).not.toContain('去打卡');

  find(page, '.today--todo').dispatchEvent('tap');
  await settle();
  expect(wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/cohort/checkin?id=3' }));
  expect(textOf(page, '.mine .cohort-card__title')).toBe('21天英语口语');
});

test('the loading spinner sits in the middle of the page, and every text on a card reads at 4.5:1 or better', async () => {
  await loggedIn({ 'GET /cohorts': () => new Promise(() => undefined) });
  const page = renderPage('home');
  await settle();
  const loading = await inChromium(page, 'pages/home/index');
  const [spinner] = await boxes(loading, '.main--state van-loading');
  expect(Math.abs(spinner.x + spinner.width / 2 - 375 / 2)).toBeLessThan(2);
  await loading.close();

  cohortsStore.items = [cohort({ enrolled: true }), cohort({ id: 4, status: 'recruiting', enrolled: false })];
  cohortsStore.status = 'ready';
  await settle();
  const cards = await inChromium(page, 'pages/home/index');
  expect(await lowContrastText(cards)).toEqual([]);
});
