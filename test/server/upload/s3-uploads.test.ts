import { createScheduler } from '../../../server/src/modules';
import { Upload } from '../../../server/src/modules/upload/upload.entity';
import { S3Storage } from '../../../server/src/platform/storage/s3-storage';
import { at } from '../support/cohort-helpers';
import { startTestS3Server, type TestS3Server } from '../support/s3-server';
import { loginAs, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';
import { makeMp3 } from './audio-fixtures';
import { makePng } from './upload-test-app';

/**
 * The app with S3_* set keeps uploads in the bucket (a real S3-compatible server on loopback):
 * uploads land there, are streamed back with ranges, the cleanup job deletes there, and while the
 * store is down the API answers 503 STORAGE_UNAVAILABLE, keeps nothing half-done, and recovers.
 */
let s3: TestS3Server;
let t: TestApp;
let member: LoggedIn;

beforeAll(async () => {
  s3 = await startTestS3Server();
  t = await startTestApp({ env: { ...s3.env, S3_KEY_PREFIX: 'api/' }, storage: 'configured' });
  await at(t, '2026-11-03T10:00:00+08:00');
  member = await loginAs(t, 's3-member');
});
afterAll(async () => {
  await t.close();
  await s3.close();
});

const uploadPng = (png: Buffer) => t.http.post('/api/v1/uploads/images').set(member.auth).attach('file', png, 'photo.png');

it('is selected by S3_BUCKET', () => {
  expect(t.modules.storage).toBeInstanceOf(S3Storage);
});

it('stores an upload in the bucket and serves it back whole, by HEAD and by byte range', async () => {
  const png = makePng(40, 30);
  const uploaded = (await uploadPng(png).expect(201)).body as { key: string; url: string };
  expect(await s3.keys('api/')).toContain(`api/${uploaded.key}`);

  const whole = await t.http.get(uploaded.url).buffer(true).expect(200);
  expect(whole.body.equals(png)).toBe(true);
  expect(whole.headers).toMatchObject({
    'content-type': 'image/png',
    'content-length': String(png.length),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'",
    'accept-ranges': 'bytes',
  });
  const head = await t.http.head(uploaded.url).expect(200);
  expect(head.headers['content-length']).toBe(String(png.length));

  const part = await t.http.get(uploaded.url).set('Range', 'bytes=8-23').buffer(true).expect(206);
  expect(part.headers['content-range']).toBe(`bytes 8-23/${png.length}`);
  expect(part.body.equals(png.subarray(8, 24))).toBe(true);
  const tail = await t.http.get(uploaded.url).set('Range', 'bytes=-12').buffer(true).expect(206);
  expect(tail.body.equals(png.subarray(png.length - 12))).toBe(true);

  const beyond = await t.http.get(uploaded.url).set('Range', `bytes=${png.length}-`).expect(416);
  expect(beyond.headers['content-range']).toBe(`bytes */${png.length}`);
  await t.http.get(uploaded.url.replace(/[0-9a-f]{32}/, '0'.repeat(32))).expect(404);
});

it('streams a voice note in the ranges a media player asks for', async () => {
  const mp3 = makeMp3(3);
  const uploaded = (await t.http.post('/api/v1/uploads/audio').set(member.auth).attach('file', mp3, 'voice.mp3').expect(201)).body as { url: string };
  const first = await t.http.get(uploaded.url).set('Range', 'bytes=0-1').buffer(true).expect(206);
  expect(first.body.equals(mp3.subarray(0, 2))).toBe(true);
  const rest = await t.http.get(uploaded.url).set('Range', 'bytes=2-').buffer(true).expect(206);
  expect(Buffer.concat([first.body, rest.body]).equals(mp3)).toBe(true);
});

it('has the cleanup job delete unreferenced uploads from the bucket', async () => {
  await at(t, '2026-11-04T10:00:00+08:00');
  const abandoned = (await uploadPng(makePng(3, 3)).expect(201)).body as { key: string; url: string };
  await at(t, '2026-11-05T11:00:00+08:00');
  await createScheduler(t.deps, t.modules, 's3-instance').tick();
  expect(await s3.keys('api/')).not.toContain(`api/${abandoned.key}`);
  await t.http.get(abandoned.url).expect(404);
});

describe('while the store is down', () => {
  it('answers 503 STORAGE_UNAVAILABLE (never 500), keeps no record of a failed upload, and recovers by itself', async () => {
    await at(t, '2026-11-06T10:00:00+08:00');
    const kept = (await uploadPng(makePng(6, 6)).expect(201)).body as { key: string; url: string };
    const uploadsBefore = await t.db.dataSource.manager.countBy(Upload, {});
    await s3.stop();
    try {
      const upload = await uploadPng(makePng(7, 7));
      expect({ status: upload.status, code: upload.body.error?.code }).toEqual({ status: 503, code: 'STORAGE_UNAVAILABLE' });
      expect(upload.headers['retry-after']).toBe('1');
      expect(await t.db.dataSource.manager.countBy(Upload, {})).toBe(uploadsBefore);

      const read = await t.http.get(kept.url);
      expect({ status: read.status, code: read.body.error?.code }).toEqual({ status: 503, code: 'STORAGE_UNAVAILABLE' });
      const ranged = await t.http.get(kept.url).set('Range', 'bytes=0-3');
      expect(ranged.status).toBe(503);

      // The cleanup job keeps the record of a file it could not delete, to try again next hour.
      await at(t, '2026-11-07T11:00:00+08:00');
      await createScheduler(t.deps, t.modules, 'outage-instance').tick();
      expect(await t.db.dataSource.manager.countBy(Upload, { storageKey: kept.key })).toBe(1);
    } finally {
      await s3.start();
    }
    await at(t, '2026-11-07T12:30:00+08:00');
    await t.http.get(kept.url).expect(200);
    await createScheduler(t.deps, t.modules, 'after-outage').tick();
    expect(await t.db.dataSource.manager.countBy(Upload, { storageKey: kept.key })).toBe(0);
    expect(await s3.keys('api/')).not.toContain(`api/${kept.key}`);
    await uploadPng(makePng(8, 8)).expect(201);
  });
});
