import { TOKEN_KEY } from '../../miniprogram/services/auth';
import type { Product, RedeemBody, Redemption } from '../../miniprogram/services/api-types';
import { mallStore } from '../../miniprogram/stores/mall';
import { pointsStore } from '../../miniprogram/stores/points';
import { NETWORK_DOWN, apiError, fakeServer, ok, type ReceivedRequest } from './helpers/fake-server';
import { find, pageMethods, renderPage, settle, settleAnimations, tap, tapDialogButton, textOf, toastText, visibleText, type RenderedPage } from './helpers/render';
import { storage } from './helpers/storage';

function product(overrides: Partial<Product> = {}): Product {
  return {
    id: 1,
    name: '打卡笔记本',
    description: '一本方格笔记本',
    imageUrls: [],
    pointsPrice: 100,
    stock: 12,
    inStock: true,
    perMemberLimit: null,
    active: true,
    kind: 'virtual',
    sortOrder: 0,
    myRedeemed: 0,
    myRemaining: null,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...overrides,
  };
}

function redemption(overrides: Partial<Redemption> = {}): Redemption {
  return {
    id: 50,
    requestId: 'r-abcdefgh',
    member: { id: 7, nickname: '小明' },
    productId: 1,
    productName: '打卡笔记本',
    imageUrl: null,
    kind: 'virtual',
    quantity: 1,
    unitPrice: 100,
    pointsTotal: 100,
    state: 'pending',
    address: null,
    carrier: null,
    trackingNumber: null,
    virtualCode: null,
    fulfilledAt: null,
    cancelledAt: null,
    cancelledBy: null,
    cancelReason: null,
    createdAt: '2026-11-20T02:00:00.000Z',
    ...overrides,
  };
}

const catalogue = [
  product({ id: 2, name: '保温杯', pointsPrice: 800, stock: 0, inStock: false, kind: 'physical' }),
  product(),
  product({ id: 3, name: '定制帆布袋', pointsPrice: 300, stock: 5, kind: 'physical', perMemberLimit: 1, myRemaining: 1 }),
];

const redemptions = (requests: ReceivedRequest[]) =>
  requests.filter((r) => r.method === 'POST' && r.path === '/mall/redemptions').map((r) => r.body as RedeemBody);

const baseRoutes = {
  'GET /mall/products': () => ok({ items: catalogue }),
  'GET /me/points?limit=1': () => ok({ balance: 500, entries: [], nextCursor: null }),
};

async function openMall(): Promise<RenderedPage> {
  const page = renderPage('mall');
  await pageMethods<{ refresh(): Promise<void> }>(page).refresh();
  await settle();
  return page;
}

async function openSheet(page: RenderedPage, productId: number) {
  const button = page.querySelectorAll('.product__redeem').find((node) => node.dom?.getAttribute('data-id') === String(productId));
  if (!button) throw new Error(`no redeem button for product ${productId}`);
  button.dispatchEvent('tap');
  await settleAnimations();
}

/** The confirm sheet (a component of our own: its nodes are queried inside it). */
const sheet = (page: RenderedPage) => find(page, '.redeem-sheet');

const productNames = (page: RenderedPage) => page.querySelectorAll('.product__name').map(visibleText);

beforeEach(() => {
  storage.set(TOKEN_KEY, 'token-1');
  mallStore.products = [];
  mallStore.status = 'idle';
});

