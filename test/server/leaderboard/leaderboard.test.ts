import { at, createCohort, joinAs, operatorOf, teacherOf, type CohortFixture } from '../support/cohort-helpers';
import { loginAs, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

/** DESIGN §4 "Leaderboard": per cohort by points earned in it, current streak and likes received; ties to whoever got there first. */
let t: TestApp;
let operator: LoggedIn;
let teacher: LoggedIn;
let cohort: CohortFixture;
let amy: LoggedIn;
let ben: LoggedIn;
let cat: LoggedIn;
let dan: LoggedIn;
let eva: LoggedIn;
const checkinIds: Record<string, number> = {};

beforeAll(async () => {
  t = await startTestApp();
  operator = await operatorOf(t);
  teacher = await teacherOf(t, operator, 'board-teacher');
  await at(t, '2026-03-01T10:00:00+08:00');
  cohort = await createCohort(t, operator, { startDate: '2026-03-02', teacherIds: [teacher.memberId] });
  [amy, ben, cat, dan, eva] = await Promise.all(['amy', 'ben', 'cat', 'dan', 'eva'].map((name) => joinAs(t, `board-${name}`, cohort.id)));

  // Day 1: Amy, Ben, Cat in that order. Day 2: Cat at 08:00, then Amy at 09:00; Ben skips.
  await checkIn(amy, 'amy-1', '2026-03-02T09:00:00+08:00');
  await checkIn(ben, 'ben-1', '2026-03-02T09:30:00+08:00');
  await checkIn(cat, 'cat-1', '2026-03-02T10:00:00+08:00');
  await checkIn(cat, 'cat-2', '2026-03-03T08:00:00+08:00');
  await checkIn(amy, 'amy-2', '2026-03-03T09:00:00+08:00');
});
afterAll(() => t.close());

async function checkIn(member: LoggedIn, label: string, instant: string, body: Record<string, unknown> = {}) {
  await at(t, instant);
  const answer = await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(member.auth).send({ text: label, ...body }).expect(201);
  checkinIds[label] = answer.body.checkin.id;
}

async function board(viewer: LoggedIn, by: string) {
  return (await t.http.get(`/api/v1/cohorts/${cohort.id}/leaderboard?by=${by}`).set(viewer.auth).expect(200)).body;
}
const ranking = (body: { items: Array<{ rank: number; member: { id: number }; value: number }> }) =>
  body.items.map((item) => [item.rank, item.member.id, item.value]);

describe('GET /cohorts/:id/leaderboard', () => {
  it('ranks by points earned in the cohort; a tie goes to whoever reached the value first', async () => {
    await at(t, '2026-03-03T12:00:00+08:00');
    const body = await board(dan, 'points');
    expect(body.by).toBe('points');
    expect(ranking(body)).toEqual([[1, cat.memberId, 20], [2, amy.memberId, 20], [3, ben.memberId, 10]]);
    expect(body.items[0].member).toEqual({ id: cat.memberId, nickname: `学员${cat.memberId}`, avatarUrl: null });
    expect(body.me).toEqual({ rank: null, member: { id: dan.memberId, nickname: `学员${dan.memberId}`, avatarUrl: null }, value: 0 });
    expect((await board(ben, 'points')).me).toMatchObject({ rank: 3, value: 10 });
  });

  it('ranks by current streak: a run counts while it ends today or yesterday', async () => {
    await at(t, '2026-03-03T12:00:00+08:00');
    expect(ranking(await board(amy, 'streak'))).toEqual([[1, cat.memberId, 2], [2, amy.memberId, 2], [3, ben.memberId, 1]]);
    await at(t, '2026-03-04T07:00:00+08:00');
    const day3 = await board(ben, 'streak');
    expect(ranking(day3)).toEqual([[1, cat.memberId, 2], [2, amy.memberId, 2]]);
    expect(day3.me).toMatchObject({ rank: null, value: 0 });
  });

  it('counts a make-up that joins two runs into the streak', async () => {
    await checkIn(ben, 'ben-3', '2026-03-04T08:00:00+08:00');
    expect((await board(ben, 'streak')).me).toMatchObject({ value: 1 });
    await checkIn(ben, 'ben-2', '2026-03-04T08:30:00+08:00', { makeUpDate: '2026-03-03' });
    expect((await board(ben, 'streak')).me).toMatchObject({ rank: 1, value: 3 });
    // Points count awards only: the make-up fee is spending, not a loss of standing.
    expect((await board(ben, 'points')).me).toMatchObject({ value: 30 });
  });

  it('ranks by likes received; a tie goes to whoever got the last like first; unliking lowers it', async () => {
    await at(t, '2026-03-04T09:00:00+08:00');
    await t.http.put(`/api/v1/checkins/${checkinIds['amy-1']}/like`).set(dan.auth).expect(200);
    await at(t, '2026-03-04T09:01:00+08:00');
    await t.http.put(`/api/v1/checkins/${checkinIds['amy-2']}/like`).set(eva.auth).expect(200);
    await at(t, '2026-03-04T09:02:00+08:00');
    await t.http.put(`/api/v1/checkins/${checkinIds['ben-1']}/like`).set(dan.auth).expect(200);
    await at(t, '2026-03-04T09:03:00+08:00');
    await t.http.put(`/api/v1/checkins/${checkinIds['ben-3']}/like`).set(teacher.auth).expect(200);
    expect(ranking(await board(eva, 'likes'))).toEqual([[1, amy.memberId, 2], [2, ben.memberId, 2]]);

    await at(t, '2026-03-04T09:04:00+08:00');
    await t.http.delete(`/api/v1/checkins/${checkinIds['amy-1']}/like`).set(dan.auth).expect(200);
    const after = await board(amy, 'likes');
    expect(ranking(after)).toEqual([[1, ben.memberId, 2], [2, amy.memberId, 1]]);
    expect(after.me).toMatchObject({ rank: 2, value: 1 });
  });

  it('leaves out members who left; shows staff the board without a row of their own; refuses outsiders', async () => {
    await at(t, '2026-03-04T10:00:00+08:00');
    await t.http.delete(`/api/v1/cohorts/${cohort.id}/enrollments/me`).set(cat.auth).expect(200);
    expect(ranking(await board(amy, 'points')).map(([, id]) => id)).not.toContain(cat.memberId);
    await t.http.post(`/api/v1/cohorts/${cohort.id}/enrollments`).set(cat.auth).send({}).expect(200);
    expect(ranking(await board(amy, 'points'))).toEqual([[1, ben.memberId, 30], [2, cat.memberId, 20], [3, amy.memberId, 20]]);

    const staffView = await board(teacher, 'streak');
    expect(staffView.me).toBeNull();
    expect(staffView.items.length).toBeGreaterThan(0);
    const outsider = await loginAs(t, 'board-outsider');
    expect((await t.http.get(`/api/v1/cohorts/${cohort.id}/leaderboard`).set(outsider.auth).expect(403)).body.error.code).toBe('FORBIDDEN');
    await t.http.get('/api/v1/cohorts/987654/leaderboard').set(amy.auth).expect(404);
    for (const query of ['by=money', 'by=', 'limit=5']) {
      expect((await t.http.get(`/api/v1/cohorts/${cohort.id}/leaderboard?${query}`).set(amy.auth).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('lists the top 50 and still tells the 53rd member their rank, less those who left (same points at the same instant: lower member id first)', async () => {
    await at(t, '2026-03-01T10:00:00+08:00');
    const big = await createCohort(t, operator, { title: '大班', startDate: '2026-03-02' });
    const members = await Promise.all(Array.from({ length: 53 }, (_, i) => joinAs(t, `board-big-${i}`, big.id)));
    await at(t, '2026-03-02T09:00:00+08:00');
    await Promise.all(members.map((member, i) => t.http.post(`/api/v1/cohorts/${big.id}/checkins`).set(member.auth).send({ text: `#${i}` }).expect(201)));
    const byId = [...members].sort((a, b) => a.memberId - b.memberId);
    const last = (await t.http.get(`/api/v1/cohorts/${big.id}/leaderboard?by=points`).set(byId[52].auth).expect(200)).body;
    expect(last.items).toHaveLength(50);
    expect(last.items.map((item: { member: { id: number } }) => item.member.id)).toEqual(byId.slice(0, 50).map((m) => m.memberId));
    expect(last.me).toMatchObject({ rank: 53, value: 10 });

    // Two of those ahead leave: the last member moves up to 51st, still counted rather than listed.
    for (const leaver of [byId[0], byId[10]]) await t.http.delete(`/api/v1/cohorts/${big.id}/enrollments/me`).set(leaver.auth).expect(200);
    const after = (await t.http.get(`/api/v1/cohorts/${big.id}/leaderboard?by=points`).set(byId[52].auth).expect(200)).body;
    expect(after.items.map((item: { member: { id: number } }) => item.member.id)).toEqual(
      byId.filter((_, i) => i !== 0 && i !== 10).slice(0, 50).map((m) => m.memberId),
    );
    expect(after.me).toMatchObject({ rank: 51, value: 10 });
  });
});
