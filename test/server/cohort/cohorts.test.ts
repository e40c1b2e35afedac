import { at, createCohort, joinAs, operatorOf, teacherOf } from '../support/cohort-helpers';
import { loginAs, startTestApp, uploadImage, type LoggedIn, type TestApp } from '../support/test-app';

let t: TestApp;
let operator: LoggedIn;
let full: Record<string, unknown>;
beforeAll(async () => {
  t = await startTestApp();
  operator = await operatorOf(t);
  full = { ...content, coverImageUrl: await uploadImage(t, operator) };
});
beforeEach(() => at(t, '2026-03-01T10:00:00+08:00'));
afterAll(() => t.close());

const content = {
  title: '英语口语 14 天',
  theme: 'spoken-english',
  durationDays: 14,
  startDate: '2026-03-02',
  prompts: ['自我介绍', '描述你的早餐', '朗读一段新闻'],
  rules: '每天 23:59 前打卡；群内打卡双倍积分。',
  welcomeMessage: '欢迎加入！',
  announcement: '第一周主题：日常生活',
  points: { basePoints: 5, makeUpLimit: 1 },
};

describe('launching and reading cohorts', () => {
  it('an operator launches a cohort with its content; members see it with status and day', async () => {
    const teacher = await teacherOf(t, operator, 'ms-wang');
    const created = await t.http.post('/api/v1/cohorts').set(operator.auth).send({ ...full, teacherIds: [teacher.memberId] }).expect(201);
    expect(created.body).toMatchObject({
      title: '英语口语 14 天', durationDays: 14, startDate: '2026-03-02', endDate: '2026-03-15',
      status: 'recruiting', dayIndex: null, groupBound: false, teacherIds: [teacher.memberId], memberCount: 0, enrolled: false,
      points: { basePoints: 5, groupBonusPoints: 10, streakBonusPoints: 30, completionBonusPoints: 50, makeUpCost: 20, makeUpLimit: 1 },
      prompts: [{ dayIndex: 1, text: '自我介绍' }, { dayIndex: 2, text: '描述你的早餐' }, { dayIndex: 3, text: '朗读一段新闻' }],
    });

    const member = await joinAs(t, 'reader', created.body.id);
    await at(t, '2026-03-03T07:00:00+08:00');
    const shown = await t.http.get(`/api/v1/cohorts/${created.body.id}`).set(member.auth).expect(200);
    expect(shown.body).toMatchObject({ status: 'running', dayIndex: 2, todayPrompt: '描述你的早餐', enrolled: true, memberCount: 1 });
    const list = await t.http.get('/api/v1/cohorts').set(member.auth).expect(200);
    expect(list.body.items.find((c: { id: number }) => c.id === created.body.id)).toMatchObject({ status: 'running', dayIndex: 2, todayPrompt: '描述你的早餐' });

    await at(t, '2026-03-16T00:00:00+08:00');
    const ended = await t.http.get(`/api/v1/cohorts/${created.body.id}`).set(member.auth).expect(200);
    expect(ended.body).toMatchObject({ status: 'converting', dayIndex: null });
  });

  it('refuses members, bad durations, past start dates, non-teachers and too many prompts', async () => {
    const member = await loginAs(t, 'not-an-operator');
    const forbidden = await t.http.post('/api/v1/cohorts').set(member.auth).send(full).expect(403);
    expect(forbidden.body.error.code).toBe('FORBIDDEN');
    const bad = [
      { ...full, durationDays: 10 },
      { ...full, startDate: '2026-02-28' },
      { ...full, startDate: '2026-02-30' },
      { ...full, teacherIds: [member.memberId] },
      { ...full, durationDays: 7, prompts: Array(8).fill('p') },
      { ...full, title: '' },
      { ...full, points: { basePoints: -1 } },
    ];
    for (const body of bad) {
      const answer = await t.http.post('/api/v1/cohorts').set(operator.auth).send(body);
      expect({ body: JSON.stringify(body).slice(0, 60), status: answer.status, code: answer.body.error?.code }).toEqual({
        body: JSON.stringify(body).slice(0, 60), status: 400, code: 'VALIDATION_FAILED',
      });
    }
  });

  it('can be edited while recruiting, not after day 1', async () => {
    const cohort = await createCohort(t, operator, { startDate: '2026-03-02' });
    const edited = await t.http.put(`/api/v1/cohorts/${cohort.id}`).set(operator.auth)
      .send({ announcement: '明天开始！', prompts: ['第一天的任务'] }).expect(200);
    expect(edited.body).toMatchObject({ announcement: '明天开始！', prompts: [{ dayIndex: 1, text: '第一天的任务' }] });
    const promptsOnly = await t.http.put(`/api/v1/cohorts/${cohort.id}`).set(operator.auth).send({ prompts: ['改过的任务', '第二天'] }).expect(200);
    expect(promptsOnly.body.prompts.map((p: { text: string }) => p.text)).toEqual(['改过的任务', '第二天']);
    await t.http.put(`/api/v1/cohorts/${cohort.id}`).set(operator.auth).send({}).expect(200);
    await at(t, '2026-03-02T00:00:00+08:00');
    const late = await t.http.put(`/api/v1/cohorts/${cohort.id}`).set(operator.auth).send({ title: '改名' }).expect(409);
    expect(late.body.error.code).toBe('COHORT_ALREADY_STARTED');
  });

  it('clones a cohort as the next one: same content and teachers, new dates, no members or group', async () => {
    const teacher = await teacherOf(t, operator, 'mr-li');
    const source = await t.http.post('/api/v1/cohorts').set(operator.auth).send({ ...full, teacherIds: [teacher.memberId] }).expect(201);
    await joinAs(t, 'source-member', source.body.id);
    const clone = await t.http.post(`/api/v1/cohorts/${source.body.id}/clone`).set(operator.auth)
      .send({ startDate: '2026-03-20', title: '英语口语 14 天 · 第二期' }).expect(201);
    expect(clone.body).toMatchObject({
      title: '英语口语 14 天 · 第二期', startDate: '2026-03-20', durationDays: 14, teacherIds: [teacher.memberId],
      memberCount: 0, groupBound: false, clonedFromId: source.body.id, rules: full.rules, points: source.body.points,
      prompts: source.body.prompts,
    });
  });
});