test('the mall lists products in stock first, with price, stock, 已兑完 and my balance', async () => {
  const server = fakeServer(baseRoutes);
  const page = await openMall();

  expect(server.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual(['GET /mall/products', 'GET /me/points?limit=1']);
  expect(textOf(page, '.mall-balance')).toBe('500');
  expect(productNames(page)).toEqual(['打卡笔记本', '定制帆布袋', '保温杯']);
  expect(page.querySelectorAll('.product__price').map(visibleText)).toEqual(['100 积分', '300 积分', '800 积分']);
  expect(page.querySelectorAll('.product__stock').map(visibleText)).toEqual(['库存 12', '库存 5', '已兑完']);
  // A sold-out product offers no redeem button.
  expect(page.querySelectorAll('.product__redeem')).toHaveLength(2);

  find(page, '.product').dispatchEvent('tap');
  await settle();
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/packageMall/pages/product/index?id=1' });
});

test('redeeming shows the price, my balance before and after, and the result with the new balance', async () => {
  const server = fakeServer({
    ...baseRoutes,
    'POST /mall/redemptions': ({ body }) => {
      const { quantity, requestId } = body as RedeemBody;
      return { status: 201, body: { redemption: redemption({ quantity, pointsTotal: 100 * quantity, requestId }), balance: 500 - 100 * quantity, replayed: false } };
    },
  });
  const page = await openMall();
  await openSheet(page, 1);

  expect(textOf(sheet(page), '.unit-price')).toBe('100 积分');
  expect(textOf(sheet(page), '.total')).toBe('100 积分');
  expect(textOf(sheet(page), '.balance-now')).toBe('500');
  expect(textOf(sheet(page), '.balance-after')).toBe('400');

  find(find(sheet(page), '.quantity'), '.van-stepper__plus').dispatchEvent('tap');
  await settle();
  expect(textOf(sheet(page), '.total')).toBe('200 积分');
  expect(textOf(sheet(page), '.balance-after')).toBe('300');

  tap(sheet(page), '.confirm-redeem');
  await settleAnimations();

  const [body] = redemptions(server.requests);
  expect(body).toEqual({ productId: 1, quantity: 2, requestId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/) });
  expect(textOf(sheet(page), '.redeem-result__title')).toBe('兑换成功');
  expect(textOf(sheet(page), '.result-balance')).toBe('剩余积分 300');
  expect(textOf(page, '.mall-balance')).toBe('300');
  expect(pointsStore.balance).toBe(300);
  expect(page.querySelectorAll('.product__stock').map(visibleText)[0]).toBe('库存 10');
});

test('a physical product sends the address chosen with wx.chooseAddress in the server shape', async () => {
  Object.assign(wx, {
    chooseAddress: jest.fn((options: { success: (res: unknown) => void }) =>
      options.success({
        userName: '张三',
        telNumber: '13800138000',
        provinceName: '广东省',
        cityName: '深圳市',
        countyName: '南山区',
        detailInfo: '科技园1号',
        postalCode: '518000',
        errMsg: 'chooseAddress:ok',
      }),
    ),
  });
  const server = fakeServer({
    ...baseRoutes,
    'POST /mall/redemptions': () => ({ status: 201, body: { redemption: redemption({ productId: 3, kind: 'physical', pointsTotal: 300 }), balance: 200, replayed: false } }),
  });
  const page = await openMall();
  await openSheet(page, 3);
  expect(textOf(sheet(page), '.address')).toContain('选择收货地址');

  find(sheet(page), '.address').dispatchEvent('tap');
  await settle();
  expect(textOf(sheet(page), '.address')).toContain('张三 13800138000 · 广东省深圳市南山区科技园1号');

  tap(sheet(page), '.confirm-redeem');
  await settleAnimations();

  expect(redemptions(server.requests)).toEqual([
    {
      productId: 3,
      quantity: 1,
      requestId: expect.any(String),
      address: { name: '张三', phone: '13800138000', province: '广东省', city: '深圳市', district: '南山区', detail: '科技园1号' },
    },
  ]);
  expect(textOf(sheet(page), '.redeem-result__title')).toBe('兑换成功');
});

test.each([
  ['OUT_OF_STOCK', '库存不足，商品已兑完'],
  ['INSUFFICIENT_POINTS', '积分不足，多打卡攒积分吧'],
])('%s shows the Chinese message and no success', async (code, message) => {
  fakeServer({
    ...baseRoutes,
    'POST /mall/redemptions': () => apiError(409, code, `The redemption failed: ${code}`),
  });
  const page = await openMall();
  await openSheet(page, 1);
  tap(sheet(page), '.confirm-redeem');
  await settleAnimations();

  expect(textOf(sheet(page), '.redeem-error')).toBe(message);
  expect(sheet(page).querySelector('.redeem-result')).toBeUndefined();
  expect(visibleText(page)).not.toContain('The redemption failed');
  expect(textOf(page, '.mall-balance')).toBe('500');
  if (code === 'OUT_OF_STOCK') expect(page.querySelectorAll('.product__stock').map(visibleText)).toEqual(['库存 5', '已兑完', '已兑完']);
});

