import { loginAs, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';
import { at, createCohort, operatorOf, teacherOf } from '../support/cohort-helpers';

let t: TestApp;
let operator: LoggedIn;
let teacher: LoggedIn;
let member: LoggedIn;

beforeAll(async () => {
  t = await startTestApp();
  await at(t, '2026-03-01T09:00:00+08:00');
  operator = await operatorOf(t);
  teacher = await teacherOf(t, operator, 'console-teacher');
  member = await loginAs(t, 'console-member');
});
afterAll(() => t.close());

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';

async function openTicket(): Promise<{ ticket: string; qrContent: string; expiresAt: string }> {
  const answer = await t.http.post('/api/v1/console/login-tickets').set('User-Agent', CHROME).set('X-Forwarded-For', '203.0.113.7').expect(201);
  return answer.body;
}
const poll = (ticket: string) => t.http.get(`/api/v1/console/login-tickets/${ticket}`);
const approve = (ticket: string, who: LoggedIn) => t.http.post(`/api/v1/console/login-tickets/${ticket}/approve`).set(who.auth).send({});
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('console QR login tickets', () => {
  it('are 128 random bits, shown as a QR, and expire in 2 minutes', async () => {
    const a = await openTicket();
    const b = await openTicket();
    expect(a.ticket).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(a.ticket, 'base64url')).toHaveLength(16);
    expect(a.ticket).not.toBe(b.ticket);
    expect(a.qrContent).toBe(`checkin-console-login:${a.ticket}`);
    expect(a.expiresAt).toBe('2026-03-01T01:02:00.000Z');
    expect(a).toMatchObject({ expiresInSeconds: 120 });
    expect((await poll(a.ticket).expect(200)).body).toEqual({ state: 'pending', expiresAt: a.expiresAt });
  });

  it('tell the phone which browser asked, from where and when, before it approves', async () => {
    const { ticket } = await openTicket();
    const answer = await t.http.get(`/api/v1/console/login-tickets/${ticket}/browser`).set(teacher.auth).expect(200);
    expect(answer.body).toEqual({
      state: 'pending', browser: 'Chrome · Windows', ip: '203.0.113.7',
      requestedAt: '2026-03-01T01:00:00.000Z', expiresAt: '2026-03-01T01:02:00.000Z',
    });
    await t.http.get(`/api/v1/console/login-tickets/${ticket}/browser`).set(member.auth).expect(403);
  });

  it('cannot be approved by a member without a staff role', async () => {
    const { ticket } = await openTicket();
    const answer = await approve(ticket, member).expect(403);
    expect(answer.body.error.code).toBe('FORBIDDEN');
    expect((await poll(ticket)).body.state).toBe('pending');
  });

  it('hand the console token out once, with the approver\'s roles, after a single approval', async () => {
    const { ticket } = await openTicket();
    await approve(ticket, teacher).expect(204);
    const again = await approve(ticket, operator).expect(409);
    expect(again.body.error.code).toBe('LOGIN_TICKET_ALREADY_APPROVED');

    const first = await poll(ticket).expect(200);
    expect(first.body).toMatchObject({ state: 'approved', member: { id: teacher.memberId, roles: ['member', 'teacher'] } });
    expect(first.body.token).toHaveLength(64);
    expect(first.body).toMatchObject({ sessionExpiresAt: '2026-03-01T13:00:00.000Z', sessionExpiresInSeconds: 43200 });
    const second = await poll(ticket).expect(200);
    expect(second.body).toEqual({ state: 'approved', expiresAt: first.body.expiresAt });

    const me = await t.http.get('/api/v1/me').set(bearer(first.body.token)).expect(200);
    expect(me.body.id).toBe(teacher.memberId);
    // A teacher's console cannot do what only operators may.
    await t.http.get('/api/v1/admin/members').set(bearer(first.body.token)).expect(403);
  });

  it('give exactly one token when many polls race after approval, and one approval when many approvers race', async () => {
    const { ticket } = await openTicket();
    const approvers = [operator, teacher, await teacherOf(t, operator, 'racer-1'), await teacherOf(t, operator, 'racer-2')];
    const approvals = await Promise.all(approvers.map((who) => approve(ticket, who)));
    expect(approvals.map((a) => a.status).sort()).toEqual([204, 409, 409, 409]);
    const polls = await Promise.all(Array.from({ length: 12 }, () => poll(ticket)));
    expect(polls.every((p) => p.status === 200 && p.body.state === 'approved')).toBe(true);
    expect(polls.filter((p) => p.body.token)).toHaveLength(1);
    const sessions = await t.db.dataSource.query('SELECT COUNT(*) AS n FROM console_session');
    expect(Number(sessions[0].n)).toBeGreaterThanOrEqual(1);
  });

  it('expire after 2 minutes: no approval, no token', async () => {
    const { ticket } = await openTicket();
    await at(t, '2026-03-01T09:02:00.001+08:00');
    expect((await poll(ticket).expect(200)).body.state).toBe('expired');
    const late = await approve(ticket, teacher).expect(410);
    expect(late.body.error.code).toBe('LOGIN_TICKET_EXPIRED');
    expect((await poll(ticket)).body.token).toBeUndefined();
    await at(t, '2026-03-01T09:00:00+08:00');
  });

  it('approved in time stay collectable for a minute after approval, then expire without a token', async () => {
    const collectedLate = await openTicket();
    const neverCollected = await openTicket();
    await at(t, '2026-03-01T09:01:59+08:00');
    await approve(collectedLate.ticket, teacher).expect(204);
    await approve(neverCollected.ticket, teacher).expect(204);
    await at(t, '2026-03-01T09:02:30+08:00');
    expect((await poll(collectedLate.ticket)).body).toMatchObject({ state: 'approved', token: expect.any(String) });
    await at(t, '2026-03-01T09:02:59+08:00');
    expect((await poll(neverCollected.ticket)).body).toEqual({ state: 'expired', expiresAt: neverCollected.expiresAt });
    await at(t, '2026-03-01T09:00:00+08:00');
  });

  it('answer 404 to an unknown ticket and 400 to one of the wrong shape', async () => {
    expect((await poll('A'.repeat(22)).expect(404)).body.error.code).toBe('NOT_FOUND');
    expect((await poll('short').expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await approve('B'.repeat(22), teacher).expect(404)).body.error.code).toBe('NOT_FOUND');
  });
});