describe('enrollment', () => {
  it('is idempotent, counts quits, allows rejoining, and is closed once the cohort has ended', async () => {
    const cohort = await createCohort(t, operator, { startDate: '2026-03-02' });
    const quinn = await loginAs(t, 'quinn');
    const path = `/api/v1/cohorts/${cohort.id}/enrollments`;
    const joins = await Promise.all([1, 2, 3].map(() => t.http.post(path).set(quinn.auth).send({})));
    expect(joins.map((j) => j.status)).toEqual([200, 200, 200]);
    expect(joins[0].body).toMatchObject({ cohortId: cohort.id, memberId: quinn.memberId, active: true });
    expect((await t.http.get(`/api/v1/cohorts/${cohort.id}`).set(quinn.auth)).body.memberCount).toBe(1);

    const left = await t.http.delete(`${path}/me`).set(quinn.auth).expect(200);
    expect(left.body.active).toBe(false);
    expect((await t.http.get(`/api/v1/cohorts/${cohort.id}`).set(quinn.auth)).body).toMatchObject({ memberCount: 0, enrolled: false });
    await t.http.post(path).set(quinn.auth).send({}).expect(200);
    expect((await t.http.get(`/api/v1/cohorts/${cohort.id}`).set(quinn.auth)).body.enrolled).toBe(true);

    await at(t, '2026-03-09T00:00:00+08:00');
    const late = await loginAs(t, 'latecomer');
    const closed = await t.http.post(path).set(late.auth).send({}).expect(409);
    expect(closed.body.error.code).toBe('COHORT_CLOSED');
  });

  it('answers 404 for an unknown cohort and 400 for a bad id', async () => {
    const rex = await loginAs(t, 'rex');
    expect((await t.http.post('/api/v1/cohorts/99999/enrollments').set(rex.auth).send({}).expect(404)).body.error.code).toBe('NOT_FOUND');
    expect((await t.http.get('/api/v1/cohorts/abc').set(rex.auth).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
  });
});
