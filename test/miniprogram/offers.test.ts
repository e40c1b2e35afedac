import { TOKEN_KEY } from '../../miniprogram/services/auth';
import type { MemberOffer, Order } from '../../miniprogram/services/api-types';
import { apiError, fakeServer, ok } from './helpers/fake-server';
import { cohort } from './helpers/fixtures';
import { pageMethods, renderPage, settle, settleAnimations, tap, textOf, toastText, visibleText, type RenderedPage } from './helpers/render';
import { storage } from './helpers/storage';

const HOUR = 60 * 60 * 1000;

function offer(overrides: Partial<MemberOffer> = {}): MemberOffer {
  return {
    id: 11,
    cohortId: 3,
    round: 1,
    title: '进阶口语 21 天',
    description: '老学员专享，含每日点评',
    priceFen: 9900,
    originalPriceFen: 19900,
    opensAt: new Date(Date.now() - HOUR).toISOString(),
    closesAt: new Date(Date.now() + 2 * HOUR).toISOString(),
    audience: 'all',
    cohortTitle: '21天英语口语',
    purchased: false,
    ...overrides,
  };
}

const order: Order = { id: 77, offerId: 11, outTradeNo: 'CP77', amountFen: 9900, state: 'created', createdAt: '2026-11-26T02:00:00.000Z', paidAt: null };
const payment = { timeStamp: '1795000000', nonceStr: 'n0nce', package: 'prepay_id=wx123', signType: 'RSA', paySign: 'c2lnbg==' };

async function openOffers(): Promise<RenderedPage> {
  const page = renderPage('pages/offers/index');
  pageMethods<{ onLoad(q: Record<string, string>): void }>(page).onLoad({ cohortId: '3' });
  await settle();
  return page;
}

function stubPayment(outcome: { errMsg: string; ok: boolean }) {
  const requestPayment = jest.fn((options: WechatMiniprogram.RequestPaymentOption) => {
    if (outcome.ok) options.success?.({ errMsg: outcome.errMsg });
    else options.fail?.({ errMsg: outcome.errMsg });
  });
  Object.assign(wx, { requestPayment });
  return requestPayment;
}

beforeEach(() => storage.set(TOKEN_KEY, 'token-1'));

test('an offer shows its price in yuan, the original price struck through, its round and a countdown', async () => {
  fakeServer({ 'GET /me/offers': () => ok({ items: [offer(), offer({ id: 12, round: 2, title: '已买的', priceFen: 4990, originalPriceFen: null, purchased: true })] }) });
  const page = await openOffers();

  expect(page.querySelectorAll('.offer__title').map(visibleText)).toEqual(['进阶口语 21 天', '已买的']);
  expect(page.querySelectorAll('.offer__price').map(visibleText)).toEqual(['¥99', '¥49.9']);
  expect(page.querySelectorAll('.offer__original').map(visibleText)).toEqual(['¥199']);
  expect(page.querySelectorAll('.offer__round').map(visibleText)).toEqual(['第一轮', '第二轮']);
  expect(textOf(page, '.offer__countdown')).toMatch(/^距结束0[12]:\d\d:\d\d$/);
  expect(page.querySelectorAll('.buy')).toHaveLength(1);
  expect(textOf(page, '.offer__paid')).toBe('已购买');
});

test('buying creates the order, pays with wx.requestPayment and shows it paid', async () => {
  const requestPayment = stubPayment({ ok: true, errMsg: 'requestPayment:ok' });
  const server = fakeServer({
    'GET /me/offers': () => ok({ items: [offer()] }),
    'POST /offers/11/orders': () => ({ status: 201, body: { order, payment, fakePayment: false } }),
  });
  const page = await openOffers();

  tap(page, '.buy');
  await settleAnimations();

  expect(server.requests.at(-1)).toMatchObject({ method: 'POST', path: '/offers/11/orders', body: {} });
  expect(requestPayment).toHaveBeenCalledWith(expect.objectContaining(payment));
  expect(textOf(page, '.offer__paid')).toBe('已购买');
  expect(page.querySelector('.buy')).toBeUndefined();
  expect(toastText(page)).toBe('支付成功，欢迎继续一起打卡');
});