describe('console sessions', () => {
  async function consoleLogin(who: LoggedIn): Promise<string> {
    const { ticket } = await openTicket();
    await approve(ticket, who).expect(204);
    return (await poll(ticket)).body.token;
  }

  it('cannot approve another console login (only a phone can)', async () => {
    const token = await consoleLogin(operator);
    const { ticket } = await openTicket();
    const answer = await t.http.post(`/api/v1/console/login-tickets/${ticket}/approve`).set(bearer(token)).send({}).expect(403);
    expect(answer.body.error.message).toMatch(/Mini Program/);
  });

  it('last 12 hours', async () => {
    const token = await consoleLogin(operator);
    await at(t, '2026-03-01T20:59:59+08:00');
    await t.http.get('/api/v1/admin/members').set(bearer(token)).expect(200);
    await at(t, '2026-03-01T21:00:00.001+08:00');
    await t.http.get('/api/v1/admin/members').set(bearer(token)).expect(401);
    await at(t, '2026-03-01T09:00:00+08:00');
  });

  it('are listed and revocable: logging out or revoking ends them at once', async () => {
    const here = await consoleLogin(operator);
    const there = await consoleLogin(operator);
    const list = await t.http.get('/api/v1/console/sessions').set(bearer(here)).expect(200);
    const current = list.body.items.find((s: { current: boolean }) => s.current);
    expect(current).toMatchObject({ via: 'qr', browser: 'Chrome · Windows', ip: '203.0.113.7' });
    const other = list.body.items.find((s: { current: boolean }) => !s.current);
    await t.http.delete(`/api/v1/console/sessions/${other.id}`).set(bearer(here)).expect(204);
    await t.http.get('/api/v1/me').set(bearer(there)).expect(401);
    await t.http.post('/api/v1/console/logout').set(bearer(here)).expect(204);
    await t.http.get('/api/v1/me').set(bearer(here)).expect(401);
  });

  const rolesOf = (who: LoggedIn, roles: string[]) =>
    t.http.post(`/api/v1/admin/members/${who.memberId}/roles`).set(operator.auth).send({ roles }).expect(200);
  const sessionRows = async (who: LoggedIn) =>
    Number((await t.db.dataSource.query('SELECT COUNT(*) AS n FROM console_session WHERE member_id = ?', [who.memberId]))[0].n);

  it('end when the member loses every staff role, and granting the role again does not revive them', async () => {
    const former = await teacherOf(t, operator, 'former-teacher');
    const token = await consoleLogin(former);
    await t.http.get('/api/v1/console/sessions').set(bearer(token)).expect(200);
    await rolesOf(former, []);
    await t.http.get('/api/v1/console/sessions').set(bearer(token)).expect(401);
    expect(await sessionRows(former)).toBe(0);
    await rolesOf(former, ['teacher']);
    await t.http.get('/api/v1/console/sessions').set(bearer(token)).expect(401);
  });

  it('end when an operator takes any role away (an operator made a teacher scans again)', async () => {
    const lead = await teacherOf(t, operator, 'demoted-lead');
    await rolesOf(lead, ['teacher', 'operator']);
    const token = await consoleLogin(lead);
    await t.http.get('/api/v1/admin/members').set(bearer(token)).expect(200);
    const phone = await t.http.get('/api/v1/me').set(lead.auth).expect(200);
    expect(phone.body.roles).toEqual(expect.arrayContaining(['teacher', 'operator']));

    await rolesOf(lead, ['teacher']);
    await t.http.get('/api/v1/admin/members').set(bearer(token)).expect(401);
    await t.http.get('/api/v1/console/sessions').set(bearer(token)).expect(401);
    // The phone stays logged in, with the powers the member holds now.
    await t.http.get('/api/v1/admin/members').set(lead.auth).expect(403);
    // Granting a role takes nothing away: a console session goes on, with the new role at once.
    const again = await consoleLogin(lead);
    await rolesOf(lead, ['teacher', 'operator']);
    await t.http.get('/api/v1/admin/members').set(bearer(again)).expect(200);
  });

  it('read the roles and the cohorts taught at each request, not at approval', async () => {
    const zhou = await teacherOf(t, operator, 'at-use-teacher');
    const cohort = await createCohort(t, operator, { startDate: '2026-03-02', teacherIds: [zhou.memberId] });
    const token = await consoleLogin(zhou);
    await t.http.get(`/api/v1/cohorts/${cohort.id}/members`).set(bearer(token)).expect(200);
    await t.http.get('/api/v1/moderation/held').set(bearer(token)).expect(200);
    await t.http.get('/api/v1/admin/members').set(bearer(token)).expect(403);

    await t.http.put(`/api/v1/cohorts/${cohort.id}`).set(operator.auth).send({ teacherIds: [] }).expect(200);
    await t.http.get(`/api/v1/cohorts/${cohort.id}/members`).set(bearer(token)).expect(403);
    await rolesOf(zhou, ['teacher', 'operator']);
    await t.http.get('/api/v1/admin/members').set(bearer(token)).expect(200);
  });

  it('end with "log out everywhere", asked from the phone or from the console, with the phone\'s logins', async () => {
    const busy = await teacherOf(t, operator, 'logout-all-teacher');
    const consoles = [await consoleLogin(busy), await consoleLogin(busy)];
    const out = await t.http.post('/api/v1/auth/logout-all').set(busy.auth).send({}).expect(200);
    expect(out.body).toEqual({ loggedOut: true, revoked: 3 }); // one phone login, two console sessions
    for (const token of consoles) await t.http.get('/api/v1/me').set(bearer(token)).expect(401);
    await t.http.get('/api/v1/me').set(busy.auth).expect(401);

    const phone = await loginAs(t, 'logout-all-teacher');
    const fromConsole = await consoleLogin(phone);
    const out2 = await t.http.post('/api/v1/auth/logout-all').set(bearer(fromConsole)).send({}).expect(200);
    expect(out2.body).toEqual({ loggedOut: true, revoked: 2 });
    await t.http.get('/api/v1/me').set(phone.auth).expect(401);
    await t.http.get('/api/v1/me').set(bearer(fromConsole)).expect(401);
    expect(await sessionRows(phone)).toBe(0);
  });

  it('keep a member\'s newest 10, like phone logins', async () => {
    const keen = await teacherOf(t, operator, 'many-consoles');
    const tokens: string[] = [];
    for (let i = 0; i < 12; i++) tokens.push(await consoleLogin(keen));
    const statuses = await Promise.all(tokens.map(async (token) => (await t.http.get('/api/v1/me').set(bearer(token))).status));
    expect(statuses).toEqual([401, 401, ...Array(10).fill(200)]);
    // The phone's own login is not one of the ten.
    await t.http.get('/api/v1/me').set(keen.auth).expect(200);
  });

  it('do not let a member in through the development login', async () => {
    const answer = await t.http.post('/api/v1/console/dev-login').send({ openid: 'console-member' }).expect(403);
    expect(answer.body.error.code).toBe('FORBIDDEN');
  });

  it('open to staff through the development login in fake WeChat mode, without leaving a phone token', async () => {
    const before = await t.db.dataSource.query('SELECT COUNT(*) AS n FROM auth_token');
    const answer = await t.http.post('/api/v1/console/dev-login').send({ openid: 'root-operator' }).expect(200);
    expect(answer.body.member.roles).toContain('operator');
    await t.http.get('/api/v1/admin/members').set(bearer(answer.body.token)).expect(200);
    const after = await t.db.dataSource.query('SELECT COUNT(*) AS n FROM auth_token');
    expect(Number(after[0].n)).toBe(Number(before[0].n));
    expect((await t.http.get('/api/v1/console/config').expect(200)).body).toEqual({ devLogin: true });
  });
});

