import { MallStockAdjustment } from '../../../server/src/modules/mall/mall.entities';
import { expectBalancesMatchLedger, operatorOf } from '../support/cohort-helpers';
import { loginAs, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';
import { createProduct, productOf, tinyPng } from './mall-helpers';

let t: TestApp;
let operator: LoggedIn;
let mia: LoggedIn;
beforeAll(async () => {
  t = await startTestApp();
  operator = await operatorOf(t);
  mia = await loginAs(t, 'mia');
});
afterEach(() => expectBalancesMatchLedger(t));
afterAll(() => t.close());

const products = (who: LoggedIn = operator) => ({
  create: (body: object) => t.http.post('/api/v1/mall/products').set(who.auth).send(body),
  put: (id: number | string, body: object) => t.http.put(`/api/v1/mall/products/${id}`).set(who.auth).send(body),
  stock: (id: number | string, body: object) => t.http.post(`/api/v1/mall/products/${id}/stock`).set(who.auth).send(body),
});

describe('operators manage products', () => {
  it('creates a product with uploaded images, and records the initial stock in the audit trail', async () => {
    const upload = await t.http.post('/api/v1/uploads/images').set(operator.auth).attach('file', tinyPng, 'bag.png').expect(201);
    const answer = await products()
      .create({ name: '保温杯', description: '500ml', imageUrls: [upload.body.url], pointsPrice: 300, stock: 5, perMemberLimit: 2, kind: 'physical' })
      .expect(201);
    expect(answer.body).toMatchObject({
      name: '保温杯', description: '500ml', imageUrls: [upload.body.url], pointsPrice: 300, stock: 5, inStock: true,
      perMemberLimit: 2, active: true, kind: 'physical', myRedeemed: 0,
    });
    const history = await t.http.get(`/api/v1/mall/products/${answer.body.id}/stock`).set(operator.auth).expect(200);
    expect(history.body.items).toEqual([
      expect.objectContaining({ delta: 5, stockAfter: 5, note: 'initial stock', actorId: operator.memberId }),
    ]);
  });

  it('places products in the catalogue in the order the operator gives them', async () => {
    const later = await products().create({ name: '排后', pointsPrice: 1, stock: 1, kind: 'virtual', sortOrder: 20 }).expect(201);
    const first = await products().create({ name: '排前', pointsPrice: 1, stock: 1, kind: 'virtual', sortOrder: -20 }).expect(201);
    expect(first.body.sortOrder).toBe(-20);
    const names = async () => (await t.http.get('/api/v1/mall/products').set(mia.auth).expect(200)).body.items.map((p: { name: string }) => p.name);
    expect((await names()).indexOf('排前')).toBeLessThan((await names()).indexOf('排后'));
    await products().put(later.body.id, { sortOrder: -30 }).expect(200);
    expect((await names()).indexOf('排后')).toBeLessThan((await names()).indexOf('排前'));
  });

  it('accepts only images uploaded here', async () => {
    for (const url of ['https://evil.example.com/a.png', '/uploads/../etc/passwd', '/uploads/img/2026/03/nothex.png']) {
      const answer = await products().create({ name: 'x', pointsPrice: 1, stock: 1, kind: 'virtual', imageUrls: [url] }).expect(400);
      expect(answer.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'body.imageUrls.0' }] });
    }
  });

  it('edits a product but never its stock directly', async () => {
    const product = await createProduct(t, operator, { name: '旧名字' });
    const answer = await products().put(product.id, { name: '新名字', pointsPrice: 150, perMemberLimit: null, active: false }).expect(200);
    expect(answer.body).toMatchObject({ name: '新名字', pointsPrice: 150, perMemberLimit: null, active: false, stock: product.stock });
    const refused = await products().put(product.id, { stock: 999 }).expect(400);
    expect(refused.body.error.code).toBe('VALIDATION_FAILED');
    expect((await products().put(999999, { name: 'x' }).expect(404)).body.error.code).toBe('NOT_FOUND');
  });

  it('adjusts the stock with a note, audited with who and when, never below zero', async () => {
    const product = await createProduct(t, operator, { stock: 3 });
    const more = await products().stock(product.id, { delta: 7, note: '补货' }).expect(200);
    expect(more.body).toMatchObject({ product: { stock: 10 }, adjustment: { delta: 7, stockAfter: 10, note: '补货', actorId: operator.memberId } });
    expect(Date.parse(more.body.adjustment.createdAt)).not.toBeNaN();

    const tooMuch = await products().stock(product.id, { delta: -11, note: '盘点损耗' }).expect(409);
    expect(tooMuch.body.error).toMatchObject({ code: 'STOCK_BELOW_ZERO', details: { stock: 10, delta: -11 } });

    // Twelve concurrent removals of 1 from a stock of 10: exactly ten succeed.
    const parallel = await Promise.all(Array.from({ length: 12 }, () => products().stock(product.id, { delta: -1, note: '并发出库' })));
    expect(parallel.filter((a) => a.status === 200)).toHaveLength(10);
    expect(parallel.filter((a) => a.status === 409).every((a) => a.body.error.code === 'STOCK_BELOW_ZERO')).toBe(true);
    expect((await productOf(t, operator, product.id)).stock).toBe(0);
    expect(await t.db.dataSource.manager.countBy(MallStockAdjustment, { productId: product.id })).toBe(1 + 1 + 10);

    const page = await t.http.get(`/api/v1/mall/products/${product.id}/stock?limit=5`).set(operator.auth).expect(200);
    expect(page.body.items).toHaveLength(5);
    expect(page.body.items[0].stockAfter).toBe(0);
    expect(page.body.nextCursor).toEqual(expect.any(String));
  });

  it('is for operators only (403) and validates its input (400)', async () => {
    const product = await createProduct(t, operator);
    const member = products(mia);
    for (const answer of [
      await member.create({ name: 'x', pointsPrice: 1, stock: 1, kind: 'virtual' }),
      await member.put(product.id, { name: 'x' }),
      await member.stock(product.id, { delta: 1, note: 'x' }),
      await t.http.get(`/api/v1/mall/products/${product.id}/stock`).set(mia.auth),
      await t.http.get('/api/v1/mall/products?includeInactive=true').set(mia.auth),
    ]) {
      expect({ status: answer.status, code: answer.body.error?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
    const bad = [
      {},
      { name: '', pointsPrice: 1, stock: 1, kind: 'virtual' },
      { name: 'x', pointsPrice: 0, stock: 1, kind: 'virtual' },
      { name: 'x', pointsPrice: 1.5, stock: 1, kind: 'virtual' },
      { name: 'x', pointsPrice: 1, stock: -1, kind: 'virtual' },
      { name: 'x', pointsPrice: 1, stock: 1, kind: 'food' },
      { name: 'x', pointsPrice: 1, stock: 1, kind: 'virtual', perMemberLimit: 0 },
      { name: 'x', pointsPrice: '1', stock: 1, kind: 'virtual' },
      { name: 'x', pointsPrice: 1, stock: 1, kind: 'virtual', extra: true },
    ];
    for (const body of bad) {
      const answer = await products().create(body);
      expect({ body, status: answer.status, code: answer.body.error?.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
    }
    for (const body of [{ delta: 0, note: 'x' }, { delta: 1, note: '' }, { delta: 1.5, note: 'x' }, { delta: 1 }]) {
      expect((await products().stock(product.id, body).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await products().stock('abc', { delta: 1, note: 'x' }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await products().stock(999999, { delta: 1, note: 'x' }).expect(404)).body.error.code).toBe('NOT_FOUND');
  });
});

describe('members browse', () => {
  it('lists active products only, in stock first; inactive products stay reachable by id', async () => {
    const fresh = await startTestApp();
    try {
      const op = await operatorOf(fresh);
      const kim = await loginAs(fresh, 'kim');
      const soldOut = await createProduct(fresh, op, { name: '售罄', stock: 0 });
      const older = await createProduct(fresh, op, { name: '有货-旧', stock: 2 });
      const hidden = await createProduct(fresh, op, { name: '下架', stock: 5, active: false });
      const newer = await createProduct(fresh, op, { name: '有货-新', stock: 1, perMemberLimit: 1 });
      const list = await fresh.http.get('/api/v1/mall/products').set(kim.auth).expect(200);
      expect(list.body.items.map((p: { id: number }) => p.id)).toEqual([newer.id, older.id, soldOut.id]);
      expect(list.body.items[0]).toMatchObject({ inStock: true, myRedeemed: 0, myRemaining: 1 });
      expect(list.body.items[2]).toMatchObject({ inStock: false, myRemaining: null });

      const all = await fresh.http.get('/api/v1/mall/products?includeInactive=true').set(op.auth).expect(200);
      expect(all.body.items.map((p: { id: number }) => p.id)).toEqual([newer.id, hidden.id, older.id, soldOut.id]);

      expect((await productOf(fresh, kim, hidden.id)).active).toBe(false);
      expect((await fresh.http.get('/api/v1/mall/products/999999').set(kim.auth).expect(404)).body.error.code).toBe('NOT_FOUND');
      expect((await fresh.http.get('/api/v1/mall/products?includeInactive=yes').set(op.auth).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
      expect((await fresh.http.get('/api/v1/mall/products').expect(401)).body.error.code).toBe('UNAUTHENTICATED');
    } finally {
      await fresh.close();
    }
  });
});
