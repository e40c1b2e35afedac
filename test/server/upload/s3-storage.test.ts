import { loadConfig } from '../../../server/src/config';
import { StorageUnavailableError } from '../../../server/src/platform/storage/object-storage';
import { S3Storage, type S3StorageSettings } from '../../../server/src/platform/storage/s3-storage';
import { startTestS3Server, type TestS3Server } from '../support/s3-server';
import { makePng, tinyJpeg } from './upload-test-app';

let s3: TestS3Server;
let settings: S3StorageSettings;
let storage: S3Storage;

beforeAll(async () => {
  s3 = await startTestS3Server();
  const config = loadConfig({ NODE_ENV: 'test', ...s3.env, S3_KEY_PREFIX: 'adapter/' }).storage;
  if (config.kind !== 's3') throw new Error('S3_BUCKET did not select S3 storage');
  settings = config;
  storage = new S3Storage(settings);
});
afterAll(() => s3.close());

const text = async (body: AsyncIterable<unknown>) => {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

describe('S3Storage against a real S3-compatible server', () => {
  it('puts, reads back and deletes a file under the key prefix; a missing key is null, deleting it again no error', async () => {
    const png = makePng(5, 4);
    await storage.put('img/2026/11/abc.png', png, 'image/png');
    expect(await s3.keys('adapter/')).toEqual(['adapter/img/2026/11/abc.png']);
    expect(await storage.get('img/2026/11/abc.png')).toEqual({ bytes: png, contentType: 'image/png' });
    expect(await storage.size('img/2026/11/abc.png')).toBe(png.length);

    await storage.delete('img/2026/11/abc.png');
    await storage.delete('img/2026/11/abc.png');
    expect(await s3.keys('adapter/')).toEqual([]);
    expect(await storage.get('img/2026/11/abc.png')).toBeNull();
    expect(await storage.size('img/2026/11/abc.png')).toBeNull();
    expect(await storage.open('img/2026/11/abc.png')).toBeNull();
  });

  it('streams a file whole or one byte range of it, knowing the whole size', async () => {
    await storage.put('img/2026/11/range.jpg', tinyJpeg, 'image/jpeg');
    const whole = await storage.open('img/2026/11/range.jpg');
    expect({ size: whole?.size, length: whole?.length, contentType: whole?.contentType }).toEqual({
      size: tinyJpeg.length, length: tinyJpeg.length, contentType: 'image/jpeg',
    });
    expect((await text(whole!.body)).equals(tinyJpeg)).toBe(true);

    const part = await storage.open('img/2026/11/range.jpg', { start: 10, end: 19 });
    expect({ size: part?.size, length: part?.length }).toEqual({ size: tinyJpeg.length, length: 10 });
    expect((await text(part!.body)).equals(tinyJpeg.subarray(10, 20))).toBe(true);
  });

  it('refuses malformed keys and content types that disagree with the extension, storing nothing', async () => {
    await expect(storage.put('../escape.png', makePng(), 'image/png')).rejects.toThrow(/malformed key/);
    await expect(storage.put('x/page.html', Buffer.from('<html>'), 'text/html')).rejects.toThrow(/malformed key/);
    await expect(storage.put('x/y.png', makePng(), 'image/jpeg')).rejects.toThrow(/served as image\/png/);
    await expect(storage.delete('../escape.png')).rejects.toThrow(/malformed key/);
    expect(await storage.get('../escape.png')).toBeNull();
    expect(await s3.keys('adapter/x/')).toEqual([]);
  });

  it('reports the store as unavailable while it is down (never "no such file"), and works again once it is back', async () => {
    await storage.put('img/2026/11/outage.png', makePng(), 'image/png');
    await s3.stop();
    try {
      await expect(storage.get('img/2026/11/outage.png')).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(storage.size('img/2026/11/outage.png')).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(storage.put('img/2026/11/other.png', makePng(), 'image/png')).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(storage.delete('img/2026/11/outage.png')).rejects.toBeInstanceOf(StorageUnavailableError);
    } finally {
      await s3.start();
    }
    expect((await storage.get('img/2026/11/outage.png'))?.bytes.equals(makePng())).toBe(true);
  });

  it('counts a bucket that does not exist as unavailable, not as an empty store', async () => {
    const wrongBucket = new S3Storage({ ...settings, bucket: 'no-such-bucket' });
    await expect(wrongBucket.get('img/2026/11/abc.png')).rejects.toBeInstanceOf(StorageUnavailableError);
  });
});