describe('the development login outside fake WeChat mode', () => {
  it('does not exist', async () => {
    const real = await startTestApp({ env: { WECHAT_MODE: 'real', WECHAT_APPID: 'wx0123456789abcdef', WECHAT_SECRET: 'secret' } });
    try {
      await real.http.post('/api/v1/console/dev-login').send({ openid: 'root-operator' }).expect(404);
      expect((await real.http.get('/api/v1/console/config').expect(200)).body).toEqual({ devLogin: false });
    } finally {
      await real.close();
    }
  });
});

describe('the console login limit (per client address)', () => {
  function expectRateLimited(answer: { status: number; body: { error?: { code?: string } }; headers: Record<string, string> }) {
    const retryAfter = Number(answer.headers['retry-after']);
    expect({ status: answer.status, code: answer.body.error?.code, retryAfter: retryAfter >= 1 && retryAfter <= 60 })
      .toEqual({ status: 429, code: 'RATE_LIMITED', retryAfter: true });
  }

  it('lets a console poll every second through two whole tickets without a 429', async () => {
    // Four minutes of a console's polling, sent within seconds: all of it lands in one minute's count.
    const office = '198.51.100.200';
    const statuses: number[] = [];
    await at(t, '2026-03-01T09:00:00+08:00');
    for (let round = 0; round < 2; round++) {
      const opened = await t.http.post('/api/v1/console/login-tickets').set('X-Forwarded-For', office);
      statuses.push(opened.status);
      for (let second = 0; second < 120; second++) {
        statuses.push((await t.http.get(`/api/v1/console/login-tickets/${opened.body.ticket}`).set('X-Forwarded-For', office)).status);
      }
      await at(t, '2026-03-01T09:02:00.001+08:00');
      expect((await t.http.get(`/api/v1/console/login-tickets/${opened.body.ticket}`).set('X-Forwarded-For', office)).body.state).toBe('expired');
      await at(t, '2026-03-01T09:00:00+08:00');
    }
    expect(statuses.filter((status) => status !== 200 && status !== 201)).toEqual([]);
  }, 60_000);

  it('stops one address opening, polling and dev-logging past its limit; other addresses and the phone go on', async () => {
    const tight = await startTestApp({ env: { RATE_LIMIT_CONSOLE_LOGIN: '5/1m', RATE_LIMIT_ANONYMOUS: '2/1m' } });
    try {
      const script = '203.0.113.66';
      const phone = await loginAs(tight, 'root-operator');
      const opened = await tight.http.post('/api/v1/console/login-tickets').set('X-Forwarded-For', script).expect(201);
      // Its own budget: past the anonymous limit (2) without a 429.
      for (let i = 0; i < 3; i++) await tight.http.get(`/api/v1/console/login-tickets/${opened.body.ticket}`).set('X-Forwarded-For', script).expect(200);
      await tight.http.post('/api/v1/console/login-tickets').set('X-Forwarded-For', script).expect(201);
      const rows = async () => Number((await tight.db.dataSource.query('SELECT COUNT(*) AS n FROM console_login_ticket'))[0].n);
      const before = await rows();
      expectRateLimited(await tight.http.post('/api/v1/console/login-tickets').set('X-Forwarded-For', script));
      expectRateLimited(await tight.http.get(`/api/v1/console/login-tickets/${opened.body.ticket}`).set('X-Forwarded-For', script));
      expectRateLimited(await tight.http.post('/api/v1/console/dev-login').set('X-Forwarded-For', script).send({ openid: 'root-operator' }));
      expect(await rows()).toBe(before);

      // The phone approves (its own login, not this limit); the browser at another address collects.
      const other = '203.0.113.67';
      const mine = await tight.http.post('/api/v1/console/login-tickets').set('X-Forwarded-For', other).expect(201);
      await tight.http.post(`/api/v1/console/login-tickets/${mine.body.ticket}/approve`).set(phone.auth).set('X-Forwarded-For', script).send({}).expect(204);
      const collected = await tight.http.get(`/api/v1/console/login-tickets/${mine.body.ticket}`).set('X-Forwarded-For', other).expect(200);
      expect(collected.body.token).toHaveLength(64);
      await tight.http.post('/api/v1/console/dev-login').set('X-Forwarded-For', other).send({ openid: 'root-operator' }).expect(200);

      const doc = (await tight.http.get('/api/v1/openapi.json').set('X-Forwarded-For', '203.0.113.68').expect(200)).body;
      const policyOf = (path: string, method: string) => doc.paths[path][method]['x-rate-limit'];
      for (const [path, method] of [['/api/v1/console/login-tickets', 'post'], ['/api/v1/console/login-tickets/{ticket}', 'get'], ['/api/v1/console/dev-login', 'post']]) {
        expect(policyOf(path, method)).toEqual({ policy: 'consoleLogin', per: 'ip', points: 5, durationSeconds: 60 });
      }
    } finally {
      await tight.close();
    }
  });
});
