import { createScheduler } from '../../../server/src/modules';
import { MallRedemption } from '../../../server/src/modules/mall/mall.entities';
import { address, createProduct, givePoints, redeem } from '../mall/mall-helpers';
import { capturingLogger } from '../pay/log-capture';
import { at, operatorOf } from '../support/cohort-helpers';
import { loginAs, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

/**
 * Issue 15, retention: delivery addresses of fulfilled redemptions are purged ADDRESS_RETENTION_DAYS
 * after fulfilment by the scheduler's hourly job, once across instances, and nothing personal reaches
 * the logs.
 */
jest.setTimeout(30_000);

let t: TestApp;
let operator: LoggedIn;
let member: LoggedIn;
const logs = capturingLogger();

beforeAll(async () => {
  t = await startTestApp({ env: { ADDRESS_RETENTION_DAYS: '30', LOG_LEVEL: 'debug' }, logger: logs.logger });
  operator = await operatorOf(t);
  member = await loginAs(t, 'retention-member');
  await givePoints(t, operator, member, 1000);
});
afterAll(() => t.close());

async function redemptionAt(instant: string, fulfil: boolean, productId: number): Promise<number> {
  await at(t, instant);
  const id = (await redeem(t, member, { productId, address }).expect(201)).body.redemption.id as number;
  if (fulfil) await t.http.post(`/api/v1/mall/redemptions/${id}/fulfil`).set(operator.auth).send({ carrier: '顺丰', trackingNumber: 'SF0000000001' }).expect(200);
  return id;
}

const addressOf = async (id: number) => (await t.db.dataSource.manager.findOneByOrFail(MallRedemption, { id })).address;

it('purges the addresses of redemptions fulfilled more than 30 days ago, keeps the others; two instances do it once; logs hold counts only', async () => {
  const product = await createProduct(t, operator, { stock: 50 });
  const old = await redemptionAt('2026-01-01T10:00:00+08:00', true, product.id);
  const recent = await redemptionAt('2026-02-20T10:00:00+08:00', true, product.id);
  const pendingOld = await redemptionAt('2026-01-02T10:00:00+08:00', false, product.id);

  await at(t, '2026-03-01T10:00:00+08:00');
  const instances = [createScheduler(t.deps, t.modules, 'instance-a'), createScheduler(t.deps, t.modules, 'instance-b')];
  await Promise.all(instances.map((scheduler) => scheduler.tick()));

  expect(await addressOf(old)).toBeNull();
  expect(await addressOf(recent)).toEqual(address);
  expect(await addressOf(pendingOld)).toEqual(address);
  const claims = await t.db.dataSource.query("SELECT claimed_by FROM job_run WHERE job_name = 'address-retention'");
  expect(claims).toHaveLength(1);
  const redemption = await t.db.dataSource.manager.findOneByOrFail(MallRedemption, { id: old });
  expect(redemption).toMatchObject({ state: 'fulfilled', pointsTotal: 100, trackingNumber: 'SF0000000001' });

  const purgeLines = logs.lines.filter((line) => line.job === 'address-retention');
  expect(purgeLines).toEqual([expect.objectContaining({ purged: 1, retentionDays: 30 })]);
  // The requests that carried the address (redeem) were logged too: none of it may be there.
  expect(logs.lines.length).toBeGreaterThan(5);
  const everything = JSON.stringify(logs.lines);
  for (const personal of [address.name, address.phone, address.detail, address.city, 'retention-member']) expect(everything).not.toContain(personal);
});
