import { TOKEN_KEY } from '../../miniprogram/services/auth';
import { inviteStore, parseLaunchInvite } from '../../miniprogram/stores/invite';
import { memberStore } from '../../miniprogram/stores/member';
import { pointsStore } from '../../miniprogram/stores/points';
import { apiError, deferred, fakeServer, ok, type Reply } from './helpers/fake-server';
import { checkin, cohort, xiaoming } from './helpers/fixtures';
import { find, pageMethods, renderPage, settle, settleAnimations, tap, textOf, toastText, visibleText, type RenderedPage } from './helpers/render';
import { storage } from './helpers/storage';

const inviter = { id: 12, nickname: '安安', avatarUrl: null };
const referral = (overrides: object = {}) => ok({ cohortId: 3, attributed: true, reason: 'attributed', inviter, ...overrides });

afterEach(() => memberStore.logout());

describe('decoding the invite the Mini Program was opened with', () => {
  it.each([
    ['a scanned poster code (WeChat hands the scene URI-encoded)', { scene: 1047, query: { scene: 'i%3DAb3dEf9H' } }, { code: 'Ab3dEf9H', cohortId: null, source: 'poster' }],
    ['a code long-pressed in a chat', { scene: 1048, query: { scene: 'i=Ab3dEf9H' } }, { code: 'Ab3dEf9H', cohortId: null, source: 'poster' }],
    ['a card in a one-to-one chat', { scene: 1007, query: { id: '3', inv: 'Ab3dEf9H' } }, { code: 'Ab3dEf9H', cohortId: 3, source: 'card' }],
    ['a card inside a group chat', { scene: 1008, query: { id: '3', inv: 'Ab3dEf9H' } }, { code: 'Ab3dEf9H', cohortId: 3, source: 'group' }],
    ['a card with a shareTicket', { scene: 1044, query: { id: '3', inv: 'Ab3dEf9H', gs: '55' } }, { code: 'Ab3dEf9H', cohortId: 3, source: 'group' }],
    ['a Moments post', { scene: 1154, query: { id: '3', inv: 'Ab3dEf9H', t: 'x' } }, { code: 'Ab3dEf9H', cohortId: 3, source: 'timeline' }],
  ])('%s', (_what, options, invite) => {
    expect(parseLaunchInvite(options)).toEqual(invite);
  });

  it.each([
    ['no invite at all', { scene: 1001, query: { id: '3' } }],
    ['a scene that is not an invite', { scene: 1047, query: { scene: 'promo=summer' } }],
    ['a malformed code (0, O, 1 and l are never used)', { scene: 1007, query: { id: '3', inv: 'O0l1O0l1' } }],
    ['a scene with a percent sign that does not decode', { scene: 1047, query: { scene: 'i%3' } }],
  ])('ignores %s', (_what, options) => {
    expect(parseLaunchInvite(options)).toBeNull();
  });
});

describe('recording the open', () => {
  it('waits for the launch login, so a newcomer is attributed, and records one open for App onLaunch and onShow', async () => {
    const login = deferred<Reply>();
    const server = fakeServer({
      'POST /auth/wechat-login': () => login.promise,
      'POST /referrals': () => referral(),
    });
    void memberStore.login();
    const first = inviteStore.open({ code: 'Ab3dEf9H', cohortId: 3, source: 'card' });
    const second = inviteStore.open({ code: 'Ab3dEf9H', cohortId: 3, source: 'card' });
    await settle();
    expect(server.requests.map((r) => r.path)).toEqual(['/auth/wechat-login']);

    login.resolve(ok({ token: 'token-new', member: xiaoming }));
    expect(await first).toMatchObject({ attributed: true });
    expect(await second).toBe(await first);
    expect(server.requests.slice(1)).toEqual([
      { method: 'POST', path: '/referrals', body: { inviteCode: 'Ab3dEf9H', source: 'card', cohortId: 3 }, authorization: 'Bearer token-new' },
    ]);
    expect(inviteStore.arrival).toEqual({ cohortId: 3, inviter, attributed: true });
  });

  it('an unknown code (or no network) opens the Mini Program all the same and remembers nothing', async () => {
    storage.set(TOKEN_KEY, 'token-1');
    fakeServer({ 'POST /referrals': () => apiError(404, 'NOT_FOUND', 'This invite code was not found.') });
    await expect(inviteStore.open({ code: 'Ab3dEf9H', cohortId: null, source: 'poster' })).resolves.toBeNull();
    expect(inviteStore.arrival).toBeNull();
  });
});

