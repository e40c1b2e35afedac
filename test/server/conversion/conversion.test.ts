import { OfferOrder } from '../../../server/src/modules/conversion/conversion.entity';
import { createScheduler } from '../../../server/src/modules';
import type { FakeWeChatPay } from '../../../server/src/platform/wechat/pay/wechat-pay';
import type { FakeSubscribeMessageSender } from '../../../server/src/platform/wechat/subscribe-message';
import { at, bindGroup, createCohort, joinAs, operatorOf, type CohortFixture } from '../support/cohort-helpers';
import { ROOT_OPERATOR_OPENID, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';
import { tinyPng } from '../mall/mall-helpers';

let t: TestApp;
let operator: LoggedIn;

const fakePay = () => t.deps.wechat.pay as FakeWeChatPay;

beforeAll(async () => {
  t = await startTestApp();
  operator = await operatorOf(t);
});
afterAll(() => t.close());

/** A 7-day cohort starting 2026-03-02 (so round 1 is 03-09..03-10, round 2 03-11..03-12, round 3 03-13..03-14). */
async function endedCohort(title: string, memberOpenids: string[]) {
  await at(t, '2026-03-01T10:00:00+08:00');
  const cohort = await createCohort(t, operator, { startDate: '2026-03-02', title });
  const members: LoggedIn[] = [];
  for (const openid of memberOpenids) members.push(await joinAs(t, openid, cohort.id));
  return { cohort, members };
}

const publish = (cohort: CohortFixture, round: number, extra: object = {}) =>
  t.http.post(`/api/v1/cohorts/${cohort.id}/offers`).set(operator.auth)
    .send({ round, title: `第${round}轮 · 进阶课`, priceFen: 19900, originalPriceFen: 39900, ...extra });

async function buy(member: LoggedIn, offerId: number) {
  const answer = await t.http.post(`/api/v1/offers/${offerId}/orders`).set(member.auth).send({}).expect(201);
  return answer.body.order as { id: number; outTradeNo: string; amountFen: number };
}

function notify(notification: { headers: Record<string, string>; body: string }) {
  return t.http.post('/api/v1/pay/notify').set(notification.headers).set('Content-Type', 'application/json').send(notification.body);
}

describe('offers and payment', () => {
  let cohort: CohortFixture;
  let ann: LoggedIn;
  let offerId: number;
  let order: { id: number; outTradeNo: string; amountFen: number };

  beforeAll(async () => {
    ({ cohort, members: [ann] } = await endedCohort('付费转化', ['pay-ann', 'pay-bob']));
    offerId = (await publish(cohort, 1).expect(201)).body.id;
  });

  it('publishes a round with the default window (days N+1 and N+2 in Shanghai) and one offer per round', async () => {
    const offers = await t.http.get(`/api/v1/cohorts/${cohort.id}/offers`).set(operator.auth).expect(200);
    expect(offers.body.items[0]).toMatchObject({
      round: 1, priceFen: 19900, audience: 'all',
      opensAt: '2026-03-08T16:00:00.000Z', closesAt: '2026-03-10T16:00:00.000Z',
    });
    expect((await publish(cohort, 1).expect(409)).body.error.code).toBe('OFFER_ROUND_EXISTS');
    expect((await publish(cohort, 4).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await t.http.post(`/api/v1/cohorts/${cohort.id}/offers`).set(ann.auth).send({ round: 2, title: 'x', priceFen: 1 }).expect(403)).body.error.code).toBe('FORBIDDEN');
  });

  it('shows members the open offer and records the view once', async () => {
    await at(t, '2026-03-08T23:00:00+08:00');
    expect((await t.http.get('/api/v1/me/offers').set(ann.auth).expect(200)).body.items).toEqual([]);
    await at(t, '2026-03-09T10:00:00+08:00');
    const shown = await t.http.get('/api/v1/me/offers').set(ann.auth).expect(200);
    expect(shown.body.items).toEqual([expect.objectContaining({ id: offerId, cohortTitle: '付费转化', purchased: false })]);
    await t.http.get('/api/v1/me/offers').set(ann.auth).expect(200);
    const summary = await t.http.get(`/api/v1/cohorts/${cohort.id}/conversion`).set(operator.auth).expect(200);
    expect(summary.body.rounds[0]).toMatchObject({ views: 1, paidOrders: 0 });
  });

  it('creates an order with wx.requestPayment parameters, reusing it while unpaid', async () => {
    const first = await t.http.post(`/api/v1/offers/${offerId}/orders`).set(ann.auth).send({}).expect(201);
    expect(first.body).toMatchObject({
      order: { state: 'created', amountFen: 19900 },
      payment: { signType: 'RSA', package: expect.stringMatching(/^prepay_id=/), paySign: expect.any(String) },
      fakePayment: true,
    });
    const again = await t.http.post(`/api/v1/offers/${offerId}/orders`).set(ann.auth).send({}).expect(201);
    expect(again.body.order.id).toBe(first.body.order.id);
    order = first.body.order;
  });

  it('refuses a notification with a bad signature with WeChat Pay\'s generic failure, and changes nothing', async () => {
    const genuine = fakePay().simulatePaid({ outTradeNo: order.outTradeNo, amountFen: order.amountFen, payerOpenid: 'pay-ann' });
    const forged = { headers: genuine.headers, body: genuine.body.replace('"id":"', '"id":"x') };
    await notify(forged).expect(400, { code: 'FAIL', message: '失败' });
    const otherSigner = { headers: { ...genuine.headers, 'Wechatpay-Signature': Buffer.alloc(256, 1).toString('base64') }, body: genuine.body };
    await notify(otherSigner).expect(400, { code: 'FAIL', message: '失败' });
    expect((await t.db.dataSource.manager.findOneByOrFail(OfferOrder, { id: order.id })).state).toBe('created');
  });

  it('marks the order paid on a valid notification; a replay changes nothing', async () => {
    const notification = fakePay().simulatePaid({ outTradeNo: order.outTradeNo, amountFen: order.amountFen, payerOpenid: 'pay-ann' });
    await notify(notification).expect(200, { code: 'SUCCESS', message: '成功' });
    const paid = await t.db.dataSource.manager.findOneByOrFail(OfferOrder, { id: order.id });
    expect(paid).toMatchObject({ state: 'paid', transactionId: expect.any(String) });

    // WeChat repeats a notification until it is acknowledged: the same one a minute later, and a
    // freshly signed retry, both answer SUCCESS and change nothing.
    await at(t, '2026-03-09T10:01:00+08:00');
    await notify(notification).expect(200);
    await notify(fakePay().simulatePaid({ outTradeNo: order.outTradeNo, amountFen: order.amountFen, payerOpenid: 'pay-ann' })).expect(200);
    const replayed = await t.db.dataSource.manager.findOneByOrFail(OfferOrder, { id: order.id });
    expect(replayed.paidAt).toEqual(paid.paidAt);
    expect(await t.db.dataSource.manager.countBy(OfferOrder, { memberId: ann.memberId, state: 'paid' })).toBe(1);

    expect((await t.http.post(`/api/v1/offers/${offerId}/orders`).set(ann.auth).send({}).expect(409)).body.error.code).toBe('ALREADY_PURCHASED');
    const shown = await t.http.get('/api/v1/me/offers').set(ann.auth).expect(200);
    expect(shown.body.items[0].purchased).toBe(true);
  });

  it('refuses orders outside the window and lets unpaid orders lapse', async () => {
    const bob = await joinAs(t, 'pay-bob', cohort.id);
    const unpaid = await buy(bob, offerId);
    await at(t, '2026-03-09T13:30:00+08:00');
    await t.modules.conversion.lapseUnpaidOrders(t.clock.now());
    expect((await t.db.dataSource.manager.findOneByOrFail(OfferOrder, { id: unpaid.id })).state).toBe('expired');
    await at(t, '2026-03-11T00:00:00+08:00');
    expect((await t.http.post(`/api/v1/offers/${offerId}/orders`).set(bob.auth).send({}).expect(409)).body.error.code).toBe('OFFER_CLOSED');
  });
});

describe('disband-ready and disbanding', () => {
  it('is ready once a closed round brought no new paying member', async () => {
    const { cohort } = await endedCohort('第一轮无人购买', ['quiet-1', 'quiet-2']);
    await publish(cohort, 1).expect(201);
    await at(t, '2026-03-10T23:59:59+08:00');
    expect((await t.http.get(`/api/v1/cohorts/${cohort.id}/conversion`).set(operator.auth).expect(200)).body.disbandReady).toBe(false);
    await at(t, '2026-03-11T00:00:00+08:00');
    const summary = await t.http.get(`/api/v1/cohorts/${cohort.id}/conversion`).set(operator.auth).expect(200);
    expect(summary.body).toMatchObject({
      disbandReady: true, disbandReadyCode: 'ROUND_WITHOUT_NEW_PAYER', disbandReadyRound: 1,
      disbandReadyReason: 'round 1 closed without a new paying member',
    });
  });

  it('is ready when round 3 closes after every round brought a new payer', async () => {
    const { cohort, members } = await endedCohort('三轮都有人买', ['buyer-1', 'buyer-2', 'buyer-3', 'buyer-4']);
    for (const round of [1, 2, 3]) {
      const offerId = (await publish(cohort, round).expect(201)).body.id;
      await at(t, `2026-03-${String(7 + 2 * round).padStart(2, '0')}T12:00:00+08:00`);
      const order = await buy(members[round - 1], offerId);
      await notify(fakePay().simulatePaid({ outTradeNo: order.outTradeNo, amountFen: order.amountFen, payerOpenid: `buyer-${round}` })).expect(200);
    }
    await at(t, '2026-03-14T23:00:00+08:00');
    expect((await t.http.get(`/api/v1/cohorts/${cohort.id}/conversion`).set(operator.auth).expect(200)).body.disbandReady).toBe(false);
    await at(t, '2026-03-15T00:00:00+08:00');
    const summary = await t.http.get(`/api/v1/cohorts/${cohort.id}/conversion`).set(operator.auth).expect(200);
    expect(summary.body).toMatchObject({ disbandReady: true, disbandReadyCode: 'LAST_ROUND_CLOSED', disbandReadyRound: 3 });
    expect(summary.body.rounds.map((r: { newPayers: number }) => r.newPayers)).toEqual([1, 1, 1]);
  });

  it('disbanding closes check-ins, unbinds the group, records converters and invites members to the next cohort', async () => {
    await at(t, '2026-03-01T10:00:00+08:00');
    const cohort = await createCohort(t, operator, { startDate: '2026-03-02', title: '要解散的一期' });
    const next = await createCohort(t, operator, { startDate: '2026-03-20', title: '下一期' });
    const stay = await joinAs(t, 'stay-1', cohort.id);
    await joinAs(t, 'stay-2', cohort.id);
    await at(t, '2026-03-02T09:00:00+08:00');
    await bindGroup(t, operator, ROOT_OPERATOR_OPENID, cohort.id, 'tGdisband', t.clock.now());
    const qr = await t.http.post('/api/v1/uploads/images').set(operator.auth).attach('file', tinyPng, 'qr.png').expect(201);
    await t.http.put(`/api/v1/cohorts/${cohort.id}/group-qr`).set(operator.auth).send({ imageUrl: qr.body.url }).expect(200);
    await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(stay.auth).send({ text: 'day 1' }).expect(201);

    await at(t, '2026-03-05T09:00:00+08:00');
    expect((await t.http.post(`/api/v1/cohorts/${cohort.id}/disband`).set(operator.auth).send({}).expect(409)).body.error.code).toBe('COHORT_NOT_FINISHED');

    await at(t, '2026-03-11T09:00:00+08:00');
    expect((await t.http.post(`/api/v1/cohorts/${cohort.id}/disband`).set(stay.auth).send({}).expect(403)).body.error.code).toBe('FORBIDDEN');
    const done = await t.http.post(`/api/v1/cohorts/${cohort.id}/disband`).set(operator.auth).send({ nextCohortId: next.id }).expect(200);
    expect(done.body).toMatchObject({ members: 2, converted: 0, invited: 2, cohort: { status: 'disbanded', groupBound: false, groupQr: null, nextCohortId: next.id } });

    expect((await t.http.post(`/api/v1/cohorts/${cohort.id}/disband`).set(operator.auth).send({}).expect(409)).body.error.code).toBe('COHORT_DISBANDED');
    const refused = await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(stay.auth).send({ text: 'still here?' }).expect(409);
    expect(refused.body.error).toMatchObject({ code: 'COHORT_NOT_RUNNING', details: { status: 'disbanded' } });
    await t.http.get(`/api/v1/cohorts/${cohort.id}`).set(stay.auth).expect(200);
    const feed = await t.http.get(`/api/v1/cohorts/${cohort.id}/checkins`).set(stay.auth).expect(200);
    expect(feed.body.items).toHaveLength(1);

    const inbox = await t.http.get('/api/v1/me/notifications').set(stay.auth).expect(200);
    expect(inbox.body.items).toEqual([expect.objectContaining({ kind: 'invitation', page: `pages/cohort/index?id=${next.id}`, unread: true })]);
    await t.http.post(`/api/v1/me/notifications/${inbox.body.items[0].id}/read`).set(stay.auth).send({}).expect(200, { id: inbox.body.items[0].id, unread: false });
    expect((await t.http.get('/api/v1/me/notifications').set(stay.auth)).body.items[0].unread).toBe(false);
    await t.http.post(`/api/v1/me/notifications/${inbox.body.items[0].id}/read`).set(operator.auth).send({}).expect(404);
    // The group can be bound to the next cohort now.
    await bindGroup(t, operator, ROOT_OPERATOR_OPENID, next.id, 'tGdisband', t.clock.now());
  });

  it('refuses a next cohort that is not open', async () => {
    await at(t, '2026-03-01T10:00:00+08:00');
    const cohort = await createCohort(t, operator, { startDate: '2026-03-02', title: 'A' });
    const alsoEnded = await createCohort(t, operator, { startDate: '2026-03-02', title: 'B' });
    await at(t, '2026-03-12T10:00:00+08:00');
    const answer = await t.http.post(`/api/v1/cohorts/${cohort.id}/disband`).set(operator.auth).send({ nextCohortId: alsoEnded.id }).expect(409);
    expect(answer.body.error.code).toBe('NEXT_COHORT_NOT_OPEN');
  });
});

describe('offer notices', () => {
  it('announce an offer once to its audience with an "offer" send left, however many instances tick', async () => {
    const { cohort, members: [finisher, dropout] } = await endedCohort('通知', ['note-fin', 'note-drop', 'note-none']);
    await at(t, '2026-03-02T09:00:00+08:00');
    for (let day = 1; day <= 7; day++) {
      await at(t, `2026-03-${String(1 + day).padStart(2, '0')}T09:00:00+08:00`);
      await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(finisher.auth).send({ text: `d${day}` }).expect(201);
      if (day === 1) await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(dropout.auth).send({ text: 'd1' }).expect(201);
    }
    for (const member of [finisher, dropout]) {
      await t.http.post('/api/v1/me/subscriptions').set(member.auth).send({ results: { 'fake-tmpl-offer': 'accept' } }).expect(200);
    }
    await publish(cohort, 1, { audience: 'all' }).expect(201);
    await publish(cohort, 2, { audience: 'finishers' }).expect(201);
    const sent = () => (t.deps.wechat.subscribeMessages as FakeSubscribeMessageSender).sent.filter((m) => m.templateId === 'fake-tmpl-offer' && m.page.endsWith(`cohortId=${cohort.id}`));
    const schedulers = [createScheduler(t.deps, t.modules, 'a'), createScheduler(t.deps, t.modules, 'b')];

    await at(t, '2026-03-09T00:30:00+08:00');
    await Promise.all(schedulers.map((s) => s.tick()));
    await Promise.all(schedulers.map((s) => s.tick()));
    expect(sent().map((m) => m.touser).sort()).toEqual(['note-drop', 'note-fin']);
    expect(sent()[0].data).toMatchObject({ thing1: '第1轮 · 进阶课', amount2: '¥199.00', time3: '2026-03-11 00:00' });

    // Round 2 is for finishers; the finisher accepted once more after round 1.
    await t.http.post('/api/v1/me/subscriptions').set(finisher.auth).send({ results: { 'fake-tmpl-offer': 'accept' } }).expect(200);
    await t.http.post('/api/v1/me/subscriptions').set(dropout.auth).send({ results: { 'fake-tmpl-offer': 'accept' } }).expect(200);
    await at(t, '2026-03-11T08:00:00+08:00');
    await Promise.all(schedulers.map((s) => s.tick()));
    expect(sent().map((m) => m.touser).sort()).toEqual(['note-drop', 'note-fin', 'note-fin']);
    expect(sent().some((m) => m.touser === 'note-none')).toBe(false);
  });
});
