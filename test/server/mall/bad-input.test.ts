import { expectBalancesMatchLedger, operatorOf } from '../support/cohort-helpers';
import { loginAs, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';
import { createProduct, givePoints, redeem } from './mall-helpers';

let t: TestApp;
let operator: LoggedIn;
let member: LoggedIn;
let paths: Array<['get' | 'post' | 'put', string]>;
beforeAll(async () => {
  t = await startTestApp();
  operator = await operatorOf(t);
  member = await loginAs(t, 'prober');
  await givePoints(t, operator, member, 100);
  const product = await createProduct(t, operator, { pointsPrice: 10, stock: 5, kind: 'virtual' });
  const { body } = await redeem(t, member, { productId: product.id }).expect(201);
  const p = product.id;
  const r = body.redemption.id;
  paths = [
    ['get', '/mall/products'], ['post', '/mall/products'], ['get', `/mall/products/${p}`], ['put', `/mall/products/${p}`],
    ['post', `/mall/products/${p}/stock`], ['get', `/mall/products/${p}/stock`], ['post', '/mall/redemptions'],
    ['get', '/me/redemptions'], ['get', '/mall/redemptions'], ['get', `/mall/redemptions/${r}`],
    ['post', `/mall/redemptions/${r}/cancel`], ['post', `/mall/redemptions/${r}/fulfil`],
  ];
});
afterEach(() => expectBalancesMatchLedger(t));
afterAll(() => t.close());

describe('mall routes under hostile input', () => {
  const bodies: unknown[] = [[], [1, 2], 'null', { productId: null }, { name: { $gt: '' } }, { quantity: 1e308 }, { delta: '1; DROP TABLE' }, { code: 'x'.repeat(5000) }];
  const oddPaths = ['/mall/products/0', '/mall/products/-1', '/mall/products/1.5', '/mall/products/99999999999', '/mall/redemptions/abc/cancel', '/mall/redemptions/0/fulfil'];

  it('answers 4xx with an error code, never a 5xx, for operators and members alike', async () => {
    for (const who of [operator, member]) {
      for (const [method, path] of paths) {
        for (const body of bodies) {
          const request = t.http[method](`/api/v1${path}?limit=abc&state[]=x`).set(who.auth);
          const answer = method === 'get' ? await request : await request.set('Content-Type', 'application/json').send(typeof body === 'string' ? body : JSON.stringify(body));
          expect({ method, path, body, status: answer.status < 500, code: typeof answer.body.error?.code }).toEqual({ method, path, body, status: true, code: answer.status < 400 ? 'undefined' : 'string' });
        }
      }
      for (const path of oddPaths) {
        const answer = await t.http.post(`/api/v1${path}`).set(who.auth).send({});
        expect({ path, clientError: answer.status >= 400 && answer.status < 500 }).toEqual({ path, clientError: true });
      }
    }
  });
});
