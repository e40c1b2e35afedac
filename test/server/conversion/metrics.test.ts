import type { FakeWeChatPay } from '../../../server/src/platform/wechat/pay/wechat-pay';
import { at, bindGroup, createCohort, groupProof, joinAs, operatorOf, teacherOf } from '../support/cohort-helpers';
import { loginAs, ROOT_OPERATOR_OPENID, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

let t: TestApp;
let operator: LoggedIn;
let cohortId: number;
let teacher: LoggedIn;

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
  teacher = await teacherOf(t, operator, 'metrics-teacher');
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
  // Interaction: m2 and m1 like each other's day 1, m3 comments twice on m1's: 2 likes, 2 comments, 3 of 5 members.
  await t.http.put(`/api/v1/checkins/${firstDay.m1}/like`).set(m2.auth).expect(200);
  await t.http.put(`/api/v1/checkins/${firstDay.m2}/like`).set(m1.auth).expect(200);
  await t.http.post(`/api/v1/checkins/${firstDay.m1}/comments`).set(m3.auth).send({ text: '真棒' }).expect(201);
  await t.http.post(`/api/v1/checkins/${firstDay.m1}/comments`).set(m3.auth).send({ text: '一起加油' }).expect(201);

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
      // Reviews after 1 h, 2 h and 4 h: 3 of the 15 check-ins, on average 7 h / 3 = 8400 s.
      reviewers: [{ teacher: { id: teacher.memberId, nickname: expect.any(String) }, reviews: 3, coverage: 0.2, averageLatencySeconds: 8400 }],
      interaction: { likes: 2, comments: 2, members: 3, rate: 0.6 },
      costs: { prizesFen: 0, adsFen: 0, teacherHoursFen: 0, total: 0 },
      roi: null,
      retention: { nextCohortId: null, carried: 0, rate: null },
    });
  });

  it('lists the cohort in the operator overview, and is for operators only', async () => {
    const overview = await t.http.get('/api/v1/metrics/overview').set(operator.auth).expect(200);
    expect(overview.body.items).toEqual([
      {
        cohortId, title: '口径核对', startDate: '2026-03-02', status: 'converting', enrolled: 5, completionRate: 0.2, conversionRate: 0.4,
        payers: 2, revenueFen: 29800, averageOrderValueFen: 14900, costFen: 0, roi: null, retentionRate: null,
      },
    ]);
    const member = await loginAs(t, 'curious');
    expect((await t.http.get(`/api/v1/cohorts/${cohortId}/metrics`).set(member.auth).expect(403)).body.error.code).toBe('FORBIDDEN');
  });
});