describe('the cohort page opened from an invite', () => {
  interface CohortPage {
    onLoad(query: Record<string, string>): void;
    onShow(): void;
    onShareAppMessage(): { path: string };
  }

  async function open(query: Record<string, string>, enter: object = { scene: 1001, query }): Promise<RenderedPage> {
    Object.assign(wx, { getEnterOptionsSync: jest.fn(() => enter) });
    const page = renderPage('pages/cohort/index');
    pageMethods<CohortPage>(page).onLoad(query);
    for (let i = 0; i < 3; i++) await settle();
    return page;
  }

  it('a scanned poster: finds the cohort through the code, says who invited me, and offers to join', async () => {
    storage.set(TOKEN_KEY, 'token-1');
    const server = fakeServer({
      'POST /referrals': () => referral(),
      'GET /cohorts/3': () => ok(cohort({ title: '21天英语口语', enrolled: false, status: 'recruiting', dayIndex: null })),
      'GET /me/invite-code?cohortId=3&source=card': () => ok({ code: 'MyCode23', cohortId: 3, source: 'card', scene: 'i=MyCode23', path: '' }),
      'GET /me/subscriptions': () => ok({ templates: [] }),
    });
    const page = await open({ scene: 'i%3DAb3dEf9H' }, { scene: 1047, query: { scene: 'i%3DAb3dEf9H' } });

    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/referrals', body: { inviteCode: 'Ab3dEf9H', source: 'poster' } });
    expect(textOf(page, '.head__title')).toBe('21天英语口语');
    expect(textOf(page, '.invited-by')).toBe('安安 邀请你一起打卡');
    expect(textOf(page, '.join')).toBe('加入打卡');
    // Sharing on from here carries my own invite, not the one I came with.
    expect(pageMethods<CohortPage>(page).onShareAppMessage().path).toBe('/pages/cohort/index?id=3&inv=MyCode23');
  });

  it('a code that no longer works says so and offers Home', async () => {
    storage.set(TOKEN_KEY, 'token-1');
    fakeServer({ 'POST /referrals': () => apiError(404, 'NOT_FOUND', 'unknown') });
    const page = await open({ scene: 'i%3DAb3dEf9H' }, { scene: 1047, query: {} });
    expect(textOf(page, '.load-error')).toContain('这个小程序码已失效');
    expect(page.querySelector('.go-home')).toBeTruthy();
  });

  it('Moments\' single-page view shows what the post is about and asks for no login', async () => {
    const server = fakeServer({});
    const page = await open({ id: '3', inv: 'Ab3dEf9H', t: '21天英语口语' }, { scene: 1154, query: {} });
    expect(textOf(page, '.preview')).toBe('21天英语口语好友邀请你一起打卡。点下方「前往小程序」查看详情并加入。');
    expect(server.requests).toEqual([]);
  });

  it('my check-in\'s card opened in the group earns the group bonus and says so; someone else\'s card says nothing', async () => {
    storage.set(TOKEN_KEY, 'token-1');
    const getShareInfo = jest.fn((o: WechatMiniprogram.GetShareInfoOption) =>
      o.success?.({ encryptedData: 'SHARED', iv: 'IV', errMsg: 'getShareInfo:ok', cloudID: '' } as never),
    );
    Object.assign(wx, { getShareInfo });
    const server = fakeServer({
      'GET /cohorts/3': () => ok(cohort({ enrolled: true })),
      'POST /checkins/55/group-share': () => ok({ award: { reason: 'group_bonus', points: 10 }, balance: 130 }),
      'POST /checkins/56/group-share': () => apiError(404, 'NOT_FOUND', 'Check-in was not found.'),
    });
    const enter = { scene: 1044, shareTicket: 'ticket-1', query: { id: '3', gs: '55' } };
    const page = await open({ id: '3', gs: '55' }, enter);
    await settleAnimations();

    expect(getShareInfo).toHaveBeenCalledWith(expect.objectContaining({ shareTicket: 'ticket-1' }));
    expect(server.requests.find((r) => r.path === '/checkins/55/group-share')?.body).toEqual({ encryptedData: 'SHARED', iv: 'IV' });
    expect(toastText(page)).toBe('分享到打卡群成功，群内积分 +10');
    expect(pointsStore.balance).toBe(130);

    const other = await open({ id: '3', gs: '56' }, { ...enter, query: { id: '3', gs: '56' } });
    await settleAnimations();
    expect(server.requests.some((r) => r.path === '/checkins/56/group-share')).toBe(true);
    expect(other.querySelector('#van-toast .van-toast')).toBeUndefined();
  });

  it('a claim the server refuses (another group) is explained', async () => {
    storage.set(TOKEN_KEY, 'token-1');
    Object.assign(wx, {
      getShareInfo: (o: WechatMiniprogram.GetShareInfoOption) => o.success?.({ encryptedData: 'OTHER', iv: 'IV', errMsg: 'ok', cloudID: '' } as never),
    });
    fakeServer({
      'GET /cohorts/3': () => ok(cohort({ enrolled: true })),
      'POST /checkins/55/group-share': () => apiError(400, 'GROUP_MISMATCH', 'another group'),
    });
    const page = await open({ id: '3', gs: '55' }, { scene: 1044, shareTicket: 't', query: {} });
    await settleAnimations();
    expect(toastText(page)).toBe('这不是本期的打卡群，不带群证明打卡可得基础积分');
  });
});

