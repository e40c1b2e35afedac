import { at, createCohort, joinAs, operatorOf, teacherOf, type CohortFixture } from '../support/cohort-helpers';
import { startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

let t: TestApp;
let operator: LoggedIn;
let teacher: LoggedIn;
let cohort: CohortFixture;
let author: LoggedIn;
let reader: LoggedIn;

beforeAll(async () => {
  t = await startTestApp({ env: { CONTENT_REVIEW_WORDS: '加微信' } });
  await at(t, '2026-03-01T10:00:00+08:00');
  operator = await operatorOf(t);
  teacher = await teacherOf(t, operator, 'mod-teacher');
  cohort = await createCohort(t, operator, { teacherIds: [teacher.memberId] });
  author = await joinAs(t, 'mod-author', cohort.id);
  reader = await joinAs(t, 'mod-reader', cohort.id);
});
afterAll(() => t.close());

async function heldCheckin(who: LoggedIn, when: string): Promise<number> {
  await at(t, when);
  const answer = await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(who.auth).send({ text: '有问题加微信 abc123' }).expect(201);
  expect(answer.body.checkin.heldForReview).toBe(true);
  return answer.body.checkin.id;
}
const feedIds = async (who: LoggedIn) =>
  ((await t.http.get(`/api/v1/cohorts/${cohort.id}/checkins`).set(who.auth).expect(200)).body.items as Array<{ id: number }>).map((c) => c.id);
const notices = async (who: LoggedIn) =>
  (await t.http.get('/api/v1/me/notifications').set(who.auth).expect(200)).body.items as Array<{ kind: string; data: Record<string, string> }>;
const audit = async () => (await t.http.get('/api/v1/admin/audit').set(operator.auth).expect(200)).body.items;

describe('held posts', () => {
  it('are listed for the cohort\'s staff, not for members', async () => {
    const id = await heldCheckin(author, '2026-03-02T09:00:00+08:00');
    const held = await t.http.get('/api/v1/moderation/held').set(teacher.auth).expect(200);
    expect(held.body.items).toEqual([expect.objectContaining({ id, heldForReview: true, cohortTitle: '英语口语 7 天', text: '有问题加微信 abc123' })]);
    expect((await t.http.get(`/api/v1/moderation/held?cohortId=${cohort.id}`).set(operator.auth).expect(200)).body.items).toHaveLength(1);
    await t.http.get('/api/v1/moderation/held').set(reader.auth).expect(403);
    await t.http.post(`/api/v1/moderation/checkins/${id}/release`).set(reader.auth).send({}).expect(403);
    const stranger = await teacherOf(t, operator, 'mod-other-teacher');
    expect((await t.http.get('/api/v1/moderation/held').set(stranger.auth).expect(200)).body.items).toEqual([]);
    await t.http.post(`/api/v1/moderation/checkins/${id}/release`).set(stranger.auth).send({}).expect(403);
    expect(await feedIds(reader)).not.toContain(id);
  });

  it('released go into everyone\'s feed; the author is told; the release is audited; a second decision is refused', async () => {
    const [id] = (await t.http.get('/api/v1/moderation/held').set(teacher.auth)).body.items.map((c: { id: number }) => c.id);
    await at(t, '2026-03-02T11:00:00+08:00');
    const released = await t.http.post(`/api/v1/moderation/checkins/${id}/release`).set(teacher.auth).send({}).expect(200);
    expect(released.body).toEqual({ checkinId: id, moderation: 'released', reason: null });
    expect(await feedIds(reader)).toContain(id);
    expect(await notices(author)).toContainEqual(expect.objectContaining({ kind: 'checkin-released', data: expect.objectContaining({ date: '2026-03-02' }) }));
    expect((await audit())[0]).toMatchObject({ action: 'checkin.release', actor: { id: teacher.memberId }, member: { id: author.memberId }, target: { type: 'checkin', id }, createdAt: '2026-03-02T03:00:00.000Z' });
    const again = await t.http.post(`/api/v1/moderation/checkins/${id}/reject`).set(operator.auth).send({ reason: '广告' }).expect(409);
    expect(again.body.error.code).toBe('NOT_HELD');
  });

  it('rejected with a reason leave every feed but the author\'s and the review queue; the author is told why; points stay', async () => {
    const id = await heldCheckin(reader, '2026-03-03T09:00:00+08:00');
    const balance = (await t.http.get('/api/v1/me/points').set(reader.auth)).body.balance;
    await t.http.post(`/api/v1/moderation/checkins/${id}/reject`).set(operator.auth).send({}).expect(400);
    await t.http.post(`/api/v1/moderation/checkins/${id}/reject`).set(operator.auth).send({ reason: '含有广告联系方式' }).expect(200);
    expect(await feedIds(reader)).toContain(id);
    expect(await feedIds(author)).not.toContain(id);
    expect(await feedIds(teacher)).not.toContain(id);
    await t.http.get(`/api/v1/checkins/${id}`).set(author.auth).expect(404);
    const queue = await t.http.get('/api/v1/teacher/review-queue').set(teacher.auth).expect(200);
    expect(queue.body.items.map((c: { id: number }) => c.id)).not.toContain(id);
    expect(await notices(reader)).toContainEqual(expect.objectContaining({ kind: 'checkin-rejected', data: expect.objectContaining({ reason: '含有广告联系方式' }) }));
    expect((await t.http.get('/api/v1/me/points').set(reader.auth)).body.balance).toBe(balance);
    expect((await audit())[0]).toMatchObject({ action: 'checkin.reject', actor: { id: operator.memberId }, details: { reason: '含有广告联系方式' } });
  });

  it('take exactly one decision when staff decide at the same time', async () => {
    const id = await heldCheckin(author, '2026-03-03T10:00:00+08:00');
    const answers = await Promise.all([
      ...Array.from({ length: 4 }, () => t.http.post(`/api/v1/moderation/checkins/${id}/release`).set(teacher.auth).send({})),
      ...Array.from({ length: 4 }, () => t.http.post(`/api/v1/moderation/checkins/${id}/reject`).set(operator.auth).send({ reason: '重复' })),
    ]);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(7);
    const decisions = (await audit()).filter((e: { target: { id: number } | null }) => e.target?.id === id);
    expect(decisions).toHaveLength(1);
  });
});

describe('removing a member from a cohort', () => {
  it('stops their check-ins, keeps their points, keeps them out, and is audited with the reason', async () => {
    const spammer = await joinAs(t, 'mod-spammer', cohort.id);
    await at(t, '2026-03-04T09:00:00+08:00');
    await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(spammer.auth).send({ text: '今天的打卡' }).expect(201);
    const path = `/api/v1/cohorts/${cohort.id}/members/${spammer.memberId}/removal`;
    await t.http.post(path).set(reader.auth).send({ reason: '发广告' }).expect(403);
    const removed = await t.http.post(path).set(teacher.auth).send({ reason: '群里发广告' }).expect(201);
    expect(removed.body).toEqual({ cohortId: cohort.id, memberId: spammer.memberId, removedAt: '2026-03-04T01:00:00.000Z' });
    expect((await t.http.post(path).set(operator.auth).send({ reason: 'again' }).expect(409)).body.error.code).toBe('ALREADY_REMOVED');

    await at(t, '2026-03-05T09:00:00+08:00');
    const refused = await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(spammer.auth).send({ text: '再来' }).expect(403);
    expect(refused.body.error.code).toBe('NOT_ENROLLED');
    const rejoin = await t.http.post(`/api/v1/cohorts/${cohort.id}/enrollments`).set(spammer.auth).send({}).expect(403);
    expect(rejoin.body.error.code).toBe('REMOVED_FROM_COHORT');
    expect((await t.http.get('/api/v1/me/points').set(spammer.auth)).body.balance).toBe(10);
    const row = (await t.http.get(`/api/v1/cohorts/${cohort.id}/members?q=${spammer.memberId}`).set(teacher.auth)).body.items[0];
    expect(row).toMatchObject({ status: 'removed', daysDone: 1, points: 10 });
    expect((await audit())[0]).toMatchObject({ action: 'enrollment.remove', actor: { id: teacher.memberId }, member: { id: spammer.memberId }, cohortId: cohort.id, details: { reason: '群里发广告' } });

    await t.http.delete(path).set(operator.auth).expect(200);
    await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(spammer.auth).send({ text: '回来了' }).expect(201);
    expect((await audit())[0]).toMatchObject({ action: 'enrollment.reinstate', actor: { id: operator.memberId } });
  });

  it('answers 404 for someone who never joined', async () => {
    const outsider = await teacherOf(t, operator, 'mod-outsider');
    await t.http.post(`/api/v1/cohorts/${cohort.id}/members/${outsider.memberId}/removal`).set(operator.auth).send({ reason: 'x' }).expect(404);
  });
});

describe('the audit log', () => {
  it('is for operators', async () => {
    await t.http.get('/api/v1/admin/audit').set(teacher.auth).expect(403);
    await t.http.get('/api/v1/admin/audit').set(reader.auth).expect(403);
  });
});
