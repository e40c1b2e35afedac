import { PointsLedgerLine } from '../../../server/src/modules/points/points.entity';
import { expectBalancesMatchLedger, operatorOf } from '../support/cohort-helpers';
import { loginAs, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

let t: TestApp;
let operator: LoggedIn;
let sam: LoggedIn;
beforeAll(async () => {
  t = await startTestApp();
  operator = await operatorOf(t);
  sam = await loginAs(t, 'sam');
});
afterEach(() => expectBalancesMatchLedger(t));
afterAll(() => t.close());

const adjust = (memberId: number, body: object, who: LoggedIn = operator) =>
  t.http.post(`/api/v1/admin/members/${memberId}/points`).set(who.auth).send(body);

describe('operator adjustments', () => {
  it('adds points with a reason kept in the ledger, and shows them to the member', async () => {
    const answer = await adjust(sam.memberId, { delta: 100, note: '线下活动奖励', requestId: 'adj-0001-aaaa' }).expect(200);
    expect(answer.body).toMatchObject({ balance: 100, entry: { delta: 100, reason: 'adjustment', note: '线下活动奖励' } });
    const line = await t.db.dataSource.manager.findOneByOrFail(PointsLedgerLine, { id: answer.body.entry.id });
    expect(line.actorId).toBe(operator.memberId);
    const mine = await t.http.get('/api/v1/me/points').set(sam.auth).expect(200);
    expect(mine.body.entries[0]).toMatchObject({ delta: 100, note: '线下活动奖励' });
  });

  it('returns the first result for a retried requestId, even when retries race', async () => {
    const body = { delta: 7, note: '重试', requestId: 'adj-0002-race' };
    const answers = await Promise.all(Array.from({ length: 5 }, () => adjust(sam.memberId, body)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.body.entry.id)).size).toBe(1);
    expect(await t.db.dataSource.manager.countBy(PointsLedgerLine, { idempotencyKey: `adjust:${operator.memberId}:adj-0002-race` })).toBe(1);
    const reused = await adjust(sam.memberId, { ...body, delta: 8 }).expect(409);
    expect(reused.body.error.code).toBe('REQUEST_ID_REUSED');
  });

  it('never takes a balance below zero', async () => {
    const tom = await loginAs(t, 'tom');
    await adjust(tom.memberId, { delta: 10, note: '初始', requestId: 'adj-0003-tom1' }).expect(200);
    const answer = await adjust(tom.memberId, { delta: -11, note: '扣除', requestId: 'adj-0003-tom2' }).expect(409);
    expect(answer.body.error).toMatchObject({ code: 'INSUFFICIENT_POINTS', details: { balance: 10, needed: 11 } });
    const parallel = await Promise.all(
      Array.from({ length: 6 }, (_, i) => adjust(tom.memberId, { delta: -4, note: '并发扣除', requestId: `adj-0003-par${i}` })),
    );
    expect(parallel.filter((a) => a.status === 200)).toHaveLength(2);
    expect(parallel.filter((a) => a.status === 409).every((a) => a.body.error.code === 'INSUFFICIENT_POINTS')).toBe(true);
    expect((await t.http.get('/api/v1/me/points').set(tom.auth)).body.balance).toBe(2);
  });

  it('is for operators only, and validates its input', async () => {
    expect((await adjust(sam.memberId, { delta: 5, note: 'x', requestId: 'adj-0004-self' }, sam).expect(403)).body.error.code).toBe('FORBIDDEN');
    for (const body of [{ delta: 0, note: 'x', requestId: 'adj-0004-zero' }, { delta: 5, note: '', requestId: 'adj-0004-note' }, { delta: 5, note: 'x', requestId: 'bad id!' }, { delta: 1.5, note: 'x', requestId: 'adj-0004-frac' }]) {
      expect((await adjust(sam.memberId, body).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await adjust(999999, { delta: 5, note: 'x', requestId: 'adj-0004-none' }).expect(404)).body.error.code).toBe('NOT_FOUND');
  });
});

describe('GET /me/points', () => {
  it('pages the ledger newest first', async () => {
    const uma = await loginAs(t, 'uma');
    for (let i = 1; i <= 5; i++) await adjust(uma.memberId, { delta: i, note: `第${i}笔`, requestId: `adj-0005-uma${i}` }).expect(200);
    const first = await t.http.get('/api/v1/me/points?limit=2').set(uma.auth).expect(200);
    expect(first.body.balance).toBe(15);
    expect(first.body.entries.map((e: { delta: number }) => e.delta)).toEqual([5, 4]);
    const second = await t.http.get(`/api/v1/me/points?limit=2&before=${first.body.nextCursor}`).set(uma.auth).expect(200);
    expect(second.body.entries.map((e: { delta: number }) => e.delta)).toEqual([3, 2]);
    const last = await t.http.get(`/api/v1/me/points?limit=2&before=${second.body.nextCursor}`).set(uma.auth).expect(200);
    expect(last.body).toMatchObject({ entries: [{ delta: 1 }], nextCursor: null });
  });
});
