import type { Test } from 'supertest';
import { rateLimitPolicies } from '../../../server/src/config';
import { loginAs, ROOT_OPERATOR_OPENID, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

/**
 * For every operation in /api/v1/openapi.json: missing and wrong authentication, malformed JSON,
 * wrong types, oversized bodies and strings, unknown ids and path parameters that are not ids.
 * Every answer must be a 4xx with an error code — never a 5xx.
 */
interface Operation {
  method: string;
  path: string;
  secured: boolean;
  /** The rate-limit policy the operation counts against (`x-rate-limit`), if any. */
  rateLimit: string | null;
  pathParams: string[];
  bodySchema: JsonSchema | null;
  multipart: boolean;
}
interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
  enum?: unknown[];
}

let t: TestApp;
let staff: LoggedIn;
let operations: Operation[];
let allOperations: Operation[];
let components: Record<string, JsonSchema>;

beforeAll(async () => {
  t = await startTestApp();
  // The caller holds every role, so requests get past the role checks to the validation behind them.
  staff = await loginAs(t, ROOT_OPERATOR_OPENID);
  await t.http.post(`/api/v1/admin/members/${staff.memberId}/roles`).set(staff.auth).send({ roles: ['operator', 'teacher'] }).expect(200);
  const doc = (await t.http.get('/api/v1/openapi.json').expect(200)).body;
  components = doc.components?.schemas ?? {};
  allOperations = Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, op]) => {
      const content = (op.requestBody as { content?: Record<string, { schema: JsonSchema }> } | undefined)?.content ?? {};
      return {
        method,
        path,
        secured: Array.isArray(op.security) && op.security.length > 0,
        rateLimit: (op['x-rate-limit'] as { policy?: string } | undefined)?.policy ?? null,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
        bodySchema: content['application/json']?.schema ?? null,
        multipart: 'multipart/form-data' in content,
      };
    }),
  );
  // DELETE /me takes no input and would end the caller's account (and the sweep with it): test/server/privacy covers it.
  operations = allOperations.filter((op) => !(op.method === 'delete' && op.path === '/api/v1/me'));
});
afterAll(() => t.close());

const resolve = (schema: JsonSchema): JsonSchema =>
  schema.$ref ? resolve(components[schema.$ref.split('/').pop()!]) : schema;

function withParams(op: Operation, value: string): string {
  return op.pathParams.reduce((path, name) => path.replace(`{${name}}`, value), op.path);
}

function send(op: Operation, path: string, auth: Record<string, string> | null) {
  const request = (t.http as unknown as Record<string, (url: string) => Test>)[op.method](path);
  return auth ? request.set(auth) : request;
}

/** A value of the wrong type for a schema. */
function wrongValue(schema: JsonSchema): unknown {
  const s = resolve(schema);
  const type = s.type ?? (s.anyOf || s.oneOf || s.enum ? 'union' : 'object');
  switch (type) {
    case 'string': return 12345;
    case 'integer':
    case 'number': return 'not-a-number';
    case 'boolean': return 'yes';
    case 'array': return { not: 'an array' };
    case 'union': return [[['deeply', 'wrong']]];
    default: return 'not-an-object';
  }
}

/** The body with every field (required ones at least) of the wrong type. */
function wrongTypes(schema: JsonSchema): Record<string, unknown> | unknown[] {
  const s = resolve(schema);
  if (!s.properties) return ['not', 'an', 'object'];
  return Object.fromEntries(Object.entries(s.properties).map(([name, prop]) => [name, wrongValue(prop)]));
}

/** The body with every string field far too long (other fields left out). */
function oversizedStrings(schema: JsonSchema): Record<string, unknown> {
  const s = resolve(schema);
  return Object.fromEntries(Object.keys(s.properties ?? {}).map((name) => [name, 'x'.repeat(60_000)]));
}

/** WeChat Pay's notification answers refusals in WeChat Pay's own format, `{code: 'FAIL', …}`. */
const answersLikeWeChatPay = (label: string) => label.includes('/api/v1/pay/notify');

/** A 4xx with an error code; a failure names the operation and what it got. */
function expect4xx(label: string, answer: { status: number; body: { error?: { code?: unknown }; code?: unknown } }) {
  const code = answersLikeWeChatPay(label) && answer.body?.code === 'FAIL' ? 'string' : typeof answer.body?.error?.code;
  const outcome = { label, status: answer.status, code };
  const is4xx = answer.status >= 400 && answer.status < 500;
  expect(outcome).toEqual({ label, status: is4xx ? answer.status : 'a 4xx status', code: 'string' });
}

