import { Checkin } from '../../../server/src/modules/checkin/checkin.entity';
import {
  at, bindGroup, createCohort, expectBalancesMatchLedger, groupProof, joinAs, operatorOf, teacherOf, type CohortFixture,
} from '../support/cohort-helpers';
import { ROOT_OPERATOR_OPENID, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

let t: TestApp;
let operator: LoggedIn;
let cohort: CohortFixture;
const GROUP = 'tGxyz_cohort_group';
const NOW = new Date('2026-03-03T09:00:00+08:00');

beforeAll(async () => {
  t = await startTestApp();
  operator = await operatorOf(t);
  await at(t, '2026-03-01T10:00:00+08:00');
  cohort = await createCohort(t, operator, { startDate: '2026-03-02' });
  await at(t, '2026-03-03T09:00:00+08:00');
  await bindGroup(t, operator, ROOT_OPERATOR_OPENID, cohort.id, GROUP, NOW);
});
afterEach(() => expectBalancesMatchLedger(t));
afterAll(() => t.close());

const checkIn = (member: LoggedIn, body: object) => t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(member.auth).send(body);
const recorded = (member: LoggedIn) => t.db.dataSource.manager.countBy(Checkin, { memberId: member.memberId });

describe('group-verified double points', () => {
  it('doubles the points for a valid proof of the cohort\'s own group (getGroupEnterInfo spelling)', async () => {
    const ann = await joinAs(t, 'ann', cohort.id);
    const answer = await checkIn(ann, { text: '群里打卡', groupProof: groupProof('ann', GROUP, NOW) }).expect(201);
    expect(answer.body.checkin.viaGroup).toBe(true);
    expect(answer.body.awards).toEqual([{ reason: 'checkin', points: 10 }, { reason: 'group_bonus', points: 10 }]);
    expect(answer.body.balance).toBe(20);
  });

  it('accepts the older getShareInfo spelling openGId too', async () => {
    const bea = await joinAs(t, 'bea', cohort.id);
    const answer = await checkIn(bea, { text: '分享卡片进入', groupProof: groupProof('bea', GROUP, NOW, { spelling: 'openGId' }) }).expect(201);
    expect(answer.body.balance).toBe(20);
  });

  it.each([
    ['another group', 400, 'GROUP_MISMATCH', (openid: string) => groupProof(openid, 'tGother_group', NOW)],
    ['another Mini Program\'s watermark', 400, 'GROUP_PROOF_INVALID', (openid: string) => groupProof(openid, GROUP, NOW, { appId: 'wx_someone_else' })],
    ['another member\'s session key', 400, 'GROUP_PROOF_INVALID', (openid: string) => groupProof(openid, GROUP, NOW, { sessionOf: 'ann' })],
    ['a stale watermark (25 hours old)', 400, 'GROUP_PROOF_INVALID', (openid: string) => groupProof(openid, GROUP, NOW, { timestamp: NOW.getTime() / 1000 - 25 * 3600 })],
    ['a watermark from the future', 400, 'GROUP_PROOF_INVALID', (openid: string) => groupProof(openid, GROUP, NOW, { timestamp: NOW.getTime() / 1000 + 3600 })],
    ['garbage ciphertext', 400, 'GROUP_PROOF_INVALID', () => ({ encryptedData: 'bm90IGVuY3J5cHRlZA==', iv: 'r7BXXKkLb8qrSNn05n0qiA==' })],
    ['an iv of the wrong length', 400, 'GROUP_PROOF_INVALID', (openid: string) => ({ ...groupProof(openid, GROUP, NOW), iv: 'AAAA' })],
  ])('refuses a proof from %s, records nothing, and then the base check-in works', async (_label, status, code, makeProof) => {
    const openid = `m${Math.random().toString(36).slice(2, 10)}`;
    const member = await joinAs(t, openid, cohort.id);
    const refused = await checkIn(member, { text: '试试双倍', groupProof: makeProof(openid) }).expect(status);
    expect(refused.body.error.code).toBe(code);
    expect(await recorded(member)).toBe(0);
    const points = await t.http.get('/api/v1/me/points').set(member.auth).expect(200);
    expect(points.body.balance).toBe(0);

    const plain = await checkIn(member, { text: '普通打卡' }).expect(201);
    expect(plain.body.awards).toEqual([{ reason: 'checkin', points: 10 }]);
  });

  it('refuses a proof when the cohort has no group bound yet', async () => {
    const unbound = await createCohort(t, operator, { startDate: '2026-03-03', title: '未绑定群' });
    const cid = await joinAs(t, 'cid', unbound.id);
    const answer = await t.http.post(`/api/v1/cohorts/${unbound.id}/checkins`).set(cid.auth)
      .send({ text: 'x', groupProof: groupProof('cid', GROUP, NOW) }).expect(400);
    expect(answer.body.error.code).toBe('GROUP_MISMATCH');
  });
});

describe('binding the group', () => {
  it('lets the cohort\'s teachers bind it but not other teachers or members', async () => {
    const ownTeacher = await teacherOf(t, operator, 'teacher-own');
    const otherTeacher = await teacherOf(t, operator, 'teacher-other');
    const other = await createCohort(t, operator, { startDate: '2026-03-04', title: '绘画 7 天', teacherIds: [ownTeacher.memberId] });
    const member = await joinAs(t, 'plain-member', other.id);
    for (const [caller, openid] of [[member, 'plain-member'], [otherTeacher, 'teacher-other']] as const) {
      const refused = await t.http.post(`/api/v1/cohorts/${other.id}/group`).set(caller.auth)
        .send(groupProof(openid, 'tGpainting', NOW)).expect(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
    }
    const before = await t.http.get(`/api/v1/cohorts/${other.id}`).set(member.auth).expect(200);
    expect(before.body.groupBound).toBe(false);

    const bound = await t.http.post(`/api/v1/cohorts/${other.id}/group`).set(ownTeacher.auth)
      .send(groupProof('teacher-own', 'tGpainting', NOW)).expect(200);
    expect(bound.body.groupBound).toBe(true);
  });

  it('refuses a group already bound to another active cohort', async () => {
    const second = await createCohort(t, operator, { startDate: '2026-03-05', title: '第二期' });
    const answer = await t.http.post(`/api/v1/cohorts/${second.id}/group`).set(operator.auth)
      .send(groupProof(ROOT_OPERATOR_OPENID, GROUP, NOW)).expect(409);
    expect(answer.body.error).toMatchObject({ code: 'GROUP_ALREADY_BOUND', details: { cohortId: cohort.id } });
  });
});
