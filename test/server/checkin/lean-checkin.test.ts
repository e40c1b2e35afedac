import { CohortStanding } from '../../../server/src/modules/leaderboard/standing.entity';
import { statementsDuring } from '../support/statements';
import { PointsLedgerLine } from '../../../server/src/modules/points/points.entity';
import { at, bindGroup, createCohort, expectBalancesMatchLedger, groupProof, joinAs, operatorOf, type CohortFixture } from '../support/cohort-helpers';
import { ROOT_OPERATOR_OPENID, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

/**
 * The check-in's statements (issue 17): at most 7 once the caller's token is cached (it is after
 * any earlier request), with every guarantee of the check-in kept when the same member's check-ins
 * race each other.
 */
let t: TestApp;
let operator: LoggedIn;
let cohort: CohortFixture;

beforeAll(async () => {
  t = await startTestApp();
  operator = await operatorOf(t);
  await at(t, '2026-03-01T10:00:00+08:00');
  cohort = await createCohort(t, operator, { startDate: '2026-03-02', durationDays: 7 });
  await bindGroup(t, operator, ROOT_OPERATOR_OPENID, cohort.id, 'G-lean', new Date('2026-03-01T02:00:00Z'));
});
afterEach(() => expectBalancesMatchLedger(t));
afterAll(() => t.close());

const checkinPath = () => `/api/v1/cohorts/${cohort.id}/checkins`;

/** Statements beyond 7, listed (an empty list passes). */
const beyondSeven = (statements: string[]) => (statements.length <= 7 ? [] : statements);

/** Points an operator gave, as a ledger line and the balance together. */
async function grant(memberId: number, points: number, key: string) {
  await t.db.dataSource.query('UPDATE member_points SET balance = balance + ? WHERE member_id = ?', [points, memberId]);
  await t.db.dataSource.query(
    "INSERT INTO points_ledger (member_id, delta, reason, idempotency_key, created_at) VALUES (?, ?, 'operator_grant', ?, '2026-03-02 01:00:00.000')",
    [memberId, points, key],
  );
}

it('is at most 7 statements, the first check-in of a cohort and a later one alike, in the group or not', async () => {
  const ann = await joinAs(t, 'lean-ann', cohort.id);
  const warm = await joinAs(t, 'lean-warm', cohort.id);
  await at(t, '2026-03-02T08:00:00+08:00');
  await t.http.post(checkinPath()).set(warm.auth).send({ text: 'Someone checked in before: the cohort is cached' }).expect(201);
  await t.http.get('/api/v1/me').set(ann.auth).expect(200); // the Mini Program's first screen: the token is cached now

  let answer: { status: number; body: { balance: number } } | undefined;
  const first = await statementsDuring(t.db.dataSource, async () => {
    answer = await t.http.post(checkinPath()).set(ann.auth).send({ text: 'Day 1' });
  });
  expect(answer!.status).toBe(201);
  expect(beyondSeven(first)).toEqual([]);

  await at(t, '2026-03-03T08:00:00+08:00');
  const proof = groupProof('lean-ann', 'G-lean', new Date('2026-03-03T00:00:00Z'));
  const second = await statementsDuring(t.db.dataSource, async () => {
    answer = await t.http.post(checkinPath()).set(ann.auth).send({ text: 'Day 2 in the group', groupProof: proof });
  });
  expect(answer!.status).toBe(201);
  expect(answer!.body).toMatchObject({ awards: [{ reason: 'checkin', points: 10 }, { reason: 'group_bonus', points: 10 }], balance: 30 });
  expect(beyondSeven(second)).toEqual([]);
  // One read before the transaction, and inside it no lock and no read of the day history.
  expect(second.filter((sql) => /^SELECT/i.test(sql))).toHaveLength(1);
  expect(second.some((sql) => /FOR UPDATE/i.test(sql))).toBe(false);
});

it('a make-up and today\'s check-in of one member at once: both count, the streak bonus is paid once, from the days before each', async () => {
  const bo = await joinAs(t, 'lean-bo', cohort.id);
  // Days 1-5 and 7 of the cohort, day 6 missed; on day 7 the make-up of day 6 and day 7 race.
  for (const day of [1, 2, 3, 4, 5]) {
    await at(t, `2026-03-0${day + 1}T09:00:00+08:00`);
    await t.http.post(checkinPath()).set(bo.auth).send({ text: `Day ${day}` }).expect(201);
  }
  await at(t, '2026-03-08T09:00:00+08:00');
  const answers = await Promise.all([
    t.http.post(checkinPath()).set(bo.auth).send({ text: 'Day 6, made up', makeUpDate: '2026-03-07' }),
    t.http.post(checkinPath()).set(bo.auth).send({ text: 'Day 7' }),
  ]);
  expect(answers.map((a) => a.status)).toEqual([201, 201]);
  const lines = await t.db.dataSource.manager.findBy(PointsLedgerLine, { memberId: bo.memberId });
  const reasons = lines.map((line) => line.reason).sort();
  // 7 days in a row: the streak bonus of 7 and the completion bonus, each exactly once.
  expect(reasons.filter((r) => r === 'streak_bonus')).toHaveLength(1);
  expect(reasons.filter((r) => r === 'completion_bonus')).toHaveLength(1);
  expect(reasons.filter((r) => r === 'make_up_fee')).toHaveLength(1);
  const standing = await t.db.dataSource.manager.findOneByOrFail(CohortStanding, { cohortId: cohort.id, memberId: bo.memberId });
  expect(standing).toMatchObject({ doneDays: 0b1111111, makeUpsUsed: 1, streakDays: 7, streakLastDay: 7 });
  const progress = await t.http.get(`/api/v1/me/cohorts/${cohort.id}/progress`).set(bo.auth).expect(200);
  expect(progress.body.streak).toEqual({ current: 7, longest: 7, total: 7 });
});

it('two make-ups at once when one is left: one is made, the other is MAKEUP_LIMIT_REACHED; today\'s check-in beside them counts', async () => {
  const cy = await joinAs(t, 'lean-cy', cohort.id);
  await at(t, '2026-03-02T09:00:00+08:00');
  await t.http.post(checkinPath()).set(cy.auth).send({ text: 'Day 1' }).expect(201);
  await grant(cy.memberId, 100, 'lean-cy-grant');
  await at(t, '2026-03-06T09:00:00+08:00');
  await t.http.post(checkinPath()).set(cy.auth).send({ text: 'Day 2, made up', makeUpDate: '2026-03-03' }).expect(201);
  const answers = await Promise.all([
    t.http.post(checkinPath()).set(cy.auth).send({ text: 'Day 3, made up', makeUpDate: '2026-03-04' }),
    t.http.post(checkinPath()).set(cy.auth).send({ text: 'Day 4, made up', makeUpDate: '2026-03-05' }),
    t.http.post(checkinPath()).set(cy.auth).send({ text: 'Day 5' }),
  ]);
  const makeUps = answers.slice(0, 2).map((a) => a.status).sort();
  expect(makeUps).toEqual([201, 409]);
  expect(answers.slice(0, 2).find((a) => a.status === 409)!.body.error.code).toBe('MAKEUP_LIMIT_REACHED');
  expect(answers[2].status).toBe(201);
  const again = await t.http.post(checkinPath()).set(cy.auth).send({ text: 'Day 1 again', makeUpDate: '2026-03-02' }).expect(409);
  expect(again.body.error.code).toBe('CHECKIN_ALREADY_DONE');
  const standing = await t.db.dataSource.manager.findOneByOrFail(CohortStanding, { cohortId: cohort.id, memberId: cy.memberId });
  expect(standing.makeUpsUsed).toBe(2);
  expect([0b10111, 0b11011]).toContain(standing.doneDays);
});
