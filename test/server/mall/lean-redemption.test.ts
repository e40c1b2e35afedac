import { MallRedemption } from '../../../server/src/modules/mall/mall.entities';
import { RedemptionService, type RedeemResult } from '../../../server/src/modules/mall/redemption.service';
import type { AppError } from '../../../server/src/platform/http/errors';
import { expectBalancesMatchLedger, operatorOf } from '../support/cohort-helpers';
import { statementsDuring } from '../support/statements';
import { loginAs, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';
import { createProduct, givePoints, newRequestId, redeem } from './mall-helpers';

/**
 * A redemption's statements (issue 17's rush), once the caller's token is cached: a purchase at most
 * 8, a retry 2, a refusal of a sold-out product 1; and the same request twice at once in one
 * process costs what it costs once.
 */
let t: TestApp;
let operator: LoggedIn;
let ida: LoggedIn;
beforeAll(async () => {
  t = await startTestApp();
  operator = await operatorOf(t);
  ida = await loginAs(t, 'ida');
  await givePoints(t, operator, ida, 500);
  await t.http.get('/api/v1/me').set(ida.auth).expect(200); // the token is cached, as after opening the app
});
afterEach(() => expectBalancesMatchLedger(t));
afterAll(() => t.close());

it('a purchase is at most 8 statements, its retry 2, a refusal of a sold-out product 1', async () => {
  const product = await createProduct(t, operator, { pointsPrice: 100, stock: 1, kind: 'virtual' });
  const body = { productId: product.id, quantity: 1, requestId: newRequestId('lean') };
  let first!: { status: number; body: { redemption: { id: number }; replayed: boolean } };
  const bought = await statementsDuring(t.db.dataSource, async () => {
    first = await redeem(t, ida, body);
  });
  expect(first.status).toBe(201);
  expect(bought.length).toBeLessThanOrEqual(8);

  let again!: typeof first;
  const replayed = await statementsDuring(t.db.dataSource, async () => {
    again = await redeem(t, ida, body);
  });
  expect(again.body).toMatchObject({ redemption: { id: first.body.redemption.id }, replayed: true });
  expect(replayed).toHaveLength(2);

  let refused!: { status: number; body: { error: { code: string } } };
  const soldOut = await statementsDuring(t.db.dataSource, async () => {
    refused = await redeem(t, ida, { productId: product.id, quantity: 1 });
  });
  expect([refused.status, refused.body.error.code]).toEqual([409, 'OUT_OF_STOCK']);
  expect(soldOut).toHaveLength(1);
});

it('the same request twice at once in one process (a double tap) buys once and costs what one request costs', async () => {
  const product = await createProduct(t, operator, { pointsPrice: 10, stock: 5, kind: 'virtual' });
  const body = { productId: product.id, quantity: 1, requestId: newRequestId('tap') };
  const service = new RedemptionService(t.db.dataSource, t.clock, t.config.businessTimeZone);
  let answers!: RedeemResult[];
  const statements = await statementsDuring(t.db.dataSource, async () => {
    answers = await Promise.all([service.redeem(ida.memberId, body), service.redeem(ida.memberId, body)]);
  });
  expect(answers[1].redemption.id).toBe(answers[0].redemption.id);
  expect(answers.map((a) => a.replayed)).toEqual([false, true]);
  expect(statements.length).toBeLessThanOrEqual(8);
  expect(await t.db.dataSource.manager.countBy(MallRedemption, { productId: product.id })).toBe(1);

  // Refused alike, with the one read of the first.
  const gone = await createProduct(t, operator, { pointsPrice: 10, stock: 0, kind: 'virtual' });
  const refusal = { productId: gone.id, quantity: 1, requestId: newRequestId('tap') };
  let outcomes!: Array<PromiseSettledResult<RedeemResult>>;
  const refused = await statementsDuring(t.db.dataSource, async () => {
    outcomes = await Promise.allSettled([service.redeem(ida.memberId, refusal), service.redeem(ida.memberId, refusal)]);
  });
  expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as AppError).code : o.status))).toEqual(['OUT_OF_STOCK', 'OUT_OF_STOCK']);
  expect(refused).toHaveLength(1);
});