test('a retry after a network error sends the same requestId; a new purchase gets a new one', async () => {
  let up = false;
  const server = fakeServer({
    ...baseRoutes,
    'POST /mall/redemptions': ({ body }) =>
      up ? { status: 201, body: { redemption: redemption({ requestId: (body as RedeemBody).requestId }), balance: 400, replayed: true } } : NETWORK_DOWN,
  });
  const page = await openMall();
  await openSheet(page, 1);

  tap(sheet(page), '.confirm-redeem');
  await settleAnimations();
  expect(textOf(sheet(page), '.redeem-error')).toBe('网络连接失败，请检查网络后重试');
  expect(sheet(page).querySelector('.redeem-result')).toBeUndefined();

  up = true;
  tap(sheet(page), '.confirm-redeem');
  await settleAnimations();
  expect(textOf(sheet(page), '.redeem-result__title')).toBe('兑换成功');

  tap(sheet(page), '.done');
  await settleAnimations();
  await openSheet(page, 1);
  tap(sheet(page), '.confirm-redeem');
  await settleAnimations();

  const [first, retry, next] = redemptions(server.requests);
  expect(retry.requestId).toBe(first.requestId);
  expect(next.requestId).not.toBe(first.requestId);
});

// ----- 我的兑换 -----

const fulfilledPhysical = redemption({ id: 51, productName: '定制帆布袋', kind: 'physical', state: 'fulfilled', pointsTotal: 300, carrier: '顺丰', trackingNumber: 'SF1234567890' });
const fulfilledVirtual = redemption({ id: 52, productName: '视频会员月卡', state: 'fulfilled', virtualCode: 'VIP-8888' });
const pending = redemption({ id: 53, productName: '打卡笔记本', quantity: 2, pointsTotal: 200 });
const cancelled = redemption({ id: 54, productName: '保温杯', state: 'cancelled', pointsTotal: 800, cancelledBy: 'member' });

async function openRedemptions(): Promise<RenderedPage> {
  const page = renderPage('packageMall/pages/redemptions/index');
  pageMethods<{ onLoad(q: Record<string, string>): void }>(page).onLoad({});
  await settle();
  return page;
}

function filter(page: RenderedPage, label: string) {
  const node = page.querySelectorAll('.filter').find((f) => visibleText(f) === label);
  if (!node) throw new Error(`no filter ${label}`);
  node.dispatchEvent('tap');
}

test('my redemptions by state, with the tracking number or the virtual code', async () => {
  const server = fakeServer({
    'GET /me/redemptions?limit=20': () => ok({ items: [pending, fulfilledVirtual, fulfilledPhysical, cancelled], nextCursor: null }),
    'GET /me/redemptions?state=fulfilled&limit=20': () => ok({ items: [fulfilledVirtual, fulfilledPhysical], nextCursor: null }),
    'GET /me/redemptions?state=cancelled&limit=20': () => ok({ items: [], nextCursor: null }),
  });
  const page = await openRedemptions();

  expect(page.querySelectorAll('.filter').map(visibleText)).toEqual(['全部', '待发货', '已完成', '已取消']);
  expect(page.querySelectorAll('.redemption__state').map(visibleText)).toEqual(['待发货', '已完成', '已完成', '已取消']);
  expect(page.querySelectorAll('.cancel')).toHaveLength(1);
  expect(textOf(page, '.refund')).toBe('已退回 800 积分');

  filter(page, '已完成');
  await settle();
  expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/me/redemptions?state=fulfilled&limit=20' });
  expect(page.querySelectorAll('.redemption__name').map(visibleText)).toEqual(['视频会员月卡 × 1', '定制帆布袋 × 1']);
  expect(textOf(page, '.code')).toBe('兑换码：VIP-8888复制');
  expect(textOf(page, '.delivery')).toBe('物流：顺丰 SF1234567890');

  filter(page, '已取消');
  await settle();
  expect(textOf(page, '.no-redemptions')).toBe('还没有兑换记录');
});

