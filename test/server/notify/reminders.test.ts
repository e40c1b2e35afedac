import { createScheduler } from '../../../server/src/modules';
import type { FakeSubscribeMessageSender } from '../../../server/src/platform/wechat/subscribe-message';
import { at, createCohort, joinAs, operatorOf, type CohortFixture } from '../support/cohort-helpers';
import { startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

let t: TestApp;
let cohort: CohortFixture;
let ann: LoggedIn;
let bob: LoggedIn;
let cat: LoggedIn;
let dan: LoggedIn;

const sender = () => t.deps.wechat.subscribeMessages as FakeSubscribeMessageSender;
const reminders = () => sender().sent.filter((m) => m.templateId === 'fake-tmpl-reminder');
const consent = (member: LoggedIn, times = 1) =>
  Promise.all(Array.from({ length: times }, () =>
    t.http.post('/api/v1/me/subscriptions').set(member.auth).send({ results: { 'fake-tmpl-reminder': 'accept' } }).expect(200)));

beforeAll(async () => {
  t = await startTestApp();
  const operator = await operatorOf(t);
  await at(t, '2026-03-01T10:00:00+08:00');
  cohort = await createCohort(t, operator, { startDate: '2026-03-02', prompts: ['自我介绍', '描述你的早餐'] });
  ann = await joinAs(t, 'ann', cohort.id); // consent, has not checked in: reminded
  bob = await joinAs(t, 'bob', cohort.id); // consent, checked in already: not reminded
  cat = await joinAs(t, 'cat', cohort.id); // no consent: not reminded
  dan = await joinAs(t, 'dan', cohort.id); // consent, but left the cohort: not reminded
  await consent(ann);
  await consent(bob);
  await consent(dan, 2);
  await t.http.delete(`/api/v1/cohorts/${cohort.id}/enrollments/me`).set(dan.auth).expect(200);
});
afterAll(() => t.close());

describe('the daily reminder', () => {
  it('two scheduler instances send exactly one reminder per eligible member per day', async () => {
    const first = createScheduler(t.deps, t.modules, 'instance-a');
    const second = createScheduler(t.deps, t.modules, 'instance-b');

    await at(t, '2026-03-02T07:30:00+08:00');
    await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(bob.auth).send({ text: '早起打卡' }).expect(201);
    await Promise.all([first.tick(), second.tick()]);
    expect(reminders()).toHaveLength(0); // before 08:00

    await at(t, '2026-03-02T08:00:00+08:00');
    await Promise.all([first.tick(), second.tick(), first.tick(), second.tick()]);
    expect(reminders().map((m) => m.touser)).toEqual(['ann']);
    expect(reminders()[0]).toMatchObject({ page: `pages/cohort/index?id=${cohort.id}`, data: { thing1: '英语口语 7 天', thing2: '自我介绍', number3: '1' } });

    await at(t, '2026-03-02T20:00:00+08:00');
    await Promise.all([first.tick(), second.tick()]);
    expect(reminders()).toHaveLength(1);
    const claims = await t.db.dataSource.query(`SELECT job_name AS name, period_key AS period FROM job_run WHERE job_name = 'daily-reminder'`);
    expect(claims).toEqual([{ name: 'daily-reminder', period: `${cohort.id}:2026-03-02` }]);
  });

  it('sends nothing to a member whose banked send was used, until they accept again', async () => {
    const first = createScheduler(t.deps, t.modules, 'instance-a');
    const second = createScheduler(t.deps, t.modules, 'instance-b');
    await at(t, '2026-03-03T08:05:00+08:00');
    await Promise.all([first.tick(), second.tick()]);
    // Ann used her one send yesterday; Bob has not checked in today and still has his.
    expect(reminders().map((m) => m.touser)).toEqual(['ann', 'bob']);
    expect(reminders()[1].data.thing2).toBe('描述你的早餐');

    await consent(ann);
    await at(t, '2026-03-04T08:00:00+08:00');
    await Promise.all([first.tick(), second.tick()]);
    expect(reminders().map((m) => m.touser)).toEqual(['ann', 'bob', 'ann']);
    expect(reminders().some((m) => m.touser === 'cat' || m.touser === 'dan')).toBe(false);
  });

  it('a 43101 answer (consent withdrawn in WeChat) clears the member\'s banked sends', async () => {
    await consent(cat, 3);
    sender().refuseFor('cat');
    await at(t, '2026-03-05T08:00:00+08:00');
    await createScheduler(t.deps, t.modules).tick();
    const subscriptions = await t.http.get('/api/v1/me/subscriptions').set(cat.auth).expect(200);
    expect(subscriptions.body.templates.find((x: { key: string }) => x.key === 'reminder').sendsLeft).toBe(0);
    sender().consentAgain('cat');
  });

  it('stops after the last day', async () => {
    const before = reminders().length;
    await consent(ann);
    await at(t, '2026-03-09T08:00:00+08:00');
    await createScheduler(t.deps, t.modules).tick();
    expect(reminders()).toHaveLength(before);
  });
});
