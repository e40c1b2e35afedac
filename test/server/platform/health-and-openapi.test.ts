import { execFileSync } from 'node:child_process';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('GET /healthz', () => {
  it('answers 200 when the database answers', async () => {
    const answer = await t.http.get('/healthz').expect(200);
    expect(answer.body).toEqual({ status: 'ok', database: t.db.dataSource.options.type });
  });

  it('answers 503 DATABASE_UNAVAILABLE when the database does not', async () => {
    const original = t.db.dataSource.query.bind(t.db.dataSource);
    const spy = jest.spyOn(t.db.dataSource, 'query').mockRejectedValueOnce(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' }));
    try {
      const answer = await t.http.get('/healthz').expect(503);
      expect(answer.body.error.code).toBe('DATABASE_UNAVAILABLE');
    } finally {
      spy.mockRestore();
    }
    expect(await original('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});

describe('GET /api/v1/openapi.json', () => {
  it('is a valid OpenAPI 3 document', async () => {
    const answer = await t.http.get('/api/v1/openapi.json').expect(200);
    expect(validateOpenApi(answer.body)).toEqual({ valid: true });
    expect(answer.body.openapi).toMatch(/^3\./);
  });

  it('documents every route the server answers, with its methods', async () => {
    const answer = await t.http.get('/api/v1/openapi.json').expect(200);
    const documented = new Set(
      Object.entries(answer.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    const served = routesOf(t);
    expect(served.length).toBeGreaterThan(4);
    for (const route of served) expect(documented).toContain(route);
    expect(documented).toContain('POST /api/v1/auth/wechat-login');
    expect(documented).toContain('GET /healthz');
  });

  it('describes login with its body schema and error codes', async () => {
    const answer = await t.http.get('/api/v1/openapi.json').expect(200);
    const loginOperation = answer.body.paths['/api/v1/auth/wechat-login'].post;
    expect(loginOperation.requestBody.content['application/json'].schema.required).toEqual(['code']);
    expect(Object.keys(loginOperation.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '429', '503']));
  });
});

/** METHOD /path pairs of every layer the API router serves, in OpenAPI path syntax. */
function routesOf(app: TestApp): string[] {
  const layers: Array<{ path: string; methods: string[] }> = [];
  for (const middleware of app.app.middleware as Array<{ router?: { stack: Array<{ path: string; methods: string[] }> } }>) {
    if (middleware.router) layers.push(...middleware.router.stack);
  }
  return layers.flatMap((layer) =>
    layer.methods
      .filter((method) => method !== 'HEAD')
      .map((method) => `${method} ${layer.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`),
  );
}

/**
 * Validates against the official OpenAPI JSON schemas with @seriousme/openapi-schema-validator,
 * which is ESM-only (it reads its schemas through import.meta), so it runs in a child node process.
 */
function validateOpenApi(document: unknown): { valid: boolean; errors?: unknown } {
  const program = `
    import { Validator } from '@seriousme/openapi-schema-validator';
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    const result = await new Validator().validate(JSON.parse(input));
    process.stdout.write(JSON.stringify(result.valid ? { valid: true } : { valid: false, errors: result.errors }));
  `;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', program], {
    input: JSON.stringify(document),
    cwd: process.cwd(),
  });
  return JSON.parse(output.toString());
}
