import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-dist-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="app"></div><script type="module" src="/console/assets/index-AbC123.js"></script>');
  fs.writeFileSync(path.join(dir, 'assets', 'index-AbC123.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.writeFileSync(path.join(os.tmpdir(), 'outside-console.txt'), 'secret');
  t = await startTestApp({ env: { CONSOLE_DIR: dir } });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the console at /console/', () => {
  it('serves index.html revalidated on every load, under a strict Content-Security-Policy', async () => {
    const page = await t.http.get('/console/').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).toContain("style-src 'self';");
    expect(page.headers['content-security-policy']).not.toContain('unsafe');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.text).toContain('id="app"');
  });

  it('caches hashed assets for a year as immutable', async () => {
    const asset = await t.http.get('/console/assets/index-AbC123.js').expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    const missing = await t.http.get('/console/assets/gone-123.js').expect(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it('answers the router\'s history URLs with index.html, and serves other files as they are', async () => {
    const deep = await t.http.get('/console/cohorts/12/members?segment=paid').expect(200);
    expect(deep.text).toContain('id="app"');
    expect(deep.headers['cache-control']).toBe('no-cache');
    const icon = await t.http.get('/console/favicon.svg').expect(200);
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    await t.http.get('/console').expect(301).expect('Location', '/console/');
  });

  it('never serves a file outside its folder, and takes only GET and HEAD', async () => {
    for (const sneaky of ['/console/..%2Foutside-console.txt', '/console/%2e%2e/outside-console.txt', '/console/assets/..%2F..%2Foutside-console.txt']) {
      const answer = await t.http.get(sneaky);
      expect(answer.text).not.toContain('secret');
    }
    for (const method of ['POST', 'DELETE', 'TRACE', 'PROPFIND']) {
      const answer = await t.http.get('/console/cohorts').use((req) => Object.assign(req, { method })).expect(405);
      expect({ allow: answer.headers.allow, code: answer.body.error.code, nosniff: answer.headers['x-content-type-options'] })
        .toEqual({ allow: 'GET, HEAD', code: 'METHOD_NOT_ALLOWED', nosniff: 'nosniff' });
    }
  });

  it('says how to build it when it is missing', async () => {
    const bare = await startTestApp({ env: { CONSOLE_DIR: path.join(dir, 'nowhere') } });
    try {
      const answer = await bare.http.get('/console/').expect(503);
      expect(answer.body.error).toMatchObject({ code: 'CONSOLE_NOT_BUILT', message: expect.stringContaining('npm run build:console') });
    } finally {
      await bare.close();
    }
  });
});