describe('the way into the group', () => {
  const qr = (state: 'fresh' | 'expiring' | 'expired') => ({ url: '/uploads/img/2026/11/qr.png', uploadedAt: '2026-11-14T01:00:00.000Z', expiresAt: '2026-11-21T01:00:00.000Z', state });

  async function openCohort(data: Parameters<typeof cohort>[0], member = xiaoming) {
    storage.set(TOKEN_KEY, 'token-1');
    memberStore.setMember(member);
    fakeServer({ 'GET /cohorts/3': () => ok(cohort(data)) });
    const page = renderPage('pages/cohort/index');
    pageMethods<{ onLoad(q: Record<string, string>): void }>(page).onLoad({ id: '3' });
    for (let i = 0; i < 3; i++) await settle();
    return page;
  }

  const attrsOf = (page: RenderedPage, selector: string) => {
    const element = find(page, selector).dom as unknown as { __wxElement: { _vt: { attrs: Array<{ name: string; value: unknown }> } } };
    return Object.fromEntries(element.__wxElement._vt.attrs.map((a) => [a.name, a.value]));
  };

  it('members see the group QR to long-press (show-menu-by-longpress), with what joining the group is good for', async () => {
    const page = await openCohort({ enrolled: true, groupQr: qr('fresh') });
    expect(textOf(page, '.join-group')).toContain('长按二维码识别，加入本期打卡群。从群里的卡片进入小程序打卡，积分翻倍。');
    const attrs = attrsOf(page, '.join-group__qr');
    expect(attrs).toMatchObject({ src: 'http://127.0.0.1:3000/uploads/img/2026/11/qr.png', showMenuByLongpress: true });

    tap(page, '.join-group__qr');
    await settle();
    expect(wx.previewImage).toHaveBeenCalledWith(expect.objectContaining({ urls: ['http://127.0.0.1:3000/uploads/img/2026/11/qr.png'], showmenu: true }));
  });

  it('an expired QR is not shown as if it worked', async () => {
    const page = await openCohort({ enrolled: true, groupQr: qr('expired') });
    expect(page.querySelector('.join-group__qr')).toBeUndefined();
    expect(textOf(page, '.join-group__expired')).toContain('群二维码已过期');
  });

  it('operators are warned the day before WeChat expires it', async () => {
    const operator = { id: 1, nickname: '陈静', avatarUrl: null, roles: ['member', 'teacher', 'operator'] as ('member' | 'teacher' | 'operator')[] };
    const page = await openCohort({ enrolled: false, groupQr: qr('expiring') }, operator);
    expect(textOf(page, '.qr-warning')).toBe('群二维码明天就会过期（微信群二维码 7 天有效），请更换。在「管理本期」里上传。');
  });

  it('no QR block for someone who has not joined', async () => {
    const page = await openCohort({ enrolled: false, groupQr: null });
    expect(page.querySelector('.join-group')).toBeUndefined();
  });
});

