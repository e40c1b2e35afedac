import { at, createCohort, joinAs, operatorOf, teacherOf, type CohortFixture } from '../support/cohort-helpers';
import { startTestApp, uploadImage, type LoggedIn, type TestApp } from '../support/test-app';

let t: TestApp;
let operator: LoggedIn;
let cohort: CohortFixture;
const prompts = ['第一天：自我介绍', '第二天：描述房间', '第三天：点餐', '第四天：问路', '第五天：看病', '第六天：购物', '第七天：总结'];

beforeAll(async () => {
  t = await startTestApp();
  await at(t, '2026-03-01T10:00:00+08:00');
  operator = await operatorOf(t);
  cohort = await createCohort(t, operator, { prompts });
});
afterAll(() => t.close());

const edit = (body: object) => t.http.put(`/api/v1/cohorts/${cohort.id}`).set(operator.auth).send(body);

describe('an edit', () => {
  it('that does not name the teachers keeps them', async () => {
    const teacher = await teacherOf(t, operator, 'kept-teacher');
    const recruiting = await createCohort(t, operator, { teacherIds: [teacher.memberId] });
    const edited = await t.http.put(`/api/v1/cohorts/${recruiting.id}`).set(operator.auth).send({ announcement: '下周一开始' }).expect(200);
    expect(edited.body.teacherIds).toEqual([teacher.memberId]);
  });
});

describe('a running cohort', () => {
  beforeAll(() => at(t, '2026-03-04T10:00:00+08:00')); // day 3

  it('takes a new announcement, welcome and rules, which members see at once', async () => {
    const member = await joinAs(t, 'running-reader', cohort.id);
    await edit({ announcement: '今晚 8 点直播答疑', welcomeMessage: '欢迎加入！', rules: '每天打卡一次' }).expect(200);
    const seen = await t.http.get(`/api/v1/cohorts/${cohort.id}`).set(member.auth).expect(200);
    expect(seen.body).toMatchObject({ status: 'running', dayIndex: 3, announcement: '今晚 8 点直播答疑', welcomeMessage: '欢迎加入！', rules: '每天打卡一次' });
  });

  it('takes new prompts for days not yet reached', async () => {
    const changed = [...prompts.slice(0, 3), '第四天：打电话预约', prompts[4], prompts[5], '第七天：录一段 1 分钟总结'];
    const answer = await edit({ prompts: changed }).expect(200);
    expect(answer.body.prompts.map((p: { text: string }) => p.text)).toEqual(changed);
  });

  it('keeps today\'s and past prompts locked', async () => {
    const current = (await t.http.get(`/api/v1/cohorts/${cohort.id}`).set(operator.auth)).body.prompts.map((p: { text: string }) => p.text);
    for (const [day, attempt] of [[3, [...current.slice(0, 2), '改今天', ...current.slice(3)]], [1, ['改第一天', ...current.slice(1)]]] as const) {
      const refused = await edit({ prompts: attempt }).expect(409);
      expect(refused.body.error).toMatchObject({ code: 'PROMPT_LOCKED', details: { days: [day] } });
    }
    const shortened = await edit({ prompts: current.slice(0, 2) }).expect(409);
    expect(shortened.body.error.details).toEqual({ days: [3] });
    expect((await t.http.get(`/api/v1/cohorts/${cohort.id}`).set(operator.auth)).body.prompts.map((p: { text: string }) => p.text)).toEqual(current);
  });

  it('takes new teachers and a new reminder time, not a new title, start or point rules', async () => {
    const teacher = await teacherOf(t, operator, 'running-new-teacher');
    await edit({ teacherIds: [teacher.memberId], reminderTime: '20:30' }).expect(200);
    const refused = await edit({ title: '改名', points: { basePoints: 20 }, announcement: 'x' }).expect(409);
    expect(refused.body.error).toMatchObject({ code: 'COHORT_ALREADY_STARTED', details: { status: 'running', fields: ['title', 'points'] } });
    expect((await t.http.get(`/api/v1/cohorts/${cohort.id}`).set(operator.auth)).body.announcement).toBe('今晚 8 点直播答疑');
  });

  it('takes a new cover only from the operator\'s own uploads, and never half an edit', async () => {
    const coverUses = async () =>
      (await t.db.dataSource.query("SELECT u.storage_key AS k FROM upload_use x JOIN upload u ON u.id = x.upload_id WHERE x.ref_type = 'cohort-cover' AND x.ref_id = ?", [cohort.id]))
        .map((row: { k: string }) => row.k);
    const member = await joinAs(t, 'running-cover-member', cohort.id);
    const theirs = await uploadImage(t, member);
    const refused = await edit({ coverImageUrl: theirs }).expect(400);
    expect(refused.body.error.details).toEqual([{ path: 'body.coverImageUrl', message: 'not an image you uploaded' }]);

    const mine = await uploadImage(t, operator);
    await edit({ coverImageUrl: mine }).expect(200);
    expect((await t.http.get(`/api/v1/cohorts/${cohort.id}`).set(member.auth)).body.coverImageUrl).toBe(mine);
    expect(await coverUses()).toEqual([mine.split('/uploads/')[1]]);

    // A new cover with a locked prompt: neither lands.
    const next = await uploadImage(t, operator);
    const current = (await t.http.get(`/api/v1/cohorts/${cohort.id}`).set(operator.auth)).body.prompts.map((p: { text: string }) => p.text);
    await edit({ coverImageUrl: next, prompts: ['改第一天', ...current.slice(1)] }).expect(409);
    expect((await t.http.get(`/api/v1/cohorts/${cohort.id}`).set(operator.auth)).body.coverImageUrl).toBe(mine);
    expect(await coverUses()).toEqual([mine.split('/uploads/')[1]]);
  });

  it('is edited by operators only', async () => {
    const member = await joinAs(t, 'running-writer', cohort.id);
    await t.http.put(`/api/v1/cohorts/${cohort.id}`).set(member.auth).send({ announcement: 'hi' }).expect(403);
  });
});

describe('after the last day', () => {
  it('still takes an announcement; prompts are all locked; a disbanded cohort takes nothing', async () => {
    await at(t, '2026-03-09T10:00:00+08:00');
    await edit({ announcement: '第一轮优惠开始了' }).expect(200);
    const prompts = await edit({ prompts: ['x'] }).expect(409);
    expect(prompts.body.error.details).toMatchObject({ status: 'converting', fields: ['prompts'] });
    await t.http.post(`/api/v1/cohorts/${cohort.id}/disband`).set(operator.auth).send({}).expect(200);
    const late = await edit({ announcement: 'x' }).expect(409);
    expect(late.body.error.message).toMatch(/disbanded/);
  });
});
