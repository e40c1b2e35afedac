import { PointsLedgerLine } from '../../../server/src/modules/points/points.entity';
import {
  at, bindGroup, createCohort, expectBalancesMatchLedger, groupProof, joinAs, operatorOf, type CohortFixture,
} from '../support/cohort-helpers';
import { loginAs, ROOT_OPERATOR_OPENID, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

let t: TestApp;
let operator: LoggedIn;
let cohort: CohortFixture;
const GROUP = 'tGshare_cohort_group';
const DAY2 = new Date('2026-03-03T09:00:00+08:00');
let serial = 0;

beforeAll(async () => {
  t = await startTestApp();
  operator = await operatorOf(t);
  await at(t, '2026-03-01T10:00:00+08:00');
  cohort = await createCohort(t, operator, { startDate: '2026-03-02', points: { makeUpCost: 0 } });
  await at(t, '2026-03-03T09:00:00+08:00');
  await bindGroup(t, operator, ROOT_OPERATOR_OPENID, cohort.id, GROUP, DAY2);
});
beforeEach(() => at(t, '2026-03-03T09:00:00+08:00'));
afterEach(() => expectBalancesMatchLedger(t));
afterAll(() => t.close());

/** A member who checked in outside the group today (day 2): 10 points. */
async function checkedInOutside(): Promise<{ member: LoggedIn; openid: string; checkinId: number }> {
  const openid = `sharer-${++serial}`;
  const member = await joinAs(t, openid, cohort.id);
  const answer = await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(member.auth).send({ text: '在外面打卡' }).expect(201);
  return { member, openid, checkinId: answer.body.checkin.id };
}

const claim = (member: LoggedIn, checkinId: number, proof: object) =>
  t.http.post(`/api/v1/checkins/${checkinId}/group-share`).set(member.auth).send(proof);
const groupBonusLines = (member: LoggedIn) => t.db.dataSource.manager.countBy(PointsLedgerLine, { memberId: member.memberId, reason: 'group_bonus' });

describe('sharing a check-in into the group earns the group bonus', () => {
  it('pays the bonus for the cohort\'s own group, the same day, once (getShareInfo\'s openGId)', async () => {
    const { member, openid, checkinId } = await checkedInOutside();
    const answer = await claim(member, checkinId, groupProof(openid, GROUP, DAY2, { spelling: 'openGId' })).expect(200);
    expect(answer.body).toEqual({ award: { reason: 'group_bonus', points: 10 }, balance: 20 });
    const checkin = await t.http.get(`/api/v1/checkins/${checkinId}`).set(member.auth).expect(200);
    expect(checkin.body).toMatchObject({ viaGroup: false, sharedToGroup: true });
    // The bonus counts on the cohort's points board like one earned at the check-in.
    const board = await t.http.get(`/api/v1/cohorts/${cohort.id}/leaderboard?by=points`).set(member.auth).expect(200);
    expect(board.body.me.value).toBe(20);

    const again = await claim(member, checkinId, groupProof(openid, GROUP, DAY2, { spelling: 'openGId' })).expect(409);
    expect(again.body.error.code).toBe('GROUP_BONUS_ALREADY_EARNED');
    expect(await groupBonusLines(member)).toBe(1);
  });

  it('refuses a check-in already made in the group: its bonus is paid', async () => {
    const openid = `in-group-${++serial}`;
    const member = await joinAs(t, openid, cohort.id);
    const made = await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(member.auth)
      .send({ text: '群里打卡', groupProof: groupProof(openid, GROUP, DAY2) }).expect(201);
    const answer = await claim(member, made.body.checkin.id, groupProof(openid, GROUP, DAY2)).expect(409);
    expect(answer.body.error.code).toBe('GROUP_BONUS_ALREADY_EARNED');
    expect(await groupBonusLines(member)).toBe(1);
  });

  it.each([
    ['another group', 'GROUP_MISMATCH', (openid: string) => groupProof(openid, 'tGsomeone_elses_group', DAY2)],
    ['another member\'s share ticket', 'GROUP_PROOF_INVALID', (openid: string) => groupProof(openid, GROUP, DAY2, { sessionOf: 'someone-else' })],
    ['a stale share ticket', 'GROUP_PROOF_INVALID', (openid: string) => groupProof(openid, GROUP, DAY2, { timestamp: DAY2.getTime() / 1000 - 30 * 3600 })],
  ])('refuses a proof from %s with 400 %s and records nothing; the right group still works', async (_what, code, proofFor) => {
    const { member, openid, checkinId } = await checkedInOutside();
    const refused = await claim(member, checkinId, proofFor(openid)).expect(400);
    expect(refused.body.error.code).toBe(code);
    expect(await groupBonusLines(member)).toBe(0);
    await claim(member, checkinId, groupProof(openid, GROUP, DAY2)).expect(200);
  });

  it('counts only on the day of the check-in (409 GROUP_SHARE_TOO_LATE the next day)', async () => {
    const { member, openid, checkinId } = await checkedInOutside();
    await at(t, '2026-03-04T08:00:00+08:00');
    const nextDay = new Date('2026-03-04T08:00:00+08:00');
    const answer = await claim(member, checkinId, groupProof(openid, GROUP, nextDay)).expect(409);
    expect(answer.body.error).toMatchObject({ code: 'GROUP_SHARE_TOO_LATE', details: { date: '2026-03-03' } });
    expect(await groupBonusLines(member)).toBe(0);
  });

  it('never pays for a make-up (409 GROUP_SHARE_MAKE_UP)', async () => {
    const openid = `make-up-${++serial}`;
    const member = await joinAs(t, openid, cohort.id);
    const madeUp = await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(member.auth)
      .send({ text: '补昨天的', makeUpDate: '2026-03-02' }).expect(201);
    const answer = await claim(member, madeUp.body.checkin.id, groupProof(openid, GROUP, DAY2)).expect(409);
    expect(answer.body.error.code).toBe('GROUP_SHARE_MAKE_UP');
  });

  it('is only for the check-in\'s author: anyone else gets 404', async () => {
    const { checkinId } = await checkedInOutside();
    const stranger = await joinAs(t, `stranger-${++serial}`, cohort.id);
    await claim(stranger, checkinId, groupProof(`stranger-${serial}`, GROUP, DAY2)).expect(404);
    await claim(stranger, 999999, groupProof(`stranger-${serial}`, GROUP, DAY2)).expect(404);
  });

  it('pays one bonus when claims arrive in parallel', async () => {
    const { member, openid, checkinId } = await checkedInOutside();
    const answers = await Promise.all(Array.from({ length: 6 }, () => claim(member, checkinId, groupProof(openid, GROUP, DAY2))));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.error.code === 'GROUP_BONUS_ALREADY_EARNED')).toBe(true);
    expect(await groupBonusLines(member)).toBe(1);
    const points = await t.http.get('/api/v1/me/points').set(member.auth).expect(200);
    expect(points.body.balance).toBe(20);
  });

  it('refuses a body without a proof with 400 VALIDATION_FAILED', async () => {
    const { member, checkinId } = await checkedInOutside();
    expect((await claim(member, checkinId, {}).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('the completion certificate', () => {
  it('is there once every day is checked in: name, cohort, days, points earned there', async () => {
    await at(t, '2026-04-20T10:00:00+08:00');
    const week = await createCohort(t, operator, { startDate: '2026-05-01', title: '晨读 7 天' });
    const member = await joinAs(t, 'finisher', week.id);
    await t.http.put('/api/v1/me').set(member.auth).send({ nickname: '林小满' }).expect(200);
    for (let day = 1; day <= 7; day++) {
      await at(t, `2026-05-0${day}T08:00:00+08:00`);
      if (day === 3) {
        const early = await t.http.get(`/api/v1/me/cohorts/${week.id}/certificate`).set(member.auth).expect(409);
        expect(early.body.error).toMatchObject({ code: 'NOT_COMPLETED', details: { daysCheckedIn: 2, durationDays: 7 } });
      }
      await t.http.post(`/api/v1/cohorts/${week.id}/checkins`).set(member.auth).send({ text: `第${day}天` }).expect(201);
    }
    const certificate = await t.http.get(`/api/v1/me/cohorts/${week.id}/certificate`).set(member.auth).expect(200);
    // 7 × 10 base, +30 at 7 days in a row, +50 for completing.
    expect(certificate.body).toEqual({
      cohortId: week.id, cohortTitle: '晨读 7 天', theme: 'spoken-english', nickname: '林小满', avatarUrl: null,
      durationDays: 7, daysCheckedIn: 7, longestStreak: 7, pointsEarned: 150, startDate: '2026-05-01', completedOn: '2026-05-07',
    });
    const outsider = await loginAs(t, 'not-here');
    await t.http.get(`/api/v1/me/cohorts/${week.id}/certificate`).set(outsider.auth).expect(403);
  });
});