describe('sharing into the group from the success screen', () => {
  interface Composer {
    onLoad(q: Record<string, string>): void;
    onShareAppMessage(share?: object): { title: string; path: string };
  }

  async function checkIn(awards: { reason: string; points: number }[], viaGroup = false) {
    storage.set(TOKEN_KEY, 'token-1');
    fakeServer({
      'GET /cohorts/3': () => ok(cohort({ enrolled: true, groupBound: true })),
      'GET /me/invite-code?cohortId=3&source=card': () => ok({ code: 'MyCode23', cohortId: 3, source: 'card', scene: 'i=MyCode23', path: '' }),
      'POST /cohorts/3/checkins': () => ok({ checkin: checkin({ id: 55, viaGroup }), awards, streak: { current: 3, longest: 3, total: 3 }, balance: 30 }),
      'GET /me/subscriptions': () => ok({ templates: [] }),
    });
    const page = renderPage('pages/cohort/checkin');
    pageMethods<Composer>(page).onLoad({ id: '3' });
    await settle();
    find(page, '.text-field').dispatchEvent('input', { detail: { value: '今天的打卡' } });
    await settle();
    tap(page, '.submit-button');
    await settleAnimations();
    return page;
  }

  it('offers "分享到打卡群再得 10 分" after a check-in outside the group; that card names the check-in', async () => {
    const page = await checkIn([{ reason: 'checkin', points: 10 }]);
    expect(textOf(page, '.share-to-group')).toBe('分享到打卡群再得 10 分');
    expect(textOf(page, '.share-to-group__hint')).toContain('在本期群里点开这张卡片即可加分');
    const share = pageMethods<Composer>(page).onShareAppMessage({ from: 'button', target: { dataset: { share: 'group' } } });
    expect(share.path).toBe('/pages/cohort/index?id=3&inv=MyCode23&gs=55');
    // The ordinary share card carries the invite without claiming anything.
    expect(pageMethods<Composer>(page).onShareAppMessage({ from: 'menu' }).path).toBe('/pages/cohort/index?id=3&inv=MyCode23');

    tap(page, '.daily-card');
    await settle();
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/packageShare/pages/poster/index?id=3&kind=daily' });
    expect(page.querySelector('.certificate')).toBeUndefined();
  });

  it('does not offer it when the check-in already earned the group bonus; offers the certificate on the last day', async () => {
    const page = await checkIn([{ reason: 'checkin', points: 10 }, { reason: 'group_bonus', points: 10 }, { reason: 'completion_bonus', points: 50 }], true);
    expect(page.querySelector('.share-to-group')).toBeUndefined();
    tap(page, '.certificate');
    await settle();
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/packageShare/pages/poster/index?id=3&kind=certificate' });
  });
});

