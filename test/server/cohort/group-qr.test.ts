import { at, createCohort, joinAs, operatorOf, teacherOf, type CohortFixture } from '../support/cohort-helpers';
import { tinyPng } from '../mall/mall-helpers';
import { createScheduler } from '../../../server/src/modules';
import { loginAs, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

let t: TestApp;
let operator: LoggedIn;
let cohort: CohortFixture;

beforeAll(async () => {
  t = await startTestApp();
  operator = await operatorOf(t);
  await at(t, '2026-03-01T10:00:00+08:00');
  cohort = await createCohort(t, operator, { startDate: '2026-03-02' });
});
afterAll(() => t.close());

async function uploadQr(by: LoggedIn): Promise<string> {
  const upload = await t.http.post('/api/v1/uploads/images').set(by.auth).attach('file', tinyPng, 'group-qr.png').expect(201);
  return upload.body.url as string;
}
const attach = (by: LoggedIn, imageUrl: string, cohortId = cohort.id) =>
  t.http.put(`/api/v1/cohorts/${cohortId}/group-qr`).set(by.auth).send({ imageUrl });
const seenBy = async (member: LoggedIn, cohortId = cohort.id) => (await t.http.get(`/api/v1/cohorts/${cohortId}`).set(member.auth).expect(200)).body.groupQr;

describe('the way into the cohort\'s WeChat group', () => {
  it('an operator attaches the group QR; enrolled members, teachers and operators see it, others do not', async () => {
    await at(t, '2026-03-01T10:00:00+08:00');
    const imageUrl = await uploadQr(operator);
    const answer = await attach(operator, imageUrl).expect(200);
    expect(answer.body.groupQr).toEqual({
      url: imageUrl, uploadedAt: '2026-03-01T02:00:00.000Z', expiresAt: '2026-03-08T02:00:00.000Z', state: 'fresh',
    });
    const member = await joinAs(t, 'joined', cohort.id);
    expect(await seenBy(member)).toMatchObject({ url: imageUrl, state: 'fresh' });
    const teacher = await teacherOf(t, operator, 'its-teacher');
    await t.http.put(`/api/v1/cohorts/${cohort.id}`).set(operator.auth).send({ teacherIds: [teacher.memberId] }).expect(200);
    expect(await seenBy(teacher)).toMatchObject({ url: imageUrl });
    const outsider = await loginAs(t, 'outsider');
    expect(await seenBy(outsider)).toBeNull();
    // The list on Home carries it for members too (no second request to join the group).
    const list = await t.http.get('/api/v1/cohorts').set(member.auth).expect(200);
    expect(list.body.items.find((c: { id: number }) => c.id === cohort.id).groupQr).toMatchObject({ url: imageUrl });
  });

  it('warns from 6 days after the upload and says when WeChat has expired it (7 days)', async () => {
    const fresh = await createCohort(t, operator, { startDate: '2026-03-10', title: '二维码过期' });
    await at(t, '2026-03-02T09:00:00+08:00');
    await attach(operator, await uploadQr(operator), fresh.id).expect(200);
    const member = await joinAs(t, 'watcher', fresh.id);
    await at(t, '2026-03-08T08:59:00+08:00');
    expect((await seenBy(member, fresh.id)).state).toBe('fresh');
    await at(t, '2026-03-08T09:00:00+08:00');
    expect((await seenBy(member, fresh.id)).state).toBe('expiring');
    await at(t, '2026-03-09T09:00:00+08:00');
    expect((await seenBy(member, fresh.id)).state).toBe('expired');

    // Replacing it starts the 7 days again.
    const replaced = await attach(operator, await uploadQr(operator), fresh.id).expect(200);
    expect(replaced.body.groupQr).toMatchObject({ state: 'fresh', uploadedAt: '2026-03-09T01:00:00.000Z' });
    await at(t, '2026-03-01T10:00:00+08:00');
  });

  it('is the operator\'s to attach or take away; members and teachers get 403', async () => {
    const member = await joinAs(t, 'not-staff', cohort.id);
    expect((await attach(member, await uploadQr(member)).expect(403)).body.error.code).toBe('FORBIDDEN');
    const teacher = await teacherOf(t, operator, 'teacher-no-qr');
    await attach(teacher, await uploadQr(teacher)).expect(403);
    await t.http.delete(`/api/v1/cohorts/${cohort.id}/group-qr`).set(member.auth).expect(403);
  });

  it('takes only an image the operator uploaded here, and a cohort that exists', async () => {
    const answer = await attach(operator, 'https://evil.example/qr.png').expect(400);
    expect(answer.body.error.details).toEqual([{ path: 'body.imageUrl', message: 'not an image uploaded here' }]);
    // Someone else's upload (a member's photo) is not the operator's to show as the group's QR.
    const member = await loginAs(t, 'photo-owner');
    const notTheirs = await attach(operator, await uploadQr(member)).expect(400);
    expect(notTheirs.body.error.details).toEqual([{ path: 'body.imageUrl', message: 'not an image you uploaded' }]);
    await attach(operator, await uploadQr(operator), 9999).expect(404);
    expect((await t.http.put(`/api/v1/cohorts/${cohort.id}/group-qr`).set(operator.auth).send({}).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
  });

  it('can be taken away; its upload is kept while a cohort shows it and cleaned up a day after it was let go', async () => {
    await at(t, '2026-03-01T10:00:00+08:00');
    const [shown, replaced, removedQr] = [await uploadQr(operator), await uploadQr(operator), await uploadQr(operator)];
    const kept = await createCohort(t, operator, { startDate: '2026-03-03', title: '一直显示' });
    await attach(operator, replaced, kept.id).expect(200);
    await attach(operator, shown, kept.id).expect(200);
    const other = await createCohort(t, operator, { startDate: '2026-03-03', title: '取消二维码' });
    await attach(operator, removedQr, other.id).expect(200);
    const removed = await t.http.delete(`/api/v1/cohorts/${other.id}/group-qr`).set(operator.auth).expect(200);
    expect(removed.body.groupQr).toBeNull();
    await t.http.delete('/api/v1/cohorts/9999/group-qr').set(operator.auth).expect(404);

    await at(t, '2026-03-02T11:00:00+08:00');
    await createScheduler(t.deps, t.modules).tick();
    const served = async (url: string) => (await t.http.get(url)).status;
    expect([await served(shown), await served(replaced), await served(removedQr)]).toEqual([200, 404, 404]);
    await at(t, '2026-03-01T10:00:00+08:00');
  });
});
