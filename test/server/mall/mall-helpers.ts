import type { LoggedIn, TestApp } from '../support/test-app';

export { tinyPng } from '../support/test-app';

/** A delivery address in the server's clean shape (the client maps wx.chooseAddress to it). */
export const address = {
  name: '张三',
  phone: '13800138000',
  province: '广东省',
  city: '广州市',
  district: '天河区',
  detail: '体育西路 100 号 8 楼',
};

let requestSerial = 0;
/** A fresh requestId (8-64 of [A-Za-z0-9_-]). */
export const newRequestId = (prefix = 'req') => `${prefix}-${process.pid}-${++requestSerial}-${Math.random().toString(36).slice(2, 8)}`;

export interface ProductFixture {
  id: number;
  pointsPrice: number;
  stock: number;
}

export async function createProduct(t: TestApp, operator: LoggedIn, overrides: Record<string, unknown> = {}): Promise<ProductFixture> {
  const answer = await t.http
    .post('/api/v1/mall/products')
    .set(operator.auth)
    .send({ name: '定制帆布包', description: '打卡 21 天纪念', pointsPrice: 100, stock: 10, kind: 'physical', ...overrides });
  if (answer.status !== 201) throw new Error(`createProduct: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { id: answer.body.id, pointsPrice: answer.body.pointsPrice, stock: answer.body.stock };
}

/** Gives a member points through the operator adjustment endpoint. */
export async function givePoints(t: TestApp, operator: LoggedIn, member: LoggedIn, delta: number): Promise<void> {
  await t.http
    .post(`/api/v1/admin/members/${member.memberId}/points`)
    .set(operator.auth)
    .send({ delta, note: '测试发放积分', requestId: newRequestId('grant') })
    .expect(200);
}

export function redeem(t: TestApp, member: LoggedIn, body: Record<string, unknown>) {
  return t.http.post('/api/v1/mall/redemptions').set(member.auth).send({ quantity: 1, requestId: newRequestId(), ...body });
}

export async function balanceOf(t: TestApp, member: LoggedIn): Promise<number> {
  const answer = await t.http.get('/api/v1/me/points').set(member.auth).expect(200);
  return answer.body.balance;
}

export async function productOf(t: TestApp, who: LoggedIn, productId: number) {
  return (await t.http.get(`/api/v1/mall/products/${productId}`).set(who.auth).expect(200)).body;
}
