/**
 * `npm run api:types`: writes the API's client types (server/client-types/api.d.ts) from the OpenAPI
 * document that createApp serves at GET /api/v1/openapi.json, with openapi-typescript. The console
 * (with openapi-fetch) and the Mini Program import them as types. `-- --check` only compares, and
 * exits 1 when the file is stale (the server suite runs the same comparison, so CI fails too).
 */
import 'reflect-metadata';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { createApp } from '../server/src/app';
import { loadConfig } from '../server/src/config';
import { SettableClock } from '../server/src/platform/clock/clock';
import { openDatabase } from '../server/src/platform/db/data-source';
import { entities } from '../server/src/entities';
import { createLogger } from '../server/src/platform/logger';
import { createWeChatAdapter } from '../server/src/platform/wechat/wechat-adapter';

export const API_TYPES_FILE = path.resolve(__dirname, '../server/client-types/api.d.ts');

const HEADER = `/**
 * The HTTP API's types, generated from GET /api/v1/openapi.json by \`npm run api:types\`
 * (openapi-typescript). Do not edit: change the zod schemas of the routes and regenerate.
 * Imported as types by the console (openapi-fetch) and the Mini Program.
 */
`;

/** The OpenAPI document exactly as a server in fake WeChat mode with the test clock serves it. */
async function servedDocument(): Promise<unknown> {
  const config = loadConfig({ NODE_ENV: 'development', WECHAT_MODE: 'fake', ALLOW_TEST_CLOCK: '1', LOG_LEVEL: 'silent', JOBS_ENABLED: '0' });
  const dataSource = await openDatabase({ kind: 'sqlite', file: ':memory:' }, entities);
  const clock = new SettableClock();
  const logger = createLogger('silent');
  const app = createApp({ config, dataSource, logger, clock, wechat: createWeChatAdapter(config.wechat, config.pay, clock, logger) });
  const server = app.listen(0, '127.0.0.1');
  try {
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/openapi.json`);
    if (!response.ok) throw new Error(`GET /api/v1/openapi.json answered ${response.status}`);
    return await response.json();
  } finally {
    server.close();
    await dataSource.destroy();
  }
}

/** Shortcuts both clients use, so neither writes its own copy of a shape. */
const HELPERS = `
/** A named schema of the document, e.g. \`Schema<'Cohort'>\`. */
export type Schema<N extends keyof components['schemas']> = components['schemas'][N];
type SuccessJson<O> = O extends { responses: infer R }
    ? R extends { 200: { content: { 'application/json': infer T } } }
        ? T
        : R extends { 201: { content: { 'application/json': infer T } } }
            ? T
            : never
    : never;
/** The JSON a path answers a method with, e.g. \`JsonAnswer<'/api/v1/me/points', 'get'>\`. */
export type JsonAnswer<P extends keyof paths, M extends keyof paths[P]> = SuccessJson<paths[P][M]>;
/** The JSON body a path takes for a method. */
export type JsonBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
`;

/**
 * zod-to-openapi writes "…, or null" (a union with z.null(), as nullableRef does) as
 * `anyOf: [..., {nullable: true}]`, which openapi-typescript reads as `… | unknown`; the same meaning
 * with `nullable: true` beside the alternatives comes out as `… | null`.
 */
function nullableUnions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableUnions);
  if (!node || typeof node !== 'object') return node;
  const object = Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([key, value]) => [key, nullableUnions(value)]));
  const anyOf = object.anyOf as Array<Record<string, unknown>> | undefined;
  const isNullOnly = (schema: Record<string, unknown>) => Object.keys(schema).length === 1 && schema.nullable === true;
  if (!anyOf?.some(isNullOnly)) return object;
  const { anyOf: _anyOf, ...others } = object;
  const rest = anyOf.filter((schema) => !isNullOnly(schema));
  return { ...others, ...(rest.length === 1 ? { oneOf: rest } : { anyOf: rest }), nullable: true };
}

export async function generateApiTypes(): Promise<string> {
  const document = nullableUnions(await servedDocument());
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], { alphabetize: false, exportType: false });
  return HEADER + astToString(ast) + HELPERS;
}

async function main() {
  const check = process.argv.includes('--check');
  const generated = await generateApiTypes();
  const current = fs.existsSync(API_TYPES_FILE) ? fs.readFileSync(API_TYPES_FILE, 'utf8') : '';
  if (check) {
    if (current !== generated) {
      console.error(`${path.relative(process.cwd(), API_TYPES_FILE)} is stale: run npm run api:types and commit it.`);
      process.exit(1);
    }
    console.log(`${path.relative(process.cwd(), API_TYPES_FILE)} is up to date.`);
    return;
  }
  fs.mkdirSync(path.dirname(API_TYPES_FILE), { recursive: true });
  fs.writeFileSync(API_TYPES_FILE, generated);
  console.log(`wrote ${path.relative(process.cwd(), API_TYPES_FILE)} (${generated.length} characters)`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
