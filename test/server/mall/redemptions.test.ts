import { MallRedemption } from '../../../server/src/modules/mall/mall.entities';
import { PointsLedgerLine } from '../../../server/src/modules/points/points.entity';
import { expectBalancesMatchLedger, operatorOf } from '../support/cohort-helpers';
import { loginAs, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';
import { address, balanceOf, createProduct, givePoints, newRequestId, productOf, redeem } from './mall-helpers';

let t: TestApp;
let operator: LoggedIn;
beforeAll(async () => {
  t = await startTestApp();
  operator = await operatorOf(t);
});
afterEach(() => expectBalancesMatchLedger(t));
afterAll(() => t.close());

let serial = 0;
async function memberWith(points: number): Promise<LoggedIn> {
  const member = await loginAs(t, `shopper-${++serial}`);
  if (points > 0) await givePoints(t, operator, member, points);
  return member;
}

const cancel = (who: LoggedIn, id: number, body: object = {}) =>
  t.http.post(`/api/v1/mall/redemptions/${id}/cancel`).set(who.auth).send(body);
const fulfil = (id: number, body: object, who: LoggedIn = operator) =>
  t.http.post(`/api/v1/mall/redemptions/${id}/fulfil`).set(who.auth).send(body);

describe('POST /mall/redemptions', () => {
  it('spends points and stock in one go, and answers 201 {redemption, balance}', async () => {
    const ann = await memberWith(500);
    const product = await createProduct(t, operator, { pointsPrice: 120, stock: 5, perMemberLimit: 3 });
    const answer = await redeem(t, ann, { productId: product.id, quantity: 2, address }).expect(201);
    expect(answer.body).toMatchObject({
      redemption: {
        productId: product.id, productName: '定制帆布包', kind: 'physical', quantity: 2, unitPrice: 120, pointsTotal: 240,
        state: 'pending', address, carrier: null, trackingNumber: null, virtualCode: null, member: { id: ann.memberId },
      },
      balance: 260,
      replayed: false,
    });
    expect(await productOf(t, ann, product.id)).toMatchObject({ stock: 3, myRedeemed: 2, myRemaining: 1 });
    const points = await t.http.get('/api/v1/me/points').set(ann.auth).expect(200);
    expect(points.body.entries[0]).toMatchObject({ delta: -240, reason: 'redemption', refType: 'redemption', refId: answer.body.redemption.id });
  });

  it('answers a retry with the same requestId with the first redemption (201, replayed: true) instead of buying twice', async () => {
    const ben = await memberWith(500);
    const product = await createProduct(t, operator, { pointsPrice: 100, stock: 5, kind: 'virtual' });
    const body = { productId: product.id, quantity: 1, requestId: newRequestId('retry') };
    const first = await redeem(t, ben, body).expect(201);
    const again = await redeem(t, ben, body).expect(201);
    expect(again.body).toMatchObject({ redemption: { id: first.body.redemption.id }, balance: 400, replayed: true });
    expect((await productOf(t, ben, product.id)).stock).toBe(4);

    // Racing retries: still one purchase.
    const racing = { productId: product.id, quantity: 1, requestId: newRequestId('race') };
    const answers = await Promise.all(Array.from({ length: 6 }, () => redeem(t, ben, racing)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.redemption.id)).size).toBe(1);
    expect(answers.filter((a) => !a.body.replayed)).toHaveLength(1);
    expect(await balanceOf(t, ben)).toBe(300);
    expect(await t.db.dataSource.manager.countBy(MallRedemption, { memberId: ben.memberId })).toBe(2);

    for (const changed of [{ ...body, quantity: 2 }, { ...body, productId: (await createProduct(t, operator, { kind: 'virtual' })).id }]) {
      const reused = await redeem(t, ben, changed).expect(409);
      expect(reused.body.error.code).toBe('REQUEST_ID_REUSED');
    }
    expect(await balanceOf(t, ben)).toBe(300);
  });

  it('refuses with OUT_OF_STOCK, LIMIT_EXCEEDED, INSUFFICIENT_POINTS, PRODUCT_INACTIVE and NOT_FOUND, changing nothing', async () => {
    const cat = await memberWith(250);
    const scarce = await createProduct(t, operator, { pointsPrice: 10, stock: 1, kind: 'virtual' });
    const out = await redeem(t, cat, { productId: scarce.id, quantity: 2 }).expect(409);
    expect(out.body.error).toMatchObject({ code: 'OUT_OF_STOCK', details: { stock: 1, requested: 2 } });

    const limited = await createProduct(t, operator, { pointsPrice: 10, stock: 10, perMemberLimit: 2, kind: 'virtual' });
    await redeem(t, cat, { productId: limited.id, quantity: 2 }).expect(201);
    const limit = await redeem(t, cat, { productId: limited.id, quantity: 1 }).expect(409);
    expect(limit.body.error).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 2, redeemed: 2 } });

    const dear = await createProduct(t, operator, { pointsPrice: 1000, stock: 10, kind: 'virtual' });
    const poor = await redeem(t, cat, { productId: dear.id }).expect(409);
    expect(poor.body.error).toMatchObject({ code: 'INSUFFICIENT_POINTS', details: { balance: 230, needed: 1000 } });

    const hidden = await createProduct(t, operator, { pointsPrice: 10, stock: 10, active: false, kind: 'virtual' });
    expect((await redeem(t, cat, { productId: hidden.id }).expect(409)).body.error.code).toBe('PRODUCT_INACTIVE');
    expect((await redeem(t, cat, { productId: 999999 }).expect(404)).body.error.code).toBe('NOT_FOUND');

    expect(await balanceOf(t, cat)).toBe(230);
    expect(await productOf(t, cat, scarce.id)).toMatchObject({ stock: 1, myRedeemed: 0 });
    expect(await productOf(t, cat, dear.id)).toMatchObject({ stock: 10, myRedeemed: 0 });
    expect(await productOf(t, cat, limited.id)).toMatchObject({ stock: 8, myRedeemed: 2, myRemaining: 0 });
    expect(await t.db.dataSource.manager.countBy(MallRedemption, { memberId: cat.memberId })).toBe(1);
  });

  it('needs a delivery address for physical goods, not for virtual ones', async () => {
    const dee = await memberWith(500);
    const bag = await createProduct(t, operator, { pointsPrice: 10, stock: 5 });
    const missing = await redeem(t, dee, { productId: bag.id }).expect(400);
    expect(missing.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'body.address' }] });
    expect((await productOf(t, dee, bag.id)).stock).toBe(5);
    expect(await balanceOf(t, dee)).toBe(500);

    const card = await createProduct(t, operator, { pointsPrice: 10, stock: 5, kind: 'virtual' });
    const virtual = await redeem(t, dee, { productId: card.id, address }).expect(201);
    expect(virtual.body.redemption.address).toBeNull();
  });

  it('validates the body: 400 VALIDATION_FAILED with the field, never a 5xx', async () => {
    const eve = await memberWith(100);
    const product = await createProduct(t, operator, { pointsPrice: 10, stock: 5 });
    const bad: Array<[object, string]> = [
      [{ quantity: 0 }, 'body.quantity'],
      [{ quantity: 1.5 }, 'body.quantity'],
      [{ quantity: 100 }, 'body.quantity'],
      [{ quantity: '1' }, 'body.quantity'],
      [{ requestId: 'short' }, 'body.requestId'],
      [{ requestId: 'has spaces in it' }, 'body.requestId'],
      [{ productId: -1 }, 'body.productId'],
      [{ productId: 99999999999 }, 'body.productId'],
      [{ address: { ...address, phone: 'call me' } }, 'body.address.phone'],
      [{ address: { ...address, detail: '' } }, 'body.address.detail'],
      [{ address: { userName: '张三', telNumber: '13800138000' } }, 'body.address'],
      [{ surprise: 1 }, 'body'],
    ];
    for (const [override, path] of bad) {
      const answer = await redeem(t, eve, { productId: product.id, address, ...override });
      expect({ override, status: answer.status, code: answer.body.error?.code }).toEqual({ override, status: 400, code: 'VALIDATION_FAILED' });
      expect(answer.body.error.details.map((d: { path: string }) => d.path).join(' ')).toContain(path);
    }
    const noRequestId = await t.http.post('/api/v1/mall/redemptions').set(eve.auth).send({ productId: product.id, quantity: 1, address }).expect(400);
    expect(noRequestId.body.error.code).toBe('VALIDATION_FAILED');
    const notJson = await t.http.post('/api/v1/mall/redemptions').set(eve.auth).set('Content-Type', 'application/json').send('{"productId":').expect(400);
    expect(notJson.body.error.code).toBe('MALFORMED_JSON');
    expect((await t.http.post('/api/v1/mall/redemptions').send({}).expect(401)).body.error.code).toBe('UNAUTHENTICATED');
    expect(await balanceOf(t, eve)).toBe(100);
  });
});

