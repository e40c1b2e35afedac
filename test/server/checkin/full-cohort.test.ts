import { Checkin } from '../../../server/src/modules/checkin/checkin.entity';
import {
  at, bindGroup, createCohort, expectBalancesMatchLedger, groupProof, joinAs, operatorOf, type CohortFixture,
} from '../support/cohort-helpers';
import { ROOT_OPERATOR_OPENID, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

let t: TestApp;
let operator: LoggedIn;
let cohort: CohortFixture;
const GROUP = 'tGseven_days';

/** Morning of day n of a cohort starting 2026-03-02 (Shanghai). */
const morningOf = (day: number) => `2026-03-${String(1 + day).padStart(2, '0')}T08:30:00+08:00`;
const dateOf = (day: number) => `2026-03-${String(1 + day).padStart(2, '0')}`;

beforeAll(async () => {
  t = await startTestApp();
  operator = await operatorOf(t);
  await at(t, '2026-03-01T10:00:00+08:00');
  cohort = await createCohort(t, operator, { startDate: '2026-03-02', durationDays: 7 });
  await at(t, morningOf(1));
  await bindGroup(t, operator, ROOT_OPERATOR_OPENID, cohort.id, GROUP, new Date(morningOf(1)));
});
afterEach(() => expectBalancesMatchLedger(t));
afterAll(() => t.close());

const checkIn = (member: LoggedIn, body: object) => t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(member.auth).send(body);
const balanceOf = async (member: LoggedIn) => (await t.http.get('/api/v1/me/points').set(member.auth).expect(200)).body.balance as number;

describe('a whole 7-day cohort', () => {
  it('every day from the group: 7 × 20, the 7-day streak bonus and the completion bonus, each once', async () => {
    await at(t, morningOf(1));
    const kim = await joinAs(t, 'kim', cohort.id);
    const bonuses: string[] = [];
    for (let day = 1; day <= 7; day++) {
      await at(t, morningOf(day));
      const answer = await checkIn(kim, { text: `第${day}天`, groupProof: groupProof('kim', GROUP, new Date(morningOf(day))) }).expect(201);
      expect(answer.body.streak).toEqual({ current: day, longest: day, total: day });
      bonuses.push(...answer.body.awards.filter((a: { reason: string }) => a.reason.endsWith('_bonus') && a.reason !== 'group_bonus').map((a: { reason: string }) => `${day}:${a.reason}`));
    }
    expect(bonuses).toEqual(['7:streak_bonus', '7:completion_bonus']);
    expect(await balanceOf(kim)).toBe(7 * 20 + 30 + 50);

    const progress = await t.http.get(`/api/v1/me/cohorts/${cohort.id}/progress`).set(kim.auth).expect(200);
    expect(progress.body.days.map((d: { state: string }) => d.state)).toEqual(Array(7).fill('done'));

    await at(t, '2026-03-09T08:00:00+08:00');
    const after = await t.http.get(`/api/v1/me/cohorts/${cohort.id}/progress`).set(kim.auth).expect(200);
    expect(after.body).toMatchObject({ status: 'converting', dayIndex: null, streak: { current: 7, longest: 7, total: 7 } });
  });

  it('make-ups: cost 20, earn the base only, count for streak and completion, at most 2', async () => {
    await at(t, morningOf(1));
    const lee = await joinAs(t, 'lee', cohort.id);
    for (const day of [1, 2, 5]) {
      await at(t, morningOf(day));
      await checkIn(lee, { text: `第${day}天` }).expect(201);
    }
    expect(await balanceOf(lee)).toBe(30);
    await at(t, morningOf(6));
    const calendar = await t.http.get(`/api/v1/me/cohorts/${cohort.id}/progress`).set(lee.auth).expect(200);
    expect(calendar.body.days.map((d: { state: string }) => d.state)).toEqual(['done', 'done', 'missed', 'missed', 'done', 'today', 'upcoming']);
    expect(calendar.body).toMatchObject({ makeUpsLeft: 2, makeUpCost: 20, streak: { current: 1, longest: 2, total: 3 } });

    const first = await checkIn(lee, { text: '补第三天', makeUpDate: dateOf(3) }).expect(201);
    expect(first.body.checkin).toMatchObject({ dayIndex: 3, isMakeUp: true });
    expect(first.body.awards).toEqual([{ reason: 'make_up_fee', points: -20 }, { reason: 'checkin', points: 10 }]);
    expect(first.body.balance).toBe(20);

    const second = await checkIn(lee, { text: '补第四天', makeUpDate: dateOf(4) }).expect(201);
    expect(second.body.streak).toEqual({ current: 5, longest: 5, total: 5 });
    expect(second.body.balance).toBe(10);

    await checkIn(lee, { text: '第六天' }).expect(201);
    await at(t, morningOf(7));
    const last = await checkIn(lee, { text: '第七天' }).expect(201);
    expect(last.body.awards).toEqual([
      { reason: 'checkin', points: 10 },
      { reason: 'streak_bonus', points: 30 },
      { reason: 'completion_bonus', points: 50 },
    ]);
    expect(await balanceOf(lee)).toBe(10 + 10 + 10 + 30 + 50);

    const progress = await t.http.get(`/api/v1/me/cohorts/${cohort.id}/progress`).set(lee.auth).expect(200);
    expect(progress.body.days.map((d: { state: string }) => d.state)).toEqual(['done', 'done', 'made-up', 'made-up', 'done', 'done', 'done']);
    expect(progress.body.makeUpsLeft).toBe(0);
  });

  it('refuses a third make-up with MAKEUP_LIMIT_REACHED, and records nothing', async () => {
    await at(t, morningOf(1));
    const max = await joinAs(t, 'max', cohort.id);
    await checkIn(max, { text: '第一天' }).expect(201);
    await at(t, morningOf(2));
    await checkIn(max, { text: '第二天' }).expect(201);
    await at(t, morningOf(3));
    await checkIn(max, { text: '第三天' }).expect(201);
    await at(t, morningOf(7));
    await checkIn(max, { text: '补4', makeUpDate: dateOf(4) }).expect(201);
    await checkIn(max, { text: '补5', makeUpDate: dateOf(5) }).expect(201);
    const third = await checkIn(max, { text: '补6', makeUpDate: dateOf(6) }).expect(409);
    expect(third.body.error.code).toBe('MAKEUP_LIMIT_REACHED');
    expect(await t.db.dataSource.manager.countBy(Checkin, { memberId: max.memberId })).toBe(5);
    expect(await balanceOf(max)).toBe(30 + 2 * (10 - 20));
  });

  it('refuses a make-up without 20 points with INSUFFICIENT_POINTS, and records nothing', async () => {
    await at(t, morningOf(1));
    const ned = await joinAs(t, 'ned', cohort.id);
    await checkIn(ned, { text: '第一天' }).expect(201);
    await at(t, morningOf(3));
    const answer = await checkIn(ned, { text: '补第二天', makeUpDate: dateOf(2) }).expect(409);
    expect(answer.body.error).toMatchObject({ code: 'INSUFFICIENT_POINTS', details: { balance: 10, needed: 20 } });
    expect(await t.db.dataSource.manager.countBy(Checkin, { memberId: ned.memberId })).toBe(1);
    expect(await balanceOf(ned)).toBe(10);
  });

  it('refuses make-ups of today, the future, before day 1, of a day already done, and with a group proof', async () => {
    await at(t, morningOf(1));
    const ola = await joinAs(t, 'ola', cohort.id);
    await checkIn(ola, { text: '第一天' }).expect(201);
    await at(t, morningOf(2));
    await checkIn(ola, { text: '第二天' }).expect(201);
    await at(t, morningOf(4));
    for (const makeUpDate of [dateOf(4), dateOf(5), '2026-03-01']) {
      const answer = await checkIn(ola, { text: '补', makeUpDate }).expect(400);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
    }
    const done = await checkIn(ola, { text: '补', makeUpDate: dateOf(1) }).expect(409);
    expect(done.body.error.code).toBe('CHECKIN_ALREADY_DONE');
    const withProof = await checkIn(ola, { text: '补', makeUpDate: dateOf(3), groupProof: groupProof('ola', GROUP, new Date(morningOf(4))) }).expect(400);
    expect(withProof.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('a streak broken on day 4 restarts: no bonus until a run of 7', async () => {
    await at(t, morningOf(1));
    const pia = await joinAs(t, 'pia', cohort.id);
    for (const day of [1, 2, 3, 5, 6, 7]) {
      await at(t, morningOf(day));
      const answer = await checkIn(pia, { text: `第${day}天` }).expect(201);
      expect(answer.body.awards).toEqual([{ reason: 'checkin', points: 10 }]);
    }
    const progress = await t.http.get(`/api/v1/me/cohorts/${cohort.id}/progress`).set(pia.auth).expect(200);
    expect(progress.body.streak).toEqual({ current: 3, longest: 3, total: 6 });
  });
});
