import { at, createCohort, joinAs, operatorOf, teacherOf } from '../support/cohort-helpers';
import { startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

/**
 * The metrics' per-teacher and interaction sections read the cohort, and the review latency, that
 * reviews, likes and comments carry of their check-in (issue 17). Whatever happens to those rows
 * (taken back, deleted, held, erased with an account, reviewed again, written before the columns
 * existed), the sections say what they said when they joined every row to its check-in.
 */
let t: TestApp;
let operator: LoggedIn;
let teacher: LoggedIn;
let cohortA: number;
let cohortB: number;
const members: Record<string, LoggedIn> = {};
const checkinOf: Record<string, number> = {};

const day = (n: number, time: string) => `2026-04-${String(1 + n).padStart(2, '0')}T${time}+08:00`;
const metrics = async (cohortId: number) => (await t.http.get(`/api/v1/cohorts/${cohortId}/metrics`).set(operator.auth).expect(200)).body;

/** Cohort A: a, b, c, d check in on day 1. Cohort B (same days): a and e check in. */
beforeAll(async () => {
  t = await startTestApp({ env: { CONTENT_REVIEW_WORDS: '加微信' } });
  operator = await operatorOf(t);
  teacher = await teacherOf(t, operator, 'keys-teacher');
  await at(t, '2026-04-01T10:00:00+08:00');
  cohortA = (await createCohort(t, operator, { startDate: '2026-04-02', title: '甲班', teacherIds: [teacher.memberId] })).id;
  cohortB = (await createCohort(t, operator, { startDate: '2026-04-02', title: '乙班', teacherIds: [teacher.memberId] })).id;
  for (const openid of ['a', 'b', 'c', 'd']) members[openid] = await joinAs(t, openid, cohortA);
  await joinAs(t, 'a', cohortB);
  members.e = await joinAs(t, 'e', cohortB);
  await at(t, day(1, '09:00:00'));
  for (const [openid, cohortId] of [['a', cohortA], ['b', cohortA], ['c', cohortA], ['d', cohortA], ['aB', cohortB], ['e', cohortB]] as const) {
    const member = members[openid === 'aB' ? 'a' : openid];
    checkinOf[openid] = (await t.http.post(`/api/v1/cohorts/${cohortId}/checkins`).set(member.auth).send({ text: `${openid} 第一天` }).expect(201)).body.checkin.id;
  }
});
afterAll(() => t.close());

const like = (who: string, checkin: string) => t.http.put(`/api/v1/checkins/${checkinOf[checkin]}/like`).set(members[who].auth).expect(200);
const comment = async (who: string, checkin: string, text: string) =>
  (await t.http.post(`/api/v1/checkins/${checkinOf[checkin]}/comments`).set(members[who].auth).send({ text }).expect(201)).body.id as number;

describe('metrics read off the rows\' own cohort', () => {
  it('counts likes, comments and the members who gave any in their check-in\'s cohort only, through likes taken back, comments deleted and held', async () => {
    // In A: b and c like a's; a likes b's, twice at once (one like); c takes theirs back.
    await like('b', 'a');
    await like('c', 'a');
    await Promise.all([like('a', 'b'), like('a', 'b')]);
    await t.http.delete(`/api/v1/checkins/${checkinOf.a}/like`).set(members.c.auth).expect(200);
    // d comments twice on b's and deletes one; c's comment is held by the content check.
    await comment('d', 'b', '不错');
    const deleted = await comment('d', 'b', '再接再厉');
    await t.http.delete(`/api/v1/comments/${deleted}`).set(members.d.auth).expect(200);
    await comment('c', 'b', '有资料加微信');
    // In B: e likes and comments on a's check-in there; a comments on e's.
    await like('e', 'aB');
    await comment('e', 'aB', '加油');
    await comment('a', 'e', '一起');

    // A: 2 likes (b's on a's, a's on b's), 1 published comment; givers a, b, d and c (held comments count as giving).
    expect((await metrics(cohortA)).interaction).toEqual({ likes: 2, comments: 1, members: 4, rate: 1 });
    // B: 1 like, 2 comments; givers e and a of the 2 enrolled.
    expect((await metrics(cohortB)).interaction).toEqual({ likes: 1, comments: 2, members: 2, rate: 1 });
  });

  it('reviews count per teacher in the check-in\'s cohort, with the latency of the check-in\'s first review even when reviewed again after an erasure', async () => {
    await at(t, day(1, '10:00:00'));
    await t.http.post(`/api/v1/checkins/${checkinOf.b}/reviews`).set(teacher.auth).send({ text: '好' }).expect(201);
    await at(t, day(1, '12:00:00'));
    await t.http.post(`/api/v1/checkins/${checkinOf.c}/reviews`).set(teacher.auth).send({ text: '好' }).expect(201);
    await t.http.post(`/api/v1/checkins/${checkinOf.e}/reviews`).set(teacher.auth).send({ text: '好' }).expect(201);
    const reviewers = async (cohortId: number) => (await metrics(cohortId)).reviewers;
    const teacherRef = { id: teacher.memberId, nickname: expect.any(String) };
    // A: b's after 1 h and c's after 3 h of 4 check-ins; B: e's after 3 h of 2.
    expect(await reviewers(cohortA)).toEqual([{ teacher: teacherRef, reviews: 2, coverage: 0.5, averageLatencySeconds: 7200 }]);
    expect(await reviewers(cohortB)).toEqual([{ teacher: teacherRef, reviews: 1, coverage: 0.5, averageLatencySeconds: 10800 }]);

    // c deletes their account: the review of c's check-in goes with its content (the check-in stays,
    // reviewed 3 h after it was made). Reviewed again 6 h later, it still counts its first latency.
    await t.http.delete('/api/v1/me').set(members.c.auth).expect(200);
    expect(await reviewers(cohortA)).toEqual([{ teacher: teacherRef, reviews: 1, coverage: 0.25, averageLatencySeconds: 3600 }]);
    await at(t, day(1, '18:00:00'));
    await t.http.post(`/api/v1/checkins/${checkinOf.c}/reviews`).set(teacher.auth).send({ text: '补一条' }).expect(201);
    expect(await reviewers(cohortA)).toEqual([{ teacher: teacherRef, reviews: 2, coverage: 0.5, averageLatencySeconds: 7200 }]);
    expect((await metrics(cohortA)).medianReviewLatencySeconds).toBe(7200);
  });

  it('says the same after the migrations that add the columns fill them for the rows already there', async () => {
    const before = await Promise.all([metrics(cohortA), metrics(cohortB)]);
    const executed = async () => ((await t.db.dataSource.query('SELECT name FROM migrations')) as Array<{ name: string }>).map((row) => row.name);
    while ((await executed()).includes('ReviewCohort1764400000317')) await t.db.dataSource.undoLastMigration({ transaction: 'each' });
    const reviewColumns = (await t.db.dataSource.createQueryRunner().getTable('review'))!.columns.map((c) => c.name);
    expect(reviewColumns).not.toContain('cohort_id');

    await t.db.dataSource.runMigrations({ transaction: 'each' });
    expect(await executed()).toEqual(expect.arrayContaining(['ReviewCohort1764400000317', 'LikeCommentCohort1764400000417']));
    expect(await Promise.all([metrics(cohortA), metrics(cohortB)])).toEqual(before);
  });
});
