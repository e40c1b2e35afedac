import type { FakeWeChatPay } from '../../../server/src/platform/wechat/pay/wechat-pay';
import { at, bindGroup, createCohort, groupProof, joinAs, operatorOf, teacherOf } from '../support/cohort-helpers';
import { loginAs, ROOT_OPERATOR_OPENID, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

let t: TestApp;
let operator: LoggedIn;
let cohortId: number;

const day = (n: number, time: string) => `2026-03-${String(1 + n).padStart(2, '0')}T${time}+08:00`;

/**
 * A small cohort whose funnel is worked out by hand:
 *  m1: days 1-7 (days 1-2 from the group)   m2: days 1,2,3,5,6   m3: day 1   m4: nothing   m5: days 1,2 then quits
 *  teacher reviews the day-1 check-ins of m1, m2, m3 after 1 h, 2 h and 4 h
 *  round 1: m1 and m2 view it, m1 buys (199.00); round 2: m2 views and buys (99.00)
 */
beforeAll(async () => {
  t = await startTestApp();
  operator = await operatorOf(t);
  const teacher = await teacherOf(t, operator, 'metrics-teacher');
  await at(t, '2026-03-01T10:00:00+08:00');
  cohortId = (await createCohort(t, operator, { startDate: '2026-03-02', title: '口径核对', teacherIds: [teacher.memberId] })).id;
  const [m1, m2, m3, , m5] = await Promise.all(['m1', 'm2', 'm3', 'm4', 'm5'].map((openid) => joinAs(t, openid, cohortId)));
  const plan: Array<[LoggedIn, string, number[]]> = [[m1, 'm1', [1, 2, 3, 4, 5, 6, 7]], [m2, 'm2', [1, 2, 3, 5, 6]], [m3, 'm3', [1]], [m5, 'm5', [1, 2]]];
  await at(t, day(1, '08:00:00'));
  await bindGroup(t, operator, ROOT_OPERATOR_OPENID, cohortId, 'tGmetrics', t.clock.now());
  const firstDay: Record<string, number> = {};
  for (let d = 1; d <= 7; d++) {
    await at(t, day(d, '09:00:00'));
    for (const [member, openid, days] of plan) {
      if (!days.includes(d)) continue;
      const body = openid === 'm1' && d <= 2 ? { text: `d${d}`, groupProof: groupProof('m1', 'tGmetrics', t.clock.now()) } : { text: `d${d}` };
      const answer = await t.http.post(`/api/v1/cohorts/${cohortId}/checkins`).set(member.auth).send(body).expect(201);
      if (d === 1) firstDay[openid] = answer.body.checkin.id;
    }
    if (d === 1) {
      for (const [openid, time] of [['m1', '10:00:00'], ['m2', '11:00:00'], ['m3', '13:00:00']]) {
        await at(t, day(1, time));
        await t.http.post(`/api/v1/checkins/${firstDay[openid]}/reviews`).set(teacher.auth).send({ text: '好' }).expect(201);
      }
    }
    if (d === 2) await t.http.delete(`/api/v1/cohorts/${cohortId}/enrollments/me`).set(m5.auth).expect(200);
  }

  const offer1 = (await t.http.post(`/api/v1/cohorts/${cohortId}/offers`).set(operator.auth).send({ round: 1, title: '进阶', priceFen: 19900 }).expect(201)).body.id;
  const offer2 = (await t.http.post(`/api/v1/cohorts/${cohortId}/offers`).set(operator.auth).send({ round: 2, title: '进阶特价', priceFen: 9900 }).expect(201)).body.id;
  const pay = async (member: LoggedIn, openid: string, offerId: number) => {
    const order = (await t.http.post(`/api/v1/offers/${offerId}/orders`).set(member.auth).send({}).expect(201)).body.order;
    const notification = (t.deps.wechat.pay as FakeWeChatPay).simulatePaid({ outTradeNo: order.outTradeNo, amountFen: order.amountFen, payerOpenid: openid });
    await t.http.post('/api/v1/pay/notify').set(notification.headers).set('Content-Type', 'application/json').send(notification.body).expect(200);
  };
  await at(t, day(8, '10:00:00'));
  await t.http.get('/api/v1/me/offers').set(m1.auth).expect(200);
  await t.http.get('/api/v1/me/offers').set(m2.auth).expect(200);
  await pay(m1, 'm1', offer1);
  await at(t, day(10, '10:00:00'));
  await t.http.get('/api/v1/me/offers').set(m2.auth).expect(200);
  await pay(m2, 'm2', offer2);
});
afterAll(() => t.close());

describe('GET /cohorts/:id/metrics', () => {
  it('equals the hand-computed funnel', async () => {
    const metrics = await t.http.get(`/api/v1/cohorts/${cohortId}/metrics`).set(operator.auth).expect(200);
    expect(metrics.body).toEqual({
      cohortId, title: '口径核对', status: 'converting', durationDays: 7,
      enrolled: 5, active: 4, quits: 1, quitRate: 0.2,
      groupVerifiedMembers: 1,
      checkinRateByDay: [4, 3, 2, 1, 2, 2, 1].map((n, i) => ({ day: i + 1, checkins: n, rate: n / 5 })),
      completed: 1, completionRate: 0.2,
      streakDistribution: [
        { longestStreak: '0', members: 1 },
        { longestStreak: '1-2', members: 2 },
        { longestStreak: '3-6', members: 1 },
        { longestStreak: '7-13', members: 1 },
      ],
      checkins: 15, reviewCoverage: 0.2, medianReviewLatencySeconds: 7200,
      rounds: [
        { round: 1, offerViews: 2, orders: 1, newPayers: 1, conversionRate: 0.2, revenueFen: 19900 },
        { round: 2, offerViews: 1, orders: 1, newPayers: 1, conversionRate: 0.2, revenueFen: 9900 },
        { round: 3, offerViews: 0, orders: 0, newPayers: 0, conversionRate: 0, revenueFen: 0 },
      ],
      payers: 2, conversionRate: 0.4, orders: 2, revenueFen: 29800, averageOrderValueFen: 14900,
      disbandReady: false,
      // Nobody came in through a share here (test/server/referral/entry-funnel.test.ts has one that did).
      entry: {
        sources: ['poster', 'card', 'timeline', 'group'].map((source) => ({ source, opens: 0, visitors: 0, joins: 0, firstCheckins: 0 })),
        total: { source: 'all', opens: 0, visitors: 0, joins: 0, firstCheckins: 0 },
        entryRate: 0,
      },
      topInviters: [],
    });
  });

  it('lists the cohort in the operator overview, and is for operators only', async () => {
    const overview = await t.http.get('/api/v1/metrics/overview').set(operator.auth).expect(200);
    expect(overview.body.items).toEqual([
      { cohortId, title: '口径核对', startDate: '2026-03-02', status: 'converting', enrolled: 5, completionRate: 0.2, conversionRate: 0.4, revenueFen: 29800 },
    ]);
    const member = await loginAs(t, 'curious');
    expect((await t.http.get(`/api/v1/cohorts/${cohortId}/metrics`).set(member.auth).expect(403)).body.error.code).toBe('FORBIDDEN');
  });
});
