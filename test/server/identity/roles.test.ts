import { loginAs, ROOT_OPERATOR_OPENID, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

let t: TestApp;
let operator: LoggedIn;
let frank: LoggedIn;
beforeAll(async () => {
  t = await startTestApp();
  operator = await loginAs(t, ROOT_OPERATOR_OPENID);
  frank = await loginAs(t, 'frank');
});
afterAll(() => t.close());

const rolesPath = (memberId: number | string) => `/api/v1/admin/members/${memberId}/roles`;

describe('POST /api/v1/admin/members/:id/roles', () => {
  it('lets an operator make a member a teacher, which the member then sees on /me', async () => {
    const answer = await t.http.post(rolesPath(frank.memberId)).set(operator.auth).send({ roles: ['teacher'] }).expect(200);
    expect(answer.body).toMatchObject({ id: frank.memberId, roles: ['member', 'teacher'] });
    const me = await t.http.get('/api/v1/me').set(frank.auth).expect(200);
    expect(me.body.roles).toEqual(['member', 'teacher']);
  });

  it('replaces the granted roles, so an empty list takes the teacher role away again', async () => {
    await t.http.post(rolesPath(frank.memberId)).set(operator.auth).send({ roles: ['teacher'] }).expect(200);
    const answer = await t.http.post(rolesPath(frank.memberId)).set(operator.auth).send({ roles: [] }).expect(200);
    expect(answer.body.roles).toEqual(['member']);
  });

  it('is idempotent when the same grant arrives twice at once', async () => {
    const answers = await Promise.all([
      t.http.post(rolesPath(frank.memberId)).set(operator.auth).send({ roles: ['teacher'] }),
      t.http.post(rolesPath(frank.memberId)).set(operator.auth).send({ roles: ['teacher'] }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const me = await t.http.get('/api/v1/me').set(frank.auth).expect(200);
    expect(me.body.roles).toEqual(['member', 'teacher']);
  });

  it('refuses members and teachers with 403 FORBIDDEN, and changes nothing', async () => {
    const grace = await loginAs(t, 'grace');
    const answer = await t.http.post(rolesPath(grace.memberId)).set(grace.auth).send({ roles: ['operator'] }).expect(403);
    expect(answer.body.error.code).toBe('FORBIDDEN');
    const me = await t.http.get('/api/v1/me').set(grace.auth).expect(200);
    expect(me.body.roles).toEqual(['member']);
  });

  it('answers 404 NOT_FOUND for an unknown member and 400 for an id that is not an id', async () => {
    const unknown = await t.http.post(rolesPath(999999)).set(operator.auth).send({ roles: ['teacher'] }).expect(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    for (const badId of ['abc', '0', '-1', '1.5', '99999999999']) {
      const bad = await t.http.post(rolesPath(badId)).set(operator.auth).send({ roles: ['teacher'] }).expect(400);
      expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('refuses unknown roles and the role "member" itself', async () => {
    for (const roles of [['admin'], ['member'], 'teacher', [1]]) {
      const answer = await t.http.post(rolesPath(frank.memberId)).set(operator.auth).send({ roles }).expect(400);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('does not let an operator remove their own operator role', async () => {
    const answer = await t.http.post(rolesPath(operator.memberId)).set(operator.auth).send({ roles: ['teacher'] }).expect(409);
    expect(answer.body.error.code).toBe('CANNOT_REMOVE_OWN_OPERATOR_ROLE');
    const me = await t.http.get('/api/v1/me').set(operator.auth).expect(200);
    expect(me.body.roles).toEqual(['member', 'operator']);
  });

  it('lets a newly made operator grant roles too', async () => {
    const heidi = await loginAs(t, 'heidi');
    await t.http.post(rolesPath(heidi.memberId)).set(operator.auth).send({ roles: ['operator'] }).expect(200);
    await t.http.post(rolesPath(frank.memberId)).set(heidi.auth).send({ roles: ['teacher'] }).expect(200);
  });
});

describe('GET /api/v1/admin/members', () => {
  it('lists members for an operator, by role and by nickname or id, with paging', async () => {
    const teachers = await t.http.get('/api/v1/admin/members?role=teacher').set(operator.auth).expect(200);
    expect(teachers.body.items.every((m: { roles: string[] }) => m.roles.includes('teacher'))).toBe(true);
    expect(teachers.body.items.map((m: { id: number }) => m.id)).toContain(frank.memberId);

    const byId = await t.http.get(`/api/v1/admin/members?q=${frank.memberId}`).set(operator.auth).expect(200);
    expect(byId.body.items.map((m: { id: number }) => m.id)).toContain(frank.memberId);
    for (const [who, nickname] of [[frank, '王老师'], [await loginAs(t, 'ivan'), '王小明']] as const) {
      await t.http.put('/api/v1/me').set(who.auth).send({ nickname }).expect(200);
    }
    const byName = await t.http.get(`/api/v1/admin/members?q=${encodeURIComponent('王')}&limit=1`).set(operator.auth).expect(200);
    expect(byName.body.items.map((m: { nickname: string }) => m.nickname)).toEqual(['王小明']);
    const next = await t.http.get(`/api/v1/admin/members?q=${encodeURIComponent('王')}&limit=1&before=${byName.body.nextCursor}`).set(operator.auth).expect(200);
    expect(next.body.items.map((m: { nickname: string }) => m.nickname)).toEqual(['王老师']);
    const wildcard = await t.http.get('/api/v1/admin/members?q=%25').set(operator.auth).expect(200);
    expect(wildcard.body.items).toEqual([]);

    expect((await t.http.get('/api/v1/admin/members').set(frank.auth).expect(403)).body.error.code).toBe('FORBIDDEN');
    expect((await t.http.get('/api/v1/admin/members?role=admin').set(operator.auth).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
  });
});
