import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalDiskStorage } from '../../../server/src/platform/storage/object-storage';
import { filesUnder, makePng } from './upload-test-app';

let dataDir: string;
let root: string;
let storage: LocalDiskStorage;

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'checkin-storage-'));
  root = path.join(dataDir, 'uploads');
  storage = new LocalDiskStorage(root);
});
afterEach(() => fs.rm(dataDir, { recursive: true, force: true }));

describe('LocalDiskStorage', () => {
  it('puts and gets bytes, creating directories, leaving no temporary file', async () => {
    const png = makePng();
    await storage.put('img/2026/11/abc.png', png, 'image/png');
    expect(await storage.get('img/2026/11/abc.png')).toEqual({ bytes: png, contentType: 'image/png' });
    expect(await filesUnder(root)).toEqual(['img/2026/11/abc.png']);
  });

  it('replaces a key atomically (rename), never exposing half a file', async () => {
    await storage.put('a/b.jpg', Buffer.from([0xff, 0xd8, 0xff, 1]), 'image/jpeg');
    await storage.put('a/b.jpg', Buffer.from([0xff, 0xd8, 0xff, 2]), 'image/jpeg');
    expect((await storage.get('a/b.jpg'))?.bytes).toEqual(Buffer.from([0xff, 0xd8, 0xff, 2]));
    expect(await filesUnder(root)).toEqual(['a/b.jpg']);
  });

  it('derives the content type from the extension and refuses a disagreeing one', async () => {
    await expect(storage.put('x/y.png', makePng(), 'image/jpeg')).rejects.toThrow(/served as image\/png/);
    await expect(storage.put('x/y.html', Buffer.from('<html>'), 'text/html')).rejects.toThrow(/malformed key/);
    expect(await filesUnder(root)).toEqual([]);
  });

  it('answers null for a missing key, a directory, or a malformed key', async () => {
    await storage.put('img/2026/11/abc.png', makePng(), 'image/png');
    expect(await storage.get('img/2026/11/nothing.png')).toBeNull();
    expect(await storage.get('img/2026/11/abc.png/x.png')).toBeNull();
    expect(await storage.get('img.png')).toBeNull();
  });

  it.each([
    '../escape.png',
    '../../etc/x.png',
    'img/../../escape.png',
    '/abs/olute.png',
    'img//double.png',
    'img\\back.png',
    './dot.png',
    '.hidden.png',
    'img/.png',
    'UPPER.png',
    'img/x.png.tmp',
    'img/x.exe',
    'no-extension',
    '',
    `${'a/'.repeat(100)}x.png`,
  ])('refuses the key %j for put and get', async (key) => {
    await fs.mkdir(root, { recursive: true });
    await fs.writeFile(path.join(dataDir, 'escape.png'), makePng());
    await expect(storage.put(key, makePng(), 'image/png')).rejects.toThrow(/malformed key/);
    expect(await storage.get(key)).toBeNull();
    expect(await filesUnder(root)).toEqual([]);
  });
});