describe('fulfilment', () => {
  it('shows the carrier and tracking number of a shipped order to its member; a fulfilled order cannot be cancelled', async () => {
    const fay = await memberWith(100);
    const product = await createProduct(t, operator, { pointsPrice: 50, stock: 5 });
    const { body } = await redeem(t, fay, { productId: product.id, address }).expect(201);
    const id = body.redemption.id;

    expect((await fulfil(id, { code: 'ABC' }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await fulfil(id, { carrier: '顺丰' }).expect(400)).body.error.details).toEqual([{ path: 'body.trackingNumber', message: expect.any(String) }]);
    const shipped = await fulfil(id, { carrier: '顺丰', trackingNumber: 'SF1234567890' }).expect(200);
    expect(shipped.body).toMatchObject({ state: 'fulfilled', carrier: '顺丰', trackingNumber: 'SF1234567890', virtualCode: null });

    const mine = await t.http.get(`/api/v1/mall/redemptions/${id}`).set(fay.auth).expect(200);
    expect(mine.body).toMatchObject({ state: 'fulfilled', carrier: '顺丰', trackingNumber: 'SF1234567890', fulfilledAt: expect.any(String) });
    const list = await t.http.get('/api/v1/me/redemptions?state=fulfilled').set(fay.auth).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id, trackingNumber: 'SF1234567890' })]);

    for (const who of [fay, operator]) {
      const refused = await cancel(who, id).expect(409);
      expect(refused.body.error).toMatchObject({ code: 'REDEMPTION_NOT_PENDING', details: { state: 'fulfilled' } });
    }
    const twice = await fulfil(id, { carrier: '中通', trackingNumber: 'ZT000111' }).expect(409);
    expect(twice.body.error.code).toBe('REDEMPTION_NOT_PENDING');
    expect(await balanceOf(t, fay)).toBe(50);
  });

  it('gives a virtual product\'s code to its member', async () => {
    const gus = await memberWith(100);
    const product = await createProduct(t, operator, { name: '视频会员月卡', pointsPrice: 80, stock: 5, kind: 'virtual' });
    const { body } = await redeem(t, gus, { productId: product.id }).expect(201);
    expect((await fulfil(body.redemption.id, { carrier: '顺丰', trackingNumber: 'SF1', code: 'X' }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    await fulfil(body.redemption.id, { code: 'VIP-2026-ABCD-EFGH' }).expect(200);
    const mine = await t.http.get('/api/v1/me/redemptions').set(gus.auth).expect(200);
    expect(mine.body.items[0]).toMatchObject({ productName: '视频会员月卡', state: 'fulfilled', virtualCode: 'VIP-2026-ABCD-EFGH', carrier: null });
  });

  it('is for operators only', async () => {
    const hal = await memberWith(100);
    const product = await createProduct(t, operator, { pointsPrice: 10, stock: 5, kind: 'virtual' });
    const { body } = await redeem(t, hal, { productId: product.id }).expect(201);
    expect((await fulfil(body.redemption.id, { code: 'self-served' }, hal).expect(403)).body.error.code).toBe('FORBIDDEN');
    expect((await fulfil(999999, { code: 'x' }).expect(404)).body.error.code).toBe('NOT_FOUND');
  });
});

describe('cancellation', () => {
  it('refunds points, stock and quota once; cancelling again answers 200 with the cancelled order and refunds nothing', async () => {
    const ida = await memberWith(300);
    const product = await createProduct(t, operator, { pointsPrice: 100, stock: 3, perMemberLimit: 2 });
    const { body } = await redeem(t, ida, { productId: product.id, quantity: 2, address }).expect(201);
    expect(await productOf(t, ida, product.id)).toMatchObject({ stock: 1, myRedeemed: 2, myRemaining: 0 });

    const first = await cancel(ida, body.redemption.id, { reason: '不想要了' }).expect(200);
    expect(first.body).toMatchObject({
      redemption: { state: 'cancelled', cancelledBy: 'member', cancelReason: '不想要了', cancelledAt: expect.any(String) },
      balance: 300,
    });
    const second = await cancel(ida, body.redemption.id).expect(200);
    expect(second.body).toMatchObject({ redemption: { state: 'cancelled' }, balance: 300 });
    const byOperator = await cancel(operator, body.redemption.id).expect(200);
    expect(byOperator.body).toMatchObject({ redemption: { state: 'cancelled', cancelledBy: 'member' }, balance: 300 });

    expect(await productOf(t, ida, product.id)).toMatchObject({ stock: 3, myRedeemed: 0, myRemaining: 2 });
    const refunds = await t.db.dataSource.manager.findBy(PointsLedgerLine, { idempotencyKey: `redemption:${body.redemption.id}:refund` });
    expect(refunds).toEqual([expect.objectContaining({ delta: 200, reason: 'redemption_refund', memberId: ida.memberId })]);
    expect((await fulfil(body.redemption.id, { carrier: '顺丰', trackingNumber: 'SF1234' }).expect(409)).body.error.code).toBe('REDEMPTION_NOT_PENDING');
  });

  it('lets an operator cancel any member\'s pending redemption, refunded to that member', async () => {
    const jon = await memberWith(100);
    const product = await createProduct(t, operator, { pointsPrice: 60, stock: 2, kind: 'virtual' });
    const { body } = await redeem(t, jon, { productId: product.id }).expect(201);
    const answer = await cancel(operator, body.redemption.id, { reason: '缺货，已联系学员' }).expect(200);
    expect(answer.body).toMatchObject({ redemption: { state: 'cancelled', cancelledBy: 'operator' }, balance: 100 });
    expect(await balanceOf(t, jon)).toBe(100);
    expect((await productOf(t, jon, product.id)).stock).toBe(2);
  });

  it('keeps members away from others\' redemptions (404), while operators see and filter them all', async () => {
    const kay = await memberWith(100);
    const lou = await memberWith(100);
    const product = await createProduct(t, operator, { pointsPrice: 10, stock: 10, kind: 'virtual' });
    const { body } = await redeem(t, kay, { productId: product.id }).expect(201);
    const id = body.redemption.id;
    expect((await t.http.get(`/api/v1/mall/redemptions/${id}`).set(lou.auth).expect(404)).body.error.code).toBe('NOT_FOUND');
    expect((await cancel(lou, id).expect(404)).body.error.code).toBe('NOT_FOUND');
    expect((await t.http.get('/api/v1/me/redemptions').set(lou.auth).expect(200)).body.items).toEqual([]);
    expect((await t.http.get('/api/v1/mall/redemptions').set(lou.auth).expect(403)).body.error.code).toBe('FORBIDDEN');
    expect((await t.http.get(`/api/v1/mall/redemptions/${id}`).set(kay.auth).expect(200)).body.state).toBe('pending');
    expect((await t.http.get(`/api/v1/mall/redemptions/${id}`).set(operator.auth).expect(200)).body.member.id).toBe(kay.memberId);
    expect(await balanceOf(t, kay)).toBe(90);
  });
});

describe('order lists', () => {
  it('filters the operators\' list by state, product and member, and pages it by cursor', async () => {
    const max = await memberWith(1000);
    const ned = await memberWith(1000);
    const pen = await createProduct(t, operator, { name: '钢笔', pointsPrice: 10, stock: 100, kind: 'virtual' });
    const mug = await createProduct(t, operator, { name: '马克杯', pointsPrice: 10, stock: 100, kind: 'virtual' });
    const ids: number[] = [];
    for (const [who, product] of [[max, pen], [max, mug], [ned, pen], [ned, mug], [max, pen]] as const) {
      ids.push((await redeem(t, who, { productId: product.id }).expect(201)).body.redemption.id);
    }
    await cancel(max, ids[0]).expect(200);
    await fulfil(ids[3], { code: 'CODE-1' }).expect(200);

    const list = (query: string) => t.http.get(`/api/v1/mall/redemptions?${query}`).set(operator.auth).expect(200);
    const idsOf = (answer: { body: { items: Array<{ id: number }> } }) => answer.body.items.map((r) => r.id);
    expect(idsOf(await list(`productId=${pen.id}`))).toEqual([ids[4], ids[2], ids[0]]);
    expect(idsOf(await list(`memberId=${max.memberId}`))).toEqual([ids[4], ids[1], ids[0]]);
    expect(idsOf(await list(`memberId=${max.memberId}&productId=${pen.id}&state=pending`))).toEqual([ids[4]]);
    expect(idsOf(await list(`productId=${mug.id}&state=fulfilled`))).toEqual([ids[3]]);

    const firstPage = await list(`productId=${pen.id}&limit=2`);
    expect(idsOf(firstPage)).toEqual([ids[4], ids[2]]);
    const lastPage = await list(`productId=${pen.id}&limit=2&before=${firstPage.body.nextCursor}`);
    expect({ ids: idsOf(lastPage), nextCursor: lastPage.body.nextCursor }).toEqual({ ids: [ids[0]], nextCursor: null });

    const mine = await t.http.get('/api/v1/me/redemptions?state=cancelled').set(max.auth).expect(200);
    expect(idsOf(mine)).toEqual([ids[0]]);

    for (const query of ['state=shipped', 'productId=abc', 'memberId=0', 'limit=500', 'before=x', 'unknown=1', 'state=pending&state=fulfilled']) {
      const answer = await t.http.get(`/api/v1/mall/redemptions?${query}`).set(operator.auth);
      expect({ query, status: answer.status, code: answer.body.error?.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
    }
    expect((await t.http.get('/api/v1/me/redemptions?state=lost').set(max.auth).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
  });
});
