import { at, createCohort, groupProof, joinAs, operatorOf, teacherOf, type CohortFixture } from '../support/cohort-helpers';
import { startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

/**
 * A teacher whose role an operator takes away loses every cohort power at once: the feed with held
 * posts, single check-ins, featuring, binding the group, reviewing; and no cohort lists them.
 */
let t: TestApp;
let operator: LoggedIn;
let teacher: LoggedIn;
let cohort: CohortFixture;
let heldCheckin: number;

const rolesOf = (who: LoggedIn, roles: string[]) =>
  t.http.post(`/api/v1/admin/members/${who.memberId}/roles`).set(operator.auth).send({ roles }).expect(200);

beforeAll(async () => {
  t = await startTestApp({ env: { CONTENT_REVIEW_WORDS: '私信' } });
  operator = await operatorOf(t);
  teacher = await teacherOf(t, operator, 'ms-zhao');
  await at(t, '2026-03-01T10:00:00+08:00');
  cohort = await createCohort(t, operator, { startDate: '2026-03-02', teacherIds: [teacher.memberId] });
  const member = await joinAs(t, 'held-author', cohort.id);
  await at(t, '2026-03-02T09:00:00+08:00');
  // Held by the content check: only its author and staff may see it.
  const held = await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(member.auth).send({ text: '加我私信' }).expect(201);
  expect(held.body.checkin.heldForReview).toBe(true);
  heldCheckin = held.body.checkin.id;
});
afterAll(() => t.close());

/** Every staff power of a cohort teacher, as status codes. */
async function powersOf(who: LoggedIn) {
  return {
    feed: (await t.http.get(`/api/v1/cohorts/${cohort.id}/checkins`).set(who.auth)).status,
    heldCheckin: (await t.http.get(`/api/v1/checkins/${heldCheckin}`).set(who.auth)).status,
    feature: (await t.http.post(`/api/v1/checkins/${heldCheckin}/feature`).set(who.auth).send({ featured: false })).status,
    bindGroup: (await t.http.post(`/api/v1/cohorts/${cohort.id}/group`).set(who.auth).send(groupProof('ms-zhao', 'G-zhao', t.clock.now()))).status,
  };
}

describe('revoking the teacher role', () => {
  it('a teacher of the cohort has its staff powers', async () => {
    const feed = await t.http.get(`/api/v1/cohorts/${cohort.id}/checkins`).set(teacher.auth).expect(200);
    expect(feed.body.items.map((c: { id: number }) => c.id)).toContain(heldCheckin);
    expect(await powersOf(teacher)).toEqual({ feed: 200, heldCheckin: 200, feature: 200, bindGroup: 200 });
  });

  it('takes all of them away at once, and the cohort no longer lists the teacher', async () => {
    await rolesOf(teacher, []);
    expect(await powersOf(teacher)).toEqual({ feed: 403, heldCheckin: 404, feature: 403, bindGroup: 403 });
    const review = await t.http.post(`/api/v1/checkins/${heldCheckin}/reviews`).set(teacher.auth).send({ text: '很好' });
    expect(review.status).toBe(403);
    const shown = await t.http.get(`/api/v1/cohorts/${cohort.id}`).set(operator.auth).expect(200);
    expect(shown.body.teacherIds).toEqual([]);
  });

  it('granting the role again gives back no cohort until an operator assigns one', async () => {
    await rolesOf(teacher, ['teacher']);
    expect((await powersOf(teacher)).feed).toBe(403);
    const queue = await t.http.get('/api/v1/teacher/review-queue').set(teacher.auth).expect(200);
    expect(queue.body.items).toEqual([]);
  });
});
