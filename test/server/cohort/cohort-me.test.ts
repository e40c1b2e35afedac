import { at, createCohort, joinAs, operatorOf } from '../support/cohort-helpers';
import { startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

let t: TestApp;
let operator: LoggedIn;
beforeAll(async () => {
  t = await startTestApp();
  operator = await operatorOf(t);
});
afterAll(() => t.close());

interface CohortBody {
  id: number;
  enrolled: boolean;
  me: { enrolled: boolean; checkedInToday: boolean; todayCheckinId: number | null; streak: { current: number; longest: number; total: number }; missedDays: number; makeUpsLeft: number };
}

async function listed(member: LoggedIn, cohortId: number): Promise<CohortBody> {
  const list = await t.http.get('/api/v1/cohorts').set(member.auth).expect(200);
  return list.body.items.find((c: CohortBody) => c.id === cohortId);
}

const checkIn = (member: LoggedIn, cohortId: number, body: object = {}) =>
  t.http.post(`/api/v1/cohorts/${cohortId}/checkins`).set(member.auth).send({ text: '今天的打卡', ...body }).expect(201);

describe("a cohort carries the caller's own state (me)", () => {
  it("says whether today's check-in is done, with the streak, missed days and make-ups left, in the list and the detail", async () => {
    await at(t, '2026-04-01T10:00:00+08:00');
    const cohort = await createCohort(t, operator, { startDate: '2026-04-02', durationDays: 7, points: { makeUpLimit: 2 } });
    const ann = await joinAs(t, 'me-ann', cohort.id);

    expect((await listed(ann, cohort.id)).me).toEqual({
      enrolled: true, checkedInToday: false, todayCheckinId: null, streak: { current: 0, longest: 0, total: 0 }, missedDays: 0, makeUpsLeft: 2,
    });

    await at(t, '2026-04-02T08:00:00+08:00');
    await checkIn(ann, cohort.id);
    await at(t, '2026-04-04T08:00:00+08:00'); // day 3; day 2 missed
    expect((await listed(ann, cohort.id)).me).toMatchObject({ checkedInToday: false, todayCheckinId: null, missedDays: 1, streak: { current: 0, total: 1 } });

    const today = await checkIn(ann, cohort.id);
    await checkIn(ann, cohort.id, { makeUpDate: '2026-04-03' });
    const detail = await t.http.get(`/api/v1/cohorts/${cohort.id}`).set(ann.auth).expect(200);
    expect(detail.body.me).toEqual({
      enrolled: true, checkedInToday: true, todayCheckinId: today.body.checkin.id, streak: { current: 3, longest: 3, total: 3 }, missedDays: 0, makeUpsLeft: 1,
    });
    expect((await listed(ann, cohort.id)).me).toEqual(detail.body.me);

    // Another member's check-ins are not mine; someone who has not joined sees an empty state.
    const bob = await joinAs(t, 'me-bob', cohort.id);
    expect((await listed(bob, cohort.id)).me).toMatchObject({ enrolled: true, checkedInToday: false, missedDays: 2, streak: { total: 0 } });
    await t.http.delete(`/api/v1/cohorts/${cohort.id}/enrollments/me`).set(bob.auth).expect(200);
    expect((await listed(bob, cohort.id)).me).toMatchObject({ enrolled: false, checkedInToday: false });
  });

  it('after the last day, today is no longer open and the streak stays as it ended', async () => {
    await at(t, '2026-05-01T10:00:00+08:00');
    const cohort = await createCohort(t, operator, { startDate: '2026-05-02', durationDays: 7 });
    const cy = await joinAs(t, 'me-cy', cohort.id);
    for (const day of ['02', '03', '04', '05', '06', '07', '08']) {
      await at(t, `2026-05-${day}T09:00:00+08:00`);
      await checkIn(cy, cohort.id);
    }
    await at(t, '2026-05-09T09:00:00+08:00');
    const body = await listed(cy, cohort.id);
    expect(body.me).toMatchObject({ checkedInToday: false, todayCheckinId: null, streak: { current: 7, longest: 7, total: 7 }, missedDays: 0 });
  });

  it('costs the list the same number of queries for one cohort as for many (no query per cohort)', async () => {
    await at(t, '2026-06-01T10:00:00+08:00');
    const first = await createCohort(t, operator, { startDate: '2026-06-01', durationDays: 7 });
    const dee = await joinAs(t, 'me-dee', first.id);
    await checkIn(dee, first.id);
    const queries = async () => {
      const runners = jest.spyOn(t.db.dataSource, 'createQueryRunner');
      await t.http.get('/api/v1/cohorts').set(dee.auth).expect(200);
      const count = runners.mock.calls.length;
      runners.mockRestore();
      return count;
    };
    const withOne = await queries();
    expect(withOne).toBeGreaterThan(3);
    for (let i = 0; i < 5; i++) {
      const more = await createCohort(t, operator, { startDate: '2026-06-01', durationDays: 7, title: `第${i}期` });
      await t.http.post(`/api/v1/cohorts/${more.id}/enrollments`).set(dee.auth).send({}).expect(200);
      await checkIn(dee, more.id);
    }
    expect(await queries()).toBe(withOne);
  });
});
