import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

describe('the generated API types (server/client-types/api.d.ts)', () => {
  it('match the OpenAPI document the server serves today (else: npm run api:types)', () => {
    // Its own process: openapi-typescript loads an ES module that Jest's module system cannot.
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', 'scripts/api-types.ts', '--check'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect({ status: run.status, said: `${run.stdout}${run.stderr}`.trim() }).toEqual({ status: 0, said: 'server/client-types/api.d.ts is up to date.' });
  });
});