test('cancelling a pending redemption asks first, then refunds and shows it as cancelled', async () => {
  mallStore.products = [product({ stock: 3 })];
  const server = fakeServer({
    'GET /me/redemptions?limit=20': () => ok({ items: [pending, fulfilledVirtual], nextCursor: null }),
    'POST /mall/redemptions/53/cancel': () =>
      ok({ redemption: { ...pending, state: 'cancelled', cancelledBy: 'member', cancelledAt: '2026-11-20T03:00:00.000Z' }, balance: 700 }),
  });
  const page = await openRedemptions();

  tap(page, '.cancel');
  await settleAnimations();
  expect(visibleText(find(page, '.cancel-dialog'))).toContain('取消「打卡笔记本」的兑换后，200 积分会退回你的账户。');

  tapDialogButton(page, '.cancel-dialog', 'cancel');
  await settleAnimations();
  expect(server.requests.filter((r) => r.method === 'POST')).toEqual([]);

  tap(page, '.cancel');
  await settleAnimations();
  tapDialogButton(page, '.cancel-dialog', 'confirm');
  await settleAnimations();

  expect(server.requests.at(-1)).toMatchObject({ method: 'POST', path: '/mall/redemptions/53/cancel', body: {} });
  expect(page.querySelectorAll('.redemption__state').map(visibleText)).toEqual(['已取消', '已完成']);
  expect(page.querySelector('.cancel')).toBeUndefined();
  expect(toastText(page)).toBe('已取消，200 积分已退回');
  expect(pointsStore.balance).toBe(700);
  expect(mallStore.products[0].stock).toBe(5);
});

test('a cancel the server refuses (already shipped) shows the Chinese message', async () => {
  fakeServer({
    'GET /me/redemptions?limit=20': () => ok({ items: [pending], nextCursor: null }),
    'POST /mall/redemptions/53/cancel': () => apiError(409, 'REDEMPTION_NOT_PENDING', 'The redemption is not pending.'),
  });
  const page = await openRedemptions();
  tap(page, '.cancel');
  await settleAnimations();
  tapDialogButton(page, '.cancel-dialog', 'confirm');
  await settleAnimations();

  expect(toastText(page)).toBe('这笔兑换已发货或已取消，不能再取消');
  expect(page.querySelectorAll('.redemption__state').map(visibleText)).toEqual(['待发货']);
});

test('the product page shows the price, stock and my quota, and redeeming there updates them', async () => {
  const limited = product({ id: 3, name: '定制帆布袋', pointsPrice: 300, stock: 5, kind: 'virtual', perMemberLimit: 1, myRemaining: 1, description: '帆布材质' });
  const server = fakeServer({
    'GET /mall/products/3': () => ok(limited),
    'GET /me/points?limit=1': () => ok({ balance: 500, entries: [], nextCursor: null }),
    'POST /mall/redemptions': () => ({ status: 201, body: { redemption: redemption({ productId: 3, pointsTotal: 300 }), balance: 200, replayed: false } }),
  });
  const page = renderPage('packageMall/pages/product/index');
  pageMethods<{ onLoad(q: Record<string, string>): void }>(page).onLoad({ id: '3' });
  await settle();

  expect(textOf(page, '.head__price')).toBe('300 积分');
  expect(textOf(page, '.stock')).toBe('库存 5 件');
  expect(textOf(page, '.limit')).toBe('每人限兑 1 件，已兑 0 件');
  expect(textOf(page, '.description')).toBe('帆布材质');

  tap(page, '.redeem');
  await settleAnimations();
  expect(textOf(sheet(page), '.limit-note')).toBe('每人限兑 1 件，还可兑 1 件');
  tap(sheet(page), '.confirm-redeem');
  await settleAnimations();

  expect(redemptions(server.requests)).toEqual([{ productId: 3, quantity: 1, requestId: expect.any(String) }]);
  expect(textOf(sheet(page), '.result-balance')).toBe('剩余积分 200');
  expect(textOf(page, '.stock')).toBe('库存 4 件');
  expect(textOf(page, '.redeem')).toBe('已达兑换上限');
});