test('closing the payment sheet (requestPayment:fail cancel) goes back to 立即购买 without an error', async () => {
  stubPayment({ ok: false, errMsg: 'requestPayment:fail cancel' });
  const server = fakeServer({
    'GET /me/offers': () => ok({ items: [offer()] }),
    'POST /offers/11/orders': () => ({ status: 201, body: { order, payment, fakePayment: false } }),
  });
  const page = await openOffers();

  tap(page, '.buy');
  await settleAnimations();

  expect(toastText(page)).toBe('已取消支付');
  expect(page.querySelector('.offer__paid')).toBeUndefined();
  expect(textOf(page, '.buy')).toBe('立即购买');

  // And buying again is possible.
  stubPayment({ ok: true, errMsg: 'requestPayment:ok' });
  tap(page, '.buy');
  await settleAnimations();
  expect(server.requests.filter((r) => r.path === '/offers/11/orders')).toHaveLength(2);
  expect(textOf(page, '.offer__paid')).toBe('已购买');
});

test('in fake pay mode the order is completed with POST /dev/orders/:id/pay, not wx.requestPayment', async () => {
  const requestPayment = stubPayment({ ok: true, errMsg: 'requestPayment:ok' });
  const server = fakeServer({
    'GET /me/offers': () => ok({ items: [offer()] }),
    'POST /offers/11/orders': () => ({ status: 201, body: { order, payment, fakePayment: true } }),
    'POST /dev/orders/77/pay': () => ok({ ...order, state: 'paid', paidAt: '2026-11-26T02:00:05.000Z' }),
  });
  const page = await openOffers();

  tap(page, '.buy');
  await settleAnimations();

  expect(server.requests.filter((r) => r.method === 'POST').map((r) => [r.path, r.body])).toEqual([
    ['/offers/11/orders', {}],
    ['/dev/orders/77/pay', {}],
  ]);
  expect(requestPayment).not.toHaveBeenCalled();
  expect(textOf(page, '.offer__paid')).toBe('已购买');
});

test('OFFER_CLOSED shows the Chinese message and removes the offer', async () => {
  fakeServer({
    'GET /me/offers': () => ok({ items: [offer()] }),
    'POST /offers/11/orders': () => apiError(409, 'OFFER_CLOSED', 'The offer is closed.'),
  });
  const page = await openOffers();
  tap(page, '.buy');
  await settleAnimations();

  expect(toastText(page)).toBe('优惠已结束');
  expect(textOf(page, '.no-offers')).toBe('现在没有进行中的优惠');
});

test('the cohort page links to the offers while its offers are open', async () => {
  fakeServer({
    'GET /cohorts/3': () => ok(cohort({ status: 'converting', dayIndex: null, enrolled: true })),
    'GET /me/offers': () => ok({ items: [offer(), offer({ id: 20, cohortId: 8 })] }),
  });
  const page = renderPage('pages/cohort/index');
  pageMethods<{ onLoad(q: Record<string, string>): void }>(page).onLoad({ id: '3' });
  await settle();

  expect(textOf(page, '.offers-banner')).toContain('续报优惠进行中');
  tap(page, '.go-offers');
  await settle();
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/offers/index?cohortId=3' });
});

test('the offers page asks, from a tap, to be told when the next round opens (the offer message)', async () => {
  let sends = 0;
  const server = fakeServer({
    'GET /me/offers': () => ok({ items: [offer()] }),
    'GET /me/subscriptions': () => ok({ templates: [{ key: 'offer', templateId: 'T-OFFER', sendsLeft: sends }] }),
    'POST /me/subscriptions': () => ok({ templates: [{ key: 'offer', templateId: 'T-OFFER', sendsLeft: ++sends }] }),
  });
  const requestSubscribeMessage = jest.fn((options: { tmplIds: string[]; success: (res: object) => void }) =>
    options.success({ errMsg: 'requestSubscribeMessage:ok', 'T-OFFER': 'accept' }),
  );
  Object.assign(wx, { requestSubscribeMessage });
  const page = await openOffers();
  expect(textOf(page, '.notify')).toBe('三轮优惠各有期限，开始时可以通知你开始时通知我');

  tap(page, '.notify-offers');
  await settleAnimations();
  expect(requestSubscribeMessage).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: ['T-OFFER'] }));
  expect(server.requests.find((r) => r.method === 'POST')?.body).toEqual({ results: { 'T-OFFER': 'accept' } });
  expect(textOf(page, '.notify')).toBe('下一轮优惠开始时会通知你（还可通知 1 次）再要一次');
});
