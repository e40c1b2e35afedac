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
  const dataSource = await openDatabase({ kind: 'sqlite', file: ':memory:' });
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

export async function generateApiTypes(): Promise<string> {
  const document = await servedDocument();
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], { alphabetize: false, exportType: false });
  return HEADER + astToString(ast);
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