describe('every operation in the OpenAPI document answers bad input with a 4xx and a code', () => {
  it('covers a meaningful API', () => {
    expect(operations.length).toBeGreaterThan(40);
  });

  it('without authentication, and with a wrong token', async () => {
    for (const op of operations.filter((o) => o.secured)) {
      const path = withParams(op, '1');
      const none = await send(op, path, null).send({});
      expect4xx(`${op.method} ${op.path} no auth`, none);
      expect(none.status).toBe(401);
      const wrong = await send(op, path, { Authorization: `Bearer ${'w'.repeat(43)}` }).send({});
      expect(wrong.status).toBe(401);
      const garbled = await send(op, path, { Authorization: 'Bearer' }).send({});
      expect(garbled.status).toBe(401);
    }
  });

  it('with path parameters that are not ids, and with unknown ids', async () => {
    for (const op of operations.filter((o) => o.pathParams.length > 0)) {
      for (const bad of ['abc', '-1', '0', '1.5', '1e3', '99999999999', '%00', "1'--"]) {
        const answer = await send(op, withParams(op, encodeURIComponent(bad)), staff.auth).send({});
        expect4xx(`${op.method} ${op.path} id=${bad}`, answer);
      }
      const unknown = await send(op, withParams(op, '987654'), staff.auth).send({});
      expect4xx(`${op.method} ${op.path} unknown id`, unknown);
    }
  });

  it('with malformed JSON, a 1 MB body, wrong types and oversized strings', async () => {
    for (const op of operations.filter((o) => ['post', 'put', 'patch', 'delete'].includes(o.method))) {
      const path = withParams(op, '1');
      const malformed = await send(op, path, staff.auth).set('Content-Type', 'application/json').send('{"text": "unclosed');
      expect4xx(`${op.method} ${op.path} malformed`, malformed);
      const huge = await send(op, path, staff.auth).send({ text: 'x'.repeat(1024 * 1024) });
      expect4xx(`${op.method} ${op.path} 1 MB`, huge);
      if (op.bodySchema) {
        expect4xx(`${op.method} ${op.path} wrong types`, await send(op, path, staff.auth).send(wrongTypes(op.bodySchema)));
        expect4xx(`${op.method} ${op.path} long strings`, await send(op, path, staff.auth).send(oversizedStrings(op.bodySchema)));
        expect4xx(`${op.method} ${op.path} array body`, await send(op, path, staff.auth).send([1, 2, 3]));
      }
      if (op.multipart) {
        expect4xx(`${op.method} ${op.path} no file`, await send(op, path, staff.auth).field('file', 'not a file'));
      }
    }
  });

  it('with methods the path does not accept (TRACE, PROPFIND, PURGE, LINK, …): 405 with Allow', async () => {
    const paths = [...new Set(operations.map((op) => op.path))];
    for (const path of paths) {
      const accepted = allOperations.filter((op) => op.path === path).map((op) => op.method.toUpperCase());
      for (const method of ['TRACE', 'PROPFIND', 'PURGE', 'LINK', 'UNLINK', 'MKCOL', 'PATCH', 'DELETE', 'PUT'].filter((m) => !accepted.includes(m))) {
        const answer = await t.http.get(withParams({ pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]), path } as Operation, '1'))
          .set(staff.auth)
          .use((req) => Object.assign(req, { method }));
        expect4xx(`${method} ${path}`, answer);
        expect({ label: `${method} ${path}`, status: answer.status, allow: answer.headers.allow?.split(', ').sort() })
          .toEqual({ label: `${method} ${path}`, status: 405, allow: expect.arrayContaining(accepted.filter((m) => m !== 'HEAD')) });
      }
    }
  });

  it('with unknown query parameters and wrong query types on GET operations', async () => {
    for (const op of operations.filter((o) => o.method === 'get' && o.secured)) {
      const path = withParams(op, '1');
      const answer = await send(op, `${path}?limit=-5&before=abc&cohortId=x&day=999999&after=--`, staff.auth);
      expect(answer.status).toBeLessThan(500);
      if (answer.status >= 400) expect(typeof answer.body.error.code).toBe('string');
    }
  });
});

describe('every rate-limited operation answers 429 RATE_LIMITED with Retry-After once its limit is used up', () => {
  let limited: TestApp;
  let caller: LoggedIn;
  beforeAll(async () => {
    const tight = Object.fromEntries(Object.values(rateLimitPolicies).map((policy) => [policy.env, '2/1m']));
    limited = await startTestApp({ env: tight });
    caller = await loginAs(limited, ROOT_OPERATOR_OPENID);
    await limited.http.post(`/api/v1/admin/members/${caller.memberId}/roles`).set(caller.auth).send({ roles: ['operator', 'teacher'] }).expect(200);
  });
  afterAll(() => limited.close());

  it('covers every policy: logins, the console\'s login, anonymous routes, member content writes, staff writes, poster codes, opens of shares, likes and data exports', () => {
    const policies = new Set(operations.map((op) => op.rateLimit).filter(Boolean));
    expect([...policies].sort()).toEqual(Object.keys(rateLimitPolicies).sort());
    expect([...policies].sort()).toEqual(['anonymous', 'consoleLogin', 'contentWrite', 'dataExport', 'like', 'login', 'posterCode', 'referral', 'staffWrite']);
  });

  it('for each of them', async () => {
    for (const op of operations.filter((o) => o.rateLimit)) {
      const label = `${op.method} ${op.path} (${op.rateLimit})`;
      let answer: Awaited<ReturnType<typeof send>> | null = null;
      for (let attempt = 0; attempt < 4; attempt++) {
        const request = (limited.http as unknown as Record<string, (url: string) => Test>)[op.method](withParams(op, '1'));
        answer = await (op.secured ? request.set(caller.auth) : request).send(op.path.endsWith('/wechat-login') ? { code: 'fake:sweeper' } : {});
        if (answer.status === 429) break;
      }
      const retryAfter = Number(answer!.headers['retry-after']);
      expect({ label, status: answer!.status, code: answer!.body.error?.code, retryAfter: retryAfter >= 1 && retryAfter <= 60 })
        .toEqual({ label, status: 429, code: 'RATE_LIMITED', retryAfter: true });
    }
  });
});
