import { startTestApp, type TestApp } from '../support/test-app';
import { Member } from '../../../server/src/modules/identity/member.entity';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const login = '/api/v1/auth/wechat-login';

async function expectRefused(answer: { status: number; body: { error?: { code?: string; message?: string } } }, status: number, code: string) {
  expect({ status: answer.status, code: answer.body.error?.code }).toEqual({ status, code });
  expect(answer.body.error?.message).toEqual(expect.any(String));
}

describe('bad input to login is a 4xx with a code, never a 5xx, and writes nothing', () => {
  afterEach(async () => {
    expect(await t.db.dataSource.manager.count(Member)).toBe(0);
  });

  it('no body at all', async () => {
    await expectRefused(await t.http.post(login), 400, 'VALIDATION_FAILED');
  });

  it('wrong types', async () => {
    for (const body of [{ code: 123 }, { code: null }, { code: ['fake:a'] }, { code: { $ne: '' } }, { code: '' }]) {
      await expectRefused(await t.http.post(login).send(body), 400, 'VALIDATION_FAILED');
    }
  });

  it('a JSON body that is not an object', async () => {
    for (const raw of ['"fake:alice"', '[{"code":"fake:alice"}]', '42', 'null']) {
      const answer = await t.http.post(login).set('Content-Type', 'application/json').send(raw);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.body.error.code).toMatch(/^(VALIDATION_FAILED|MALFORMED_JSON)$/);
    }
  });

  it('unknown fields', async () => {
    const answer = await t.http.post(login).send({ code: 'fake:alice', openid: 'someone-else', roles: ['operator'] });
    await expectRefused(answer, 400, 'VALIDATION_FAILED');
    expect(answer.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'body' })]));
  });

  it('malformed JSON', async () => {
    const answer = await t.http.post(login).set('Content-Type', 'application/json').send('{"code": "fake:alice"');
    await expectRefused(answer, 400, 'MALFORMED_JSON');
  });

  it('a 1 MB body', async () => {
    const answer = await t.http.post(login).send({ code: 'fake:alice', padding: 'x'.repeat(1024 * 1024) });
    await expectRefused(answer, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('an overlong code', async () => {
    await expectRefused(await t.http.post(login).send({ code: `fake:${'a'.repeat(500)}` }), 400, 'VALIDATION_FAILED');
  });

  it('a form-encoded body instead of JSON', async () => {
    const answer = await t.http.post(login).type('form').send('code=fake:alice');
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body.error.code).toEqual(expect.any(String));
  });
});

describe('routing errors carry codes too', () => {
  it('an unknown path is 404 NOT_FOUND', async () => {
    await expectRefused(await t.http.get('/api/v1/no-such-thing'), 404, 'NOT_FOUND');
    await expectRefused(await t.http.get('/'), 404, 'NOT_FOUND');
  });

  it('a known path with the wrong method is 405 METHOD_NOT_ALLOWED', async () => {
    await expectRefused(await t.http.get(login), 405, 'METHOD_NOT_ALLOWED');
    await expectRefused(await t.http.patch('/api/v1/me'), 405, 'METHOD_NOT_ALLOWED');
  });

  it('every answer carries a request id, and a sane one from the caller is kept', async () => {
    const answer = await t.http.get('/api/v1/me').set('X-Request-Id', 'trace-12345678');
    expect(answer.headers['x-request-id']).toBe('trace-12345678');
    const generated = await t.http.get('/api/v1/me').set('X-Request-Id', 'bad id with spaces');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
