import { createScheduler } from '../../../server/src/modules';
import type { FakeSubscribeMessageSender } from '../../../server/src/platform/wechat/subscribe-message';
import { at, createCohort, joinAs, operatorOf } from '../support/cohort-helpers';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const sendsLeft = (body: { templates: { key: string; sendsLeft: number }[] }) =>
  Object.fromEntries(body.templates.map((template) => [template.key, template.sendsLeft]));

describe('DELETE /me/subscriptions/:key (Me -> 消息提醒 -> off)', () => {
  it('drops the banked sends of that kind only, and the daily reminder then leaves the member alone', async () => {
    const operator = await operatorOf(t);
    await at(t, '2026-03-01T10:00:00+08:00');
    const cohort = await createCohort(t, operator, { startDate: '2026-03-02' });
    const eve = await joinAs(t, 'eve', cohort.id);
    for (let i = 0; i < 3; i++) {
      await t.http.post('/api/v1/me/subscriptions').set(eve.auth)
        .send({ results: { 'fake-tmpl-reminder': 'accept', 'fake-tmpl-review': i === 0 ? 'accept' : 'reject' } }).expect(200);
    }

    const stopped = await t.http.delete('/api/v1/me/subscriptions/reminder').set(eve.auth).expect(200);
    expect(sendsLeft(stopped.body)).toEqual({ reminder: 0, review: 1, offer: 0, invitation: 0 });
    await t.http.delete('/api/v1/me/subscriptions/reminder').set(eve.auth).expect(200); // again: still fine
    expect(sendsLeft((await t.http.get('/api/v1/me/subscriptions').set(eve.auth).expect(200)).body).reminder).toBe(0);

    await at(t, '2026-03-02T09:00:00+08:00');
    await createScheduler(t.deps, t.modules, 'instance-a').tick();
    const sent = (t.deps.wechat.subscribeMessages as FakeSubscribeMessageSender).sent;
    expect(sent.filter((m) => m.touser === 'eve')).toEqual([]);
  });

  it('refuses an unknown kind with VALIDATION_FAILED and a caller without a session with 401', async () => {
    const fay = await joinAs(t, 'fay', (await createCohort(t, await operatorOf(t), { startDate: '2026-03-05' })).id);
    const bad = await t.http.delete('/api/v1/me/subscriptions/birthday').set(fay.auth).expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    await t.http.delete('/api/v1/me/subscriptions/reminder').expect(401);
  });
});
