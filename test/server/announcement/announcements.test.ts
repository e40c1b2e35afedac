import { createScheduler } from '../../../server/src/modules';
import type { FakeSubscribeMessageSender } from '../../../server/src/platform/wechat/subscribe-message';
import { at, createCohort, joinAs, operatorOf, teacherOf, type CohortFixture } from '../support/cohort-helpers';
import { loginAs, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

let t: TestApp;
let operator: LoggedIn;
let teacher: LoggedIn;
let cohort: CohortFixture;
let ann: LoggedIn;
let bob: LoggedIn;
let cat: LoggedIn;

const sender = () => t.deps.wechat.subscribeMessages as FakeSubscribeMessageSender;
/** Announcements go out with the reminder template (the cohort's daily reminder is set to 21:00 here, out of the way). */
const announcementMessages = () => sender().sent.filter((m) => m.templateId === 'fake-tmpl-reminder');
const consent = (member: LoggedIn, times = 1) =>
  Promise.all(Array.from({ length: times }, () =>
    t.http.post('/api/v1/me/subscriptions').set(member.auth).send({ results: { 'fake-tmpl-reminder': 'accept' } }).expect(200)));
const path = (suffix = '') => `/api/v1/cohorts/${cohort.id}/announcements${suffix}`;
const todays = () => `/api/v1/cohorts/${cohort.id}/today/announcements`;

beforeAll(async () => {
  t = await startTestApp();
  operator = await operatorOf(t);
  teacher = await teacherOf(t, operator, 'ann-teacher');
  await at(t, '2026-03-01T10:00:00+08:00');
  cohort = await createCohort(t, operator, { startDate: '2026-03-02', teacherIds: [teacher.memberId], reminderTime: '21:00' });
  ann = await joinAs(t, 'ann', cohort.id); // consented twice
  bob = await joinAs(t, 'bob', cohort.id); // consented once
  cat = await joinAs(t, 'cat', cohort.id); // never consented: sees it in the app only
  await consent(ann, 2);
  await consent(bob);
});
afterAll(() => t.close());

describe('scheduled announcements', () => {
  it('staff plan the playbook slots for several days; members see nothing before its time', async () => {
    const morning = await t.http.post(path()).set(operator.auth)
      .send({ slot: 'morning', title: '早安！今天练习点餐', body: '今天的任务：在餐厅点餐，录一段 30 秒的对话。', dates: ['2026-03-03', '2026-03-02'], time: '08:00' }).expect(201);
    expect(morning.body.items.map((a: { date: string; time: string; state: string }) => [a.date, a.time, a.state])).toEqual([
      ['2026-03-02', '08:00', 'scheduled'], ['2026-03-03', '08:00', 'scheduled'],
    ]);
    expect(morning.body.items[0].scheduledAt).toBe('2026-03-02T00:00:00.000Z');
    await t.http.post(path()).set(teacher.auth).send({ slot: 'summary', title: '今日总结', dates: ['2026-03-02'], time: '17:30' }).expect(201);
    expect((await t.http.get(todays()).set(ann.auth).expect(200)).body.items).toEqual([]);
  });

  it('refuses times past, bad input and outsiders', async () => {
    const past = await t.http.post(path()).set(operator.auth).send({ slot: 'tips', title: '干货', dates: ['2026-03-01'], time: '09:00' }).expect(400);
    expect(past.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'body.dates.0', message: 'must be in the future' }] });
    for (const body of [{ slot: 'noon', title: 'x', dates: ['2026-03-05'], time: '12:00' }, { slot: 'tips', title: '', dates: ['2026-03-05'], time: '12:00' }, { slot: 'tips', title: 'x', dates: ['2026-03-05'], time: '25:00' }, { slot: 'tips', title: 'x', dates: [], time: '12:00' }]) {
      expect((await t.http.post(path()).set(operator.auth).send(body).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    }
    const otherTeacher = await teacherOf(t, operator, 'other-teacher');
    await t.http.post(path()).set(otherTeacher.auth).send({ slot: 'tips', title: 'x', dates: ['2026-03-05'], time: '12:00' }).expect(403);
    await t.http.post(path()).set(ann.auth).send({ slot: 'tips', title: 'x', dates: ['2026-03-05'], time: '12:00' }).expect(403);
    const stranger = await loginAs(t, 'stranger');
    await t.http.get(todays()).set(stranger.auth).expect(403);
    await t.http.get('/api/v1/cohorts/999999/today/announcements').set(stranger.auth).expect(404);
  });

  it('edits and cancels future ones only', async () => {
    const [tips] = (await t.http.post(path()).set(operator.auth).send({ slot: 'tips', title: '干货：点餐句型', dates: ['2026-03-02'], time: '11:00' }).expect(201)).body.items;
    const moved = await t.http.put(path(`/${tips.id}`)).set(operator.auth).send({ time: '11:30', title: '干货：点餐常用句型' }).expect(200);
    expect(moved.body).toMatchObject({ date: '2026-03-02', time: '11:30', title: '干货：点餐常用句型', state: 'scheduled' });
    const [extra] = (await t.http.post(path()).set(operator.auth).send({ slot: 'interaction', title: '互动：晒晒你的早餐', dates: ['2026-03-02'], time: '14:00' }).expect(201)).body.items;
    expect((await t.http.post(path(`/${extra.id}/cancel`)).set(teacher.auth).send({}).expect(200)).body.state).toBe('cancelled');
    expect((await t.http.post(path(`/${extra.id}/cancel`)).set(teacher.auth).send({}).expect(200)).body.state).toBe('cancelled');
    expect((await t.http.put(path(`/${extra.id}`)).set(operator.auth).send({ title: '复活' }).expect(409)).body.error.code).toBe('ANNOUNCEMENT_NOT_CHANGEABLE');
    expect((await t.http.put(path(`/${tips.id}`)).set(operator.auth).send({ date: '2026-02-28' }).expect(400)).body.error.details).toEqual([{ path: 'body.date', message: 'must be in the future' }]);
  });

  it('goes out at its time exactly once across two instances, also after a restart; the console sees to how many', async () => {
    const first = createScheduler(t.deps, t.modules, 'instance-a');
    const second = createScheduler(t.deps, t.modules, 'instance-b');
    await at(t, '2026-03-02T07:59:00+08:00');
    await Promise.all([first.tick(), second.tick()]);
    expect(announcementMessages()).toHaveLength(0);

    await at(t, '2026-03-02T08:00:30+08:00');
    await Promise.all([first.tick(), second.tick(), first.tick(), second.tick()]);
    expect(announcementMessages().map((m) => m.touser).sort()).toEqual(['ann', 'bob']);
    expect(announcementMessages()[0]).toMatchObject({ page: `pages/cohort/index?id=${cohort.id}`, data: { thing1: '英语口语 7 天', thing2: '早安！今天练习点餐', number3: '1' } });
    const today = (await t.http.get(todays()).set(cat.auth).expect(200)).body.items;
    expect(today).toEqual([{ id: expect.any(Number), slot: 'morning', title: '早安！今天练习点餐', body: '今天的任务：在餐厅点餐，录一段 30 秒的对话。', publishedAt: '2026-03-02T00:00:30.000Z' }]);
    const [morning] = today;
    expect((await t.http.post(path(`/${morning.id}/cancel`)).set(operator.auth).send({}).expect(409)).body.error.code).toBe('ANNOUNCEMENT_NOT_CHANGEABLE');

    // A restarted instance (a new scheduler) and the same minute again: nothing goes out twice.
    await createScheduler(t.deps, t.modules, 'instance-a-restarted').tick();
    await at(t, '2026-03-02T12:00:00+08:00');
    await Promise.all([first.tick(), second.tick()]);
    // Bob's one send went to the morning one; the 11:30 tips reach Ann only (her second send).
    expect(announcementMessages().map((m) => m.data.thing2)).toEqual(['早安！今天练习点餐', '早安！今天练习点餐', '干货：点餐常用句型']);
    expect(announcementMessages().at(-1)!.touser).toBe('ann');

    const list = (await t.http.get(path()).set(teacher.auth).expect(200)).body.items;
    expect(list.map((a: { time: string; state: string; recipients: number | null; messagesSent: number | null }) => [a.time, a.state, a.recipients, a.messagesSent])).toEqual([
      ['08:00', 'published', 3, 2], ['11:30', 'published', 3, 1], ['14:00', 'cancelled', null, null], ['17:30', 'scheduled', null, null], ['08:00', 'scheduled', null, null],
    ]);
    const feedTop = (await t.http.get(todays()).set(ann.auth).expect(200)).body.items.map((a: { title: string }) => a.title);
    expect(feedTop).toEqual(['干货：点餐常用句型', '早安！今天练习点餐']);
    const claims = await t.db.dataSource.query(`SELECT COUNT(*) AS n FROM job_run WHERE job_name = 'scheduled-announcements'`);
    expect(Number(claims[0].n)).toBe(2);

    await at(t, '2026-03-03T09:00:00+08:00');
    expect((await t.http.get(todays()).set(ann.auth).expect(200)).body.items).toEqual([]);
  });
});