describe('costs, ROI, likes and comments, and retention into the next cohort', () => {
  const costs = (path = '') => `/api/v1/cohorts/${cohortId}/costs${path}`;

  it('records costs per category (audited) and computes ROI = revenue / costs', async () => {
    const prizes = await t.http.post(costs()).set(operator.auth).send({ category: 'prizes', amountFen: 5000, note: '帆布包 10 个', incurredOn: '2026-03-08' }).expect(201);
    expect(prizes.body).toMatchObject({ cohortId, category: 'prizes', amountFen: 5000, note: '帆布包 10 个', incurredOn: '2026-03-08', createdBy: operator.memberId });
    await t.http.post(costs()).set(operator.auth).send({ category: 'ads', amountFen: 4000, incurredOn: '2026-03-01' }).expect(201);
    await t.http.post(costs()).set(operator.auth).send({ category: 'teacher_hours', amountFen: 3000, note: '6 小时 × ¥5', incurredOn: '2026-03-08' }).expect(201);
    const mistake = await t.http.post(costs()).set(operator.auth).send({ category: 'ads', amountFen: 999999, incurredOn: '2026-03-02' }).expect(201);
    await t.http.delete(costs(`/${mistake.body.id}`)).set(operator.auth).expect(204);
    await t.http.delete(costs(`/${mistake.body.id}`)).set(operator.auth).expect(404);

    const list = await t.http.get(costs()).set(operator.auth).expect(200);
    expect(list.body.totals).toEqual({ prizes: 5000, ads: 4000, teacher_hours: 3000, total: 12000 });
    expect(list.body.items.map((c: { incurredOn: string }) => c.incurredOn)).toEqual(['2026-03-08', '2026-03-08', '2026-03-01']);

    const metrics = (await t.http.get(`/api/v1/cohorts/${cohortId}/metrics`).set(operator.auth).expect(200)).body;
    // 298.00 / 120.00
    expect(metrics.costs).toEqual({ prizesFen: 5000, adsFen: 4000, teacherHoursFen: 3000, total: 12000 });
    expect(metrics.roi).toBe(2.4833);
    const [row] = (await t.http.get('/api/v1/metrics/overview').set(operator.auth).expect(200)).body.items;
    expect(row).toMatchObject({ costFen: 12000, roi: 2.4833 });

    const audits = (await t.http.get('/api/v1/admin/audit').set(operator.auth).expect(200)).body.items.map((a: { action: string }) => a.action);
    expect(audits.filter((a: string) => a.startsWith('cost.'))).toEqual(['cost.delete', 'cost.record', 'cost.record', 'cost.record', 'cost.record']);
  });

  it('refuses bad costs with a reason and keeps them from members', async () => {
    for (const body of [{ category: 'coffee', amountFen: 1, incurredOn: '2026-03-01' }, { category: 'ads', amountFen: 0, incurredOn: '2026-03-01' }, { category: 'ads', amountFen: 100, incurredOn: '2026-02-30' }]) {
      expect((await t.http.post(costs()).set(operator.auth).send(body).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.http.post('/api/v1/cohorts/999999/costs').set(operator.auth).send({ category: 'ads', amountFen: 1, incurredOn: '2026-03-01' }).expect(404)).body.error.code).toBe('NOT_FOUND');
    const member = await loginAs(t, 'nosy-member');
    await t.http.get(costs()).set(member.auth).expect(403);
    await t.http.post(costs()).set(member.auth).send({ category: 'ads', amountFen: 1, incurredOn: '2026-03-01' }).expect(403);
  });

  it('counts retention as members carried into the next cohort, and the date range of the overview', async () => {
    const next = await createCohort(t, operator, { startDate: '2026-03-16', title: '下一期' });
    await joinAs(t, 'm1', next.id);
    await joinAs(t, 'm2', next.id);
    await joinAs(t, 'newcomer', next.id);
    const before = (await t.http.get(`/api/v1/cohorts/${cohortId}/metrics`).set(operator.auth).expect(200)).body;
    expect(before.retention).toEqual({ nextCohortId: null, carried: 0, rate: null });

    await t.http.post(`/api/v1/cohorts/${cohortId}/disband`).set(operator.auth).send({ nextCohortId: next.id }).expect(200);
    const after = (await t.http.get(`/api/v1/cohorts/${cohortId}/metrics`).set(operator.auth).expect(200)).body;
    // m1 and m2 of the 5 enrolled (m5 quit but was enrolled).
    expect(after.retention).toEqual({ nextCohortId: next.id, carried: 2, rate: 0.4 });

    const all = (await t.http.get('/api/v1/metrics/overview').set(operator.auth).expect(200)).body.items;
    expect(all.map((r: { cohortId: number; retentionRate: number | null }) => [r.cohortId, r.retentionRate])).toEqual([[next.id, null], [cohortId, 0.4]]);
    const march2 = (await t.http.get('/api/v1/metrics/overview?from=2026-03-01&to=2026-03-10').set(operator.auth).expect(200)).body.items;
    expect(march2.map((r: { cohortId: number }) => r.cohortId)).toEqual([cohortId]);
    expect((await t.http.get('/api/v1/metrics/overview?from=March').set(operator.auth).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
  });
});
