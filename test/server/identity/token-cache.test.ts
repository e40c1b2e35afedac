import { at, createCohort, operatorOf, teacherOf } from '../support/cohort-helpers';
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
