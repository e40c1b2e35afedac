import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestS3Server, type TestS3Server } from '../server/support/s3-server';
import { makePng } from '../server/upload/upload-test-app';
import { openSharedDatabase, type SharedDatabase } from './support/database';
import { call, expectOk, startServerProcess, type ServerProcess } from './support/server-process';

/**
 * Two server processes on one database and one S3-compatible server (s3rver on loopback), each
 * with a DATA_DIR of its own: a photo uploaded through one is served by the other. While the store
 * is down both answer 503 STORAGE_UNAVAILABLE (never 500) and keep serving everything else; when
 * it is back they recover without a restart.
 */
let db: SharedDatabase;
let s3: TestS3Server;
let servers: ServerProcess[];
const ownDirs: string[] = [];

beforeAll(async () => {
  db = await openSharedDatabase();
  s3 = await startTestS3Server();
  const envFor = () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkin-instance-'));
    ownDirs.push(dataDir);
    return { ...s3.env, S3_KEY_PREFIX: 'resilience/', DATA_DIR: dataDir, DATABASE_URL: db.databaseUrl, ALLOW_TEST_CLOCK: '1', JOBS_ENABLED: '0' };
  };
  servers = await Promise.all([startServerProcess(envFor()), startServerProcess(envFor())]);
});
afterAll(async () => {
  await Promise.all((servers ?? []).map((s) => s.stop()));
  await s3?.close();
  await db?.close();
  for (const dir of ownDirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function uploadPng(base: string, token: string, png: Buffer): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const form = new FormData();
  form.append('file', new Blob([png], { type: 'image/png' }), 'photo.png');
  const response = await fetch(`${base}/api/v1/uploads/images`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
  return { status: response.status, body: await response.json() };
}

const fetchBytes = async (url: string, headers: Record<string, string> = {}) => {
  const response = await fetch(url, { headers });
  return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
};

const filesIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).filter((f) => fs.statSync(path.join(dir, f.toString())).isFile()) : []);

it('serves a photo uploaded through one instance from the other, with byte ranges, from the bucket', async () => {
  const [a, b] = servers.map((s) => s.url);
  await Promise.all(servers.map((s) => expectOk(call(s.url, 'POST', '/api/v1/dev/clock', { now: '2026-03-02T10:00:00+08:00' }))));
  const token = (await expectOk(call(a, 'POST', '/api/v1/auth/wechat-login', { code: 'fake:photographer' }))).token as string;

  const png = makePng(64, 48);
  const uploaded = await uploadPng(a, token, png);
  expect(uploaded.status).toBe(201);
  expect(await s3.keys('resilience/')).toEqual([`resilience/${uploaded.body.key}`]);

  const fromB = await fetchBytes(`${b}${uploaded.body.url}`);
  expect({ status: fromB.status, type: fromB.type, same: fromB.bytes.equals(png) }).toEqual({ status: 200, type: 'image/png', same: true });
  const rangeFromB = await fetchBytes(`${b}${uploaded.body.url}`, { Range: 'bytes=0-7' });
  expect({ status: rangeFromB.status, same: rangeFromB.bytes.equals(png.subarray(0, 8)) }).toEqual({ status: 206, same: true });

  // And the other way round; neither instance wrote an upload to its own disk.
  const second = await uploadPng(b, token, makePng(8, 8));
  expect(second.status).toBe(201);
  expect((await fetchBytes(`${a}${second.body.url}`)).status).toBe(200);
  for (const dir of ownDirs) expect(filesIn(path.join(dir, 'uploads'))).toEqual([]);
});

it('answers 503 STORAGE_UNAVAILABLE on both instances while S3 is down, serves the rest, and recovers by itself', async () => {
  const [a, b] = servers.map((s) => s.url);
  const token = (await expectOk(call(b, 'POST', '/api/v1/auth/wechat-login', { code: 'fake:photographer' }))).token as string;
  const kept = await uploadPng(a, token, makePng(5, 5));
  expect(kept.status).toBe(201);

  await s3.stop();
  try {
    for (const base of [a, b]) {
      const upload = await uploadPng(base, token, makePng(6, 6));
      expect({ status: upload.status, code: upload.body.error?.code }).toEqual({ status: 503, code: 'STORAGE_UNAVAILABLE' });
      const read = await call(base, 'GET', kept.body.url);
      expect({ status: read.status, code: read.body?.error?.code }).toEqual({ status: 503, code: 'STORAGE_UNAVAILABLE' });
      // The rest of the API does not depend on the store.
      await expectOk(call(base, 'GET', '/api/v1/me', undefined, token));
      await expectOk(call(base, 'GET', '/healthz'));
    }
  } finally {
    await s3.start();
  }
  for (const base of [a, b]) {
    expect((await fetchBytes(`${base}${kept.body.url}`)).status).toBe(200);
    expect((await uploadPng(base, token, makePng(7, 7))).status).toBe(201);
  }
  for (const server of servers) expect(server.output.filter((line) => line.includes('"level":50'))).toEqual([]);
});
