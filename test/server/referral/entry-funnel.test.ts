import { at, createCohort, joinAs, operatorOf } from '../support/cohort-helpers';
import { loginAs, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

let t: TestApp;
let metrics: Record<string, unknown> & { entry: { sources: unknown[]; total: unknown; entryRate: number }; topInviters: unknown[] };

/**
 * A funnel worked out by hand (cohort starts 2026-03-02):
 *  ann's poster: v1 and v2 scan it, both join, v1 checks in.   ann's card: v3 opens it twice, never joins.
 *  bob's card opened in a group: v4 joins and checks in.        bob's Moments post: opened once before login.
 *  bob's card: `old` (enrolled in an earlier cohort before) opens it; v1 opens it after joining: neither is a join.
 */
beforeAll(async () => {
  t = await startTestApp();
  const operator = await operatorOf(t);
  await at(t, '2026-02-20T10:00:00+08:00');
  const earlier = await createCohort(t, operator, { startDate: '2026-02-21', title: '上一期' });
  const old = await joinAs(t, 'old', earlier.id);
  await at(t, '2026-03-01T10:00:00+08:00');
  const { id: cohortId } = await createCohort(t, operator, { startDate: '2026-03-02', title: '入口漏斗' });
  const [ann, bob] = await Promise.all([loginAs(t, 'ann'), loginAs(t, 'bob')]);
  await t.http.put('/api/v1/me').set(ann.auth).send({ nickname: '安' }).expect(200);
  const code = async (member: LoggedIn, source: string) =>
    (await t.http.get(`/api/v1/me/invite-code?cohortId=${cohortId}&source=${source}`).set(member.auth).expect(200)).body.code as string;
  const open = (member: LoggedIn | null, inviteCode: string, source: string) => {
    const request = t.http.post('/api/v1/referrals');
    return (member ? request.set(member.auth) : request).send({ inviteCode, cohortId, source }).expect(200);
  };
  const join = (member: LoggedIn) => t.http.post(`/api/v1/cohorts/${cohortId}/enrollments`).set(member.auth).send({}).expect(200);
  const [annPoster, annCard, bobCard, bobTimeline] = [await code(ann, 'poster'), await code(ann, 'card'), await code(bob, 'card'), await code(bob, 'timeline')];
  const [v1, v2, v3, v4] = await Promise.all(['v1', 'v2', 'v3', 'v4'].map((openid) => loginAs(t, openid)));

  await open(v1, annPoster, 'poster');
  await open(v2, annPoster, 'poster');
  await open(v3, annCard, 'card');
  await open(v3, annCard, 'card');
  await open(v4, bobCard, 'group');
  await open(null, bobTimeline, 'timeline');
  await open(old, bobCard, 'card');
  await at(t, '2026-03-01T11:00:00+08:00');
  for (const member of [v1, v2, v4]) await join(member);
  await at(t, '2026-03-01T11:30:00+08:00');
  await open(v1, bobCard, 'card');

  await at(t, '2026-03-02T09:00:00+08:00');
  for (const member of [v1, v4]) await t.http.post(`/api/v1/cohorts/${cohortId}/checkins`).set(member.auth).send({ text: '第一天' }).expect(201);
  metrics = (await t.http.get(`/api/v1/cohorts/${cohortId}/metrics`).set(operator.auth).expect(200)).body;
});
afterAll(() => t.close());

describe('the entry funnel in GET /cohorts/:id/metrics', () => {
  it('counts opens, visitors, joins after opening and first check-ins per source', () => {
    expect(metrics.entry.sources).toEqual([
      { source: 'poster', opens: 2, visitors: 2, joins: 2, firstCheckins: 1 },
      { source: 'card', opens: 4, visitors: 3, joins: 0, firstCheckins: 0 },
      { source: 'timeline', opens: 1, visitors: 0, joins: 0, firstCheckins: 0 },
      { source: 'group', opens: 1, visitors: 1, joins: 1, firstCheckins: 1 },
    ]);
  });

  it('counts each member once in the total, and the entry rate is first check-ins per visitor', () => {
    expect(metrics.entry.total).toEqual({ source: 'all', opens: 8, visitors: 5, joins: 3, firstCheckins: 2 });
    expect(metrics.entry.entryRate).toBe(0.4);
  });

  it('ranks the inviters by invitees who checked in, then by invitees, with what they earned', () => {
    const ann = { id: expect.any(Number), nickname: '安', avatarUrl: null };
    expect(metrics.topInviters).toEqual([
      { member: ann, invited: 3, joined: 2, checkedIn: 1, rewardPoints: 20 },
      { member: { id: expect.any(Number), nickname: expect.stringMatching(/^学员\d+$/), avatarUrl: null }, invited: 1, joined: 1, checkedIn: 1, rewardPoints: 20 },
    ]);
  });
});
