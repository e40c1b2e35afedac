import { MallMemberQuota, MallRedemption } from '../../../server/src/modules/mall/mall.entities';
import { RedemptionService, type RedeemResult } from '../../../server/src/modules/mall/redemption.service';
import { AppError } from '../../../server/src/platform/http/errors';
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

const noServerErrors = (answers: Array<{ status: number }>) => expect(answers.filter((a) => a.status >= 500)).toEqual([]);

describe('a rush on a scarce product', () => {
  it('40 members, each sending the same redemption twice at once, for a stock of 20: exactly 20 redemptions', async () => {
    const product = await createProduct(t, operator, { name: '限量徽章', pointsPrice: 100, stock: 20 });
    // Logged in one after another: concurrent first logins are not what this test is about.
    const members: LoggedIn[] = [];
    for (let i = 0; i < 40; i++) {
      members.push(await loginAs(t, `rush-${i}`));
      await givePoints(t, operator, members[i], 150);
    }

    const attempts = members.flatMap((member) => {
      const body = { productId: product.id, quantity: 1, requestId: newRequestId('rush'), address };
      return [redeem(t, member, body), redeem(t, member, body)].map((answer) => answer.then((a) => ({ member, answer: a })));
    });
    const results = await Promise.all(attempts);
    noServerErrors(results.map((r) => r.answer));

    const winners = new Set<number>();
    for (const member of members) {
      const mine = results.filter((r) => r.member === member).map((r) => r.answer);
      const statuses = mine.map((a) => a.status).sort();
      if (statuses.includes(201)) {
        // Both twins answer with the same redemption, whichever of them bought it.
        expect(statuses).toEqual([201, 201]);
        expect(mine[0].body.redemption.id).toBe(mine[1].body.redemption.id);
        winners.add(member.memberId);
      } else {
        expect(mine.map((a) => [a.status, a.body.error.code])).toEqual([[409, 'OUT_OF_STOCK'], [409, 'OUT_OF_STOCK']]);
      }
    }
    expect(winners.size).toBe(20);
    expect((await productOf(t, operator, product.id)).stock).toBe(0);
    expect(await t.db.dataSource.manager.countBy(MallRedemption, { productId: product.id })).toBe(20);
    for (const member of members) {
      expect(await balanceOf(t, member)).toBe(winners.has(member.memberId) ? 50 : 150);
    }
    const spent = await t.db.dataSource.manager.countBy(PointsLedgerLine, { reason: 'redemption' });
    expect(spent).toBe(20);
  }, 30_000);
});

describe('the per-member limit under parallel requests', () => {
  it('one member firing 10 requests (different requestIds) at a limit of 3 gets exactly 3', async () => {
    const product = await createProduct(t, operator, { pointsPrice: 10, stock: 100, perMemberLimit: 3, kind: 'virtual' });
    const ola = await loginAs(t, 'ola');
    await givePoints(t, operator, ola, 1000);
    const answers = await Promise.all(Array.from({ length: 10 }, () => redeem(t, ola, { productId: product.id })));
    noServerErrors(answers);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.error.code)).toEqual(Array(7).fill('LIMIT_EXCEEDED'));
    expect(await productOf(t, ola, product.id)).toMatchObject({ stock: 97, myRedeemed: 3, myRemaining: 0 });
    expect(await balanceOf(t, ola)).toBe(970);
  });

  it('mixed quantities never go over the limit, and parallel buys of different products by one member all succeed', async () => {
    const product = await createProduct(t, operator, { pointsPrice: 1, stock: 100, perMemberLimit: 5, kind: 'virtual' });
    const pia = await loginAs(t, 'pia');
    await givePoints(t, operator, pia, 1000);
    const answers = await Promise.all([2, 2, 2, 1, 3, 1].map((quantity) => redeem(t, pia, { productId: product.id, quantity })));
    noServerErrors(answers);
    const bought = answers.filter((a) => a.status === 201).reduce((sum, a) => sum + a.body.redemption.quantity, 0);
    expect(bought).toBeLessThanOrEqual(5);
    const quota = await t.db.dataSource.manager.findOneByOrFail(MallMemberQuota, { memberId: pia.memberId, productId: product.id });
    expect(quota.redeemed).toBe(bought);
    expect((await productOf(t, pia, product.id)).stock).toBe(100 - bought);

    const others = await Promise.all(Array.from({ length: 6 }, () => createProduct(t, operator, { pointsPrice: 5, stock: 3, kind: 'virtual' })));
    const before = await balanceOf(t, pia);
    const parallel = await Promise.all(others.map((p) => redeem(t, pia, { productId: p.id })));
    expect(parallel.map((a) => a.status)).toEqual(Array(6).fill(201));
    expect(await balanceOf(t, pia)).toBe(before - 30);
  });

  it('a member who can afford only some of many parallel redemptions never goes negative', async () => {
    const product = await createProduct(t, operator, { pointsPrice: 30, stock: 100, kind: 'virtual' });
    const quinn = await loginAs(t, 'quinn');
    await givePoints(t, operator, quinn, 100);
    const answers = await Promise.all(Array.from({ length: 8 }, () => redeem(t, quinn, { productId: product.id })));
    noServerErrors(answers);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.error.code === 'INSUFFICIENT_POINTS')).toBe(true);
    expect(await balanceOf(t, quinn)).toBe(10);
    expect((await productOf(t, quinn, product.id)).stock).toBe(97);
  });

  it('members who never had a point, rushing alongside paying ones, get INSUFFICIENT_POINTS (no deadlock, no 5xx)', async () => {
    const product = await createProduct(t, operator, { pointsPrice: 10, stock: 100, kind: 'virtual' });
    const broke: LoggedIn[] = [];
    const paying: LoggedIn[] = [];
    for (let i = 0; i < 10; i++) broke.push(await loginAs(t, `broke-${i}`));
    for (let i = 0; i < 5; i++) {
      paying.push(await loginAs(t, `paying-${i}`));
      await givePoints(t, operator, paying[i], 10);
    }
    const answers = await Promise.all([...broke, ...paying].map((who) => redeem(t, who, { productId: product.id })));
    noServerErrors(answers);
    expect(answers.slice(0, 10).map((a) => a.body.error?.code)).toEqual(Array(10).fill('INSUFFICIENT_POINTS'));
    expect(answers.slice(0, 10)[0].body.error.details).toEqual({ balance: 0, needed: 10 });
    expect(answers.slice(10).map((a) => a.status)).toEqual(Array(5).fill(201));
    expect((await productOf(t, operator, product.id)).stock).toBe(95);
  });
});

