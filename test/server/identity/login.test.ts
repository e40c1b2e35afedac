import { AuthToken } from '../../../server/src/modules/identity/auth-token.entity';
import { Member } from '../../../server/src/modules/identity/member.entity';
import { fakeSessionKeyFor } from '../../../server/src/platform/wechat/fake-wechat-auth';
import { loginAs, ROOT_OPERATOR_OPENID, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { CONTENT_RISKY_WORDS: '赌博' } });
});
afterAll(() => t.close());

describe('POST /api/v1/auth/wechat-login', () => {
  it('creates the member on first login and returns a token that opens /me', async () => {
    const login = await t.http.post('/api/v1/auth/wechat-login').send({ code: 'fake:alice' }).expect(200);
    expect(login.body).toEqual({
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      member: { id: expect.any(Number), nickname: expect.stringMatching(/^学员\d+$/), avatarUrl: null, roles: ['member'] },
    });

    const me = await t.http.get('/api/v1/me').set('Authorization', `Bearer ${login.body.token}`).expect(200);
    expect(me.body).toEqual(login.body.member);
  });

  it('logs the same openid into the same member with a new token, keeping the latest session_key server-side', async () => {
    const first = await loginAs(t, 'bob');
    const second = await loginAs(t, 'bob');
    expect(second.memberId).toBe(first.memberId);
    expect(second.token).not.toBe(first.token);

    const stored = await t.db.dataSource.manager.findOneByOrFail(Member, { id: first.memberId });
    expect(stored.sessionKey).toBe(fakeSessionKeyFor('bob'));
    const answer = await t.http.get('/api/v1/me').set(second.auth).expect(200);
    expect(JSON.stringify(answer.body)).not.toContain(stored.sessionKey);
  });

  it('stores only a hash of the token', async () => {
    const carol = await loginAs(t, 'carol');
    const rows = await t.db.dataSource.manager.findBy(AuthToken, { memberId: carol.memberId });
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].tokenHash).not.toContain(carol.token);
  });

  it('creates exactly one member when the same new openid logs in 10 times at once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => t.http.post('/api/v1/auth/wechat-login').send({ code: 'fake:rush-hour' })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((a) => a.body.member.id)).size).toBe(1);
    expect(await t.db.dataSource.manager.countBy(Member, { openid: 'rush-hour' })).toBe(1);
    expect(await t.db.dataSource.manager.countBy(AuthToken, { memberId: answers[0].body.member.id })).toBe(10);
  });

  it('refuses a code that fake WeChat does not know with 401 WECHAT_CODE_INVALID', async () => {
    const answer = await t.http.post('/api/v1/auth/wechat-login').send({ code: '081aBcDeFgHiJk' }).expect(401);
    expect(answer.body.error.code).toBe('WECHAT_CODE_INVALID');
    expect(answer.body.error.message).toMatch(/wx\.login/);
  });

  it('grants the operator role to OPERATOR_OPENIDS at login', async () => {
    const login = await t.http.post('/api/v1/auth/wechat-login').send({ code: `fake:${ROOT_OPERATOR_OPENID}` }).expect(200);
    expect(login.body.member.roles).toEqual(['member', 'operator']);
  });
});

describe('PUT /api/v1/me', () => {
  it('sets my nickname and avatar, refuses text the content check flags and avatars not uploaded here', async () => {
    const zoe = await loginAs(t, 'zoe');
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a2dd1f8a0000000049454e44ae426082', 'hex');
    const avatar = await t.http.post('/api/v1/uploads/images').set(zoe.auth).attach('file', png, 'me.png').expect(201);
    const updated = await t.http.put('/api/v1/me').set(zoe.auth).send({ nickname: '  佐伊 ', avatarUrl: avatar.body.url }).expect(200);
    expect(updated.body).toMatchObject({ nickname: '佐伊', avatarUrl: avatar.body.url });
    expect((await t.http.get('/api/v1/me').set(zoe.auth)).body.nickname).toBe('佐伊');

    expect((await t.http.put('/api/v1/me').set(zoe.auth).send({ nickname: '赌博大王' }).expect(400)).body.error.code).toBe('CONTENT_REJECTED');
    expect((await t.http.put('/api/v1/me').set(zoe.auth).send({ avatarUrl: 'https://evil.example/a.png' }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await t.http.put('/api/v1/me').set(zoe.auth).send({ nickname: 'x'.repeat(33) }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await t.http.get('/api/v1/me').set(zoe.auth)).body.nickname).toBe('佐伊');
  });
});

describe('tokens', () => {
  it('refuses requests without a token, with a malformed header, or with an unknown token', async () => {
    const none = await t.http.get('/api/v1/me').expect(401);
    expect(none.body.error.code).toBe('UNAUTHENTICATED');
    const basic = await t.http.get('/api/v1/me').set('Authorization', 'Basic YWxhZGRpbjpvcGVuc2VzYW1l').expect(401);
    expect(basic.body.error.code).toBe('UNAUTHENTICATED');
    const unknown = await t.http.get('/api/v1/me').set('Authorization', `Bearer ${'x'.repeat(43)}`).expect(401);
    expect(unknown.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('expires a token after 30 days by the server clock', async () => {
    t.clock.set(new Date('2026-01-01T00:00:00Z'));
    try {
      const dave = await loginAs(t, 'dave');
      t.clock.set(new Date('2026-01-30T23:59:00Z'));
      await t.http.get('/api/v1/me').set(dave.auth).expect(200);
      t.clock.set(new Date('2026-01-31T00:00:00Z'));
      const expired = await t.http.get('/api/v1/me').set(dave.auth).expect(401);
      expect(expired.body.error.code).toBe('UNAUTHENTICATED');
    } finally {
      t.clock.set(null);
    }
  });

  it('revokes the token on logout and only that token', async () => {
    const phone = await loginAs(t, 'erin');
    const tablet = await loginAs(t, 'erin');
    await t.http.post('/api/v1/auth/logout').set(phone.auth).expect(200, { loggedOut: true });
    await t.http.get('/api/v1/me').set(phone.auth).expect(401);
    await t.http.get('/api/v1/me').set(tablet.auth).expect(200);
  });
});