describe('我的邀请', () => {
  it('sums up whom I invited and lists each with where they stand and what it earned', async () => {
    storage.set(TOKEN_KEY, 'token-1');
    const item = (id: number, overrides: object) => ({
      id, invitee: { id: 100 + id, nickname: `朋友${id}`, avatarUrl: null }, cohort: { id: 3, title: '21天英语口语' }, source: 'poster',
      invitedAt: '2026-11-18T12:00:00.000Z', joined: false, checkedIn: false, rewardPoints: null, ...overrides,
    });
    fakeServer({
      'GET /me/invitations?limit=20': () =>
        ok({
          summary: { invited: 4, joined: 3, checkedIn: 2, earnedPoints: 20 },
          items: [item(4, { checkedIn: true, joined: true, rewardPoints: 0 }), item(3, { checkedIn: true, joined: true, rewardPoints: 20 }), item(2, { joined: true, source: 'card' }), item(1, {})],
          nextCursor: null,
        }),
    });
    const page = renderPage('packageShare/pages/invitations/index');
    pageMethods<{ onLoad(): void }>(page).onLoad();
    await settle();

    expect(page.querySelectorAll('.summary__item').map(visibleText)).toEqual(['4邀请', '3加入', '2打卡', '20获得积分']);
    expect(page.querySelectorAll('.invitee').map(visibleText)).toEqual([
      // Without an avatar, the first character of the name stands in for it.
      '朋朋友4已打卡21天英语口语扫海报 · 11月18日 20:00奖励已满',
      '朋朋友3已打卡21天英语口语扫海报 · 11月18日 20:00+20',
      '朋朋友2已加入21天英语口语好友卡片 · 11月18日 20:00待首次打卡',
      '朋朋友1已邀请21天英语口语扫海报 · 11月18日 20:00待加入',
    ]);
    expect(textOf(page, '.footer')).toBe('没有更多了');
  });

  it('with nobody invited yet, says how to invite', async () => {
    storage.set(TOKEN_KEY, 'token-1');
    fakeServer({ 'GET /me/invitations?limit=20': () => ok({ summary: { invited: 0, joined: 0, checkedIn: 0, earnedPoints: 0 }, items: [], nextCursor: null }) });
    const page = renderPage('packageShare/pages/invitations/index');
    pageMethods<{ onLoad(): void }>(page).onLoad();
    await settle();
    expect(textOf(page, '.no-invitations')).toContain('在打卡期页面点「邀请好友」生成海报');
  });

  it('is linked from Me', async () => {
    storage.set(TOKEN_KEY, 'token-1');
    fakeServer({ 'POST /auth/wechat-login': () => ok({ token: 'token-1', member: xiaoming }) });
    await memberStore.login();
    const page = renderPage('me');
    await settle();
    expect(textOf(page, '.invitations-link')).toContain('我的邀请');
  });
});

describe('App launch', () => {
  it('records the invite of a card the Mini Program was opened with, after the launch login', async () => {
    const server = fakeServer({
      'POST /auth/wechat-login': () => ok({ token: 'token-app', member: xiaoming }),
      'POST /referrals': () => referral(),
    });
    const App = jest.fn();
    Object.assign(globalThis, { App });
    await import('../../miniprogram/app');
    const app = App.mock.calls[0][0] as { onLaunch(o: object): void; onShow(o: object): void };
    const launch = { scene: 1007, path: 'pages/cohort/index', query: { id: '3', inv: 'Ab3dEf9H' } };
    app.onLaunch(launch);
    app.onShow(launch);
    for (let i = 0; i < 3; i++) await settle();
    const calls = server.requests.filter((r) => r.method === 'POST').map((r) => `${r.path} ${r.authorization ?? ''}`);
    expect(calls).toEqual(['/auth/wechat-login ', '/referrals Bearer token-app']);
    expect(server.requests.find((r) => r.path === '/referrals')?.body).toEqual({ inviteCode: 'Ab3dEf9H', source: 'card', cohortId: 3 });
  });
});
