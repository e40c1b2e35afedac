import { at, createCohort, operatorOf, teacherOf } from '../support/cohort-helpers';
import type { Principal } from '../../../server/src/platform/http/api-router';
import { statementsDuring } from '../support/statements';
import { loginAs, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

/**
 * Tokens and their roles come from a short-lived cache (issue 17), yet logging out, "log out
 * everywhere" and a role taken away are refused at the very next request: every such change drops
 * the member's cached logins (through Redis on every instance when REDIS_URL is set).
 */
let t: TestApp;
let operator: LoggedIn;

beforeAll(async () => {
  t = await startTestApp();
  await at(t, '2026-03-01T10:00:00+08:00');
  operator = await operatorOf(t);
});
afterAll(() => t.close());

it('a token used a moment ago is refused right after logging out', async () => {
  const ann = await loginAs(t, 'cache-ann');
  await t.http.get('/api/v1/me').set(ann.auth).expect(200);
  await t.http.get('/api/v1/me').set(ann.auth).expect(200);
  await t.http.post('/api/v1/auth/logout').set(ann.auth).expect((r) => expect(r.status).toBeLessThan(300));
  const refused = await t.http.get('/api/v1/me').set(ann.auth).expect(401);
  expect(refused.body.error.code).toBe('UNAUTHENTICATED');
});

it('every cached login of a member is refused right after "log out everywhere"', async () => {
  const phone = await loginAs(t, 'cache-bo');
  const tablet = await loginAs(t, 'cache-bo');
  for (const login of [phone, tablet]) await t.http.get('/api/v1/me').set(login.auth).expect(200);
  await t.http.post('/api/v1/auth/logout-all').set(tablet.auth).expect(200);
  for (const login of [phone, tablet]) await t.http.get('/api/v1/me').set(login.auth).expect(401);
});

it('a teacher whose role is taken away is refused the teacher\'s routes at the next request; a role granted shows at once', async () => {
  const cy = await teacherOf(t, operator, 'cache-cy');
  await t.http.get('/api/v1/teacher/review-queue').set(cy.auth).expect(200);
  await t.http.post(`/api/v1/admin/members/${cy.memberId}/roles`).set(operator.auth).send({ roles: [] }).expect(200);
  const refused = await t.http.get('/api/v1/teacher/review-queue').set(cy.auth).expect(403);
  expect(refused.body.error.code).toBe('FORBIDDEN');
  await t.http.post(`/api/v1/admin/members/${cy.memberId}/roles`).set(operator.auth).send({ roles: ['operator'] }).expect(200);
  await createCohort(t, cy, { title: '新的运营' });
});

it('an expired token is refused even while it is cached', async () => {
  const di = await loginAs(t, 'cache-di');
  await t.http.get('/api/v1/me').set(di.auth).expect(200);
  await at(t, '2027-03-01T10:00:00+08:00');
  await t.http.get('/api/v1/me').set(di.auth).expect(401);
});

it('many first requests at once read their tokens in one statement, each as its own member with its own roles', async () => {
  const members: LoggedIn[] = [];
  for (let i = 0; i < 12; i++) members.push(await loginAs(t, `cache-rush-${i}`));
  const anotherOperatorLogin = await operatorOf(t);
  const tokens = [...members.map((m) => m.token), anotherOperatorLogin.token, 'never-issued-token-0123456789abcdef'];
  let principals!: Array<Principal | null>;
  const statements = await statementsDuring(t.db.dataSource, async () => {
    principals = await Promise.all([...tokens, members[0].token].map((token) => t.modules.identity.authenticate(token)));
  });
  expect(statements).toHaveLength(1);
  expect(principals.map((p) => p?.memberId ?? null)).toEqual([...members.map((m) => m.memberId), operator.memberId, null, members[0].memberId]);
  expect(principals[0]!.roles).toEqual(['member']);
  expect(principals[12]!.roles).toContain('operator');
  // Read once, answered from the cache afterwards.
  expect(await statementsDuring(t.db.dataSource, () => t.modules.identity.authenticate(members[5].token))).toEqual([]);
});