describe('cancellations at once', () => {
  it('two (and more) cancels at once refund once; stock and quota come back once', async () => {
    const product = await createProduct(t, operator, { pointsPrice: 40, stock: 4, perMemberLimit: 2 });
    const ray = await loginAs(t, 'ray');
    await givePoints(t, operator, ray, 100);
    const { body } = await redeem(t, ray, { productId: product.id, quantity: 2, address }).expect(201);
    expect(body.balance).toBe(20);
    const id = body.redemption.id;

    const answers = await Promise.all([
      t.http.post(`/api/v1/mall/redemptions/${id}/cancel`).set(ray.auth).send({}),
      t.http.post(`/api/v1/mall/redemptions/${id}/cancel`).set(ray.auth).send({}),
      t.http.post(`/api/v1/mall/redemptions/${id}/cancel`).set(operator.auth).send({ reason: '同时取消' }),
      t.http.post(`/api/v1/mall/redemptions/${id}/cancel`).set(ray.auth).send({}),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(answers.every((a) => a.body.redemption.state === 'cancelled' && a.body.balance === 100)).toBe(true);
    expect(await balanceOf(t, ray)).toBe(100);
    expect(await productOf(t, ray, product.id)).toMatchObject({ stock: 4, myRedeemed: 0 });
    expect(await t.db.dataSource.manager.countBy(PointsLedgerLine, { reason: 'redemption_refund', memberId: ray.memberId })).toBe(1);
  });

  it('a cancel racing a fulfilment: exactly one wins, and points move only if the cancel won', async () => {
    const product = await createProduct(t, operator, { pointsPrice: 10, stock: 10, kind: 'virtual' });
    const sue = await loginAs(t, 'sue');
    await givePoints(t, operator, sue, 100);
    for (let round = 0; round < 5; round++) {
      const { body } = await redeem(t, sue, { productId: product.id }).expect(201);
      const id = body.redemption.id;
      const [cancelled, fulfilled] = await Promise.all([
        t.http.post(`/api/v1/mall/redemptions/${id}/cancel`).set(sue.auth).send({}),
        t.http.post(`/api/v1/mall/redemptions/${id}/fulfil`).set(operator.auth).send({ code: `CODE-${round}` }),
      ]);
      expect([cancelled.status, fulfilled.status].sort()).toEqual([200, 409]);
      const final = await t.db.dataSource.manager.findOneByOrFail(MallRedemption, { id });
      expect(final.state).toBe(cancelled.status === 200 ? 'cancelled' : 'fulfilled');
      const refunds = await t.db.dataSource.manager.countBy(PointsLedgerLine, { idempotencyKey: `redemption:${id}:refund` });
      expect(refunds).toBe(cancelled.status === 200 ? 1 : 0);
    }
    const redemptions = await t.db.dataSource.manager.findBy(MallRedemption, { memberId: sue.memberId });
    const kept = redemptions.filter((r) => r.state === 'fulfilled').length;
    expect(await balanceOf(t, sue)).toBe(100 - 10 * kept);
    expect((await productOf(t, sue, product.id)).stock).toBe(10 - kept);
  });
});

describe('twins reaching two server instances', () => {
  // Each instance answers a twin that reaches it while the first is running from the first's result;
  // between instances the database decides. Two services on one database stand for two instances.
  const instances = () => [
    new RedemptionService(t.db.dataSource, t.clock, t.config.businessTimeZone),
    new RedemptionService(t.db.dataSource, t.clock, t.config.businessTimeZone),
  ];
  const outcome = (attempt: Promise<RedeemResult>) =>
    attempt.then(
      (result) => ({ id: result.redemption.id, replayed: result.replayed, code: null as string | null }),
      (error: unknown) => {
        if (!(error instanceof AppError)) throw error;
        return { id: null, replayed: false, code: error.code };
      },
    );

  it('a scarce product: exactly the stock is redeemed, twins agree, and no unit is lost to a twin', async () => {
    const product = await createProduct(t, operator, { pointsPrice: 100, stock: 8, kind: 'virtual' });
    const members: LoggedIn[] = [];
    for (let i = 0; i < 16; i++) {
      members.push(await loginAs(t, `twin-rush-${i}`));
      await givePoints(t, operator, members[i], 150);
    }
    const [a, b] = instances();
    const pairs = await Promise.all(
      members.map((member) => {
        const body = { productId: product.id, quantity: 1, requestId: newRequestId('twin') };
        return Promise.all([outcome(a.redeem(member.memberId, body)), outcome(b.redeem(member.memberId, body))]);
      }),
    );
    const winners = pairs.filter((pair) => pair.some((o) => o.id !== null));
    expect(winners).toHaveLength(8);
    for (const pair of pairs) {
      // One redemption per request, and both twins answer with it (one of them as a replay), or
      // both are refused.
      if (pair[0].id === null) expect(pair.map((o) => o.code)).toEqual(['OUT_OF_STOCK', 'OUT_OF_STOCK']);
      else {
        expect(pair[1].id).toBe(pair[0].id);
        expect(pair.filter((o) => o.replayed)).toHaveLength(1);
      }
    }
    expect((await productOf(t, operator, product.id)).stock).toBe(0);
    expect(await t.db.dataSource.manager.countBy(MallRedemption, { productId: product.id })).toBe(8);
  }, 30_000);

  it('a member who can afford many: one redemption per requestId, the twin\'s units go back to the stock', async () => {
    const product = await createProduct(t, operator, { pointsPrice: 10, stock: 50, kind: 'virtual' });
    const vic = await loginAs(t, 'vic');
    await givePoints(t, operator, vic, 1000);
    const [a, b] = instances();
    for (let round = 0; round < 6; round++) {
      const body = { productId: product.id, quantity: 2, requestId: newRequestId('twin') };
      const pair = await Promise.all([outcome(a.redeem(vic.memberId, body)), outcome(b.redeem(vic.memberId, body))]);
      expect(pair.map((o) => o.code)).toEqual([null, null]);
      expect(pair[0].id).toBe(pair[1].id);
      expect(pair.filter((o) => o.replayed)).toHaveLength(1);
    }
    expect(await t.db.dataSource.manager.countBy(MallRedemption, { memberId: vic.memberId })).toBe(6);
    expect(await productOf(t, vic, product.id)).toMatchObject({ stock: 38, myRedeemed: 12 });
    expect(await balanceOf(t, vic)).toBe(880);
  });
});

describe('purchases and cancellations of one member at once', () => {
  it('never deadlock into a 5xx, and stock, quota and points stay in step', async () => {
    const product = await createProduct(t, operator, { pointsPrice: 10, stock: 40, perMemberLimit: 30, kind: 'virtual' });
    const wes = await loginAs(t, 'wes');
    await givePoints(t, operator, wes, 1000);
    const first = await Promise.all(Array.from({ length: 6 }, () => redeem(t, wes, { productId: product.id })));
    expect(first.map((a) => a.status)).toEqual(Array(6).fill(201));
    const answers = await Promise.all([
      ...first.map((a) => t.http.post(`/api/v1/mall/redemptions/${a.body.redemption.id}/cancel`).set(wes.auth).send({})),
      ...Array.from({ length: 6 }, () => redeem(t, wes, { productId: product.id })),
    ]);
    noServerErrors(answers);
    expect(answers.map((a) => a.status)).toEqual([...Array(6).fill(200), ...Array(6).fill(201)]);
    expect(await productOf(t, wes, product.id)).toMatchObject({ stock: 34, myRedeemed: 6 });
    expect(await balanceOf(t, wes)).toBe(940);
  });
});
