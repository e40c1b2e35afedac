import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import type Koa from 'koa';
import type request from 'supertest';
import type { SettableClock } from '../../../server/src/platform/clock/clock';
import { LocalDiskStorage } from '../../../server/src/platform/storage/object-storage';
import { startTestApp } from '../support/test-app';
import type { TestDatabase } from '../support/test-database';

export interface UploadTestApp {
  app: Koa;
  http: ReturnType<typeof request>;
  db: TestDatabase;
  clock: SettableClock;
  /** DATA_DIR of this app (a fresh temporary directory); uploads live in `${dataDir}/uploads`. */
  dataDir: string;
  uploadsDir: string;
  openApiDocument: { paths: Record<string, unknown> };
  close(): Promise<void>;
}

/** The real app with uploads on disk under a temporary DATA_DIR, and the upload limits given. */
export async function startUploadTestApp(options: {
  maxImageBytes: number;
  maxAudioBytes?: number;
  maxAudioSeconds?: number;
  operatorOpenids?: string[];
}): Promise<UploadTestApp> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'checkin-uploads-'));
  const uploadsDir = path.join(dataDir, 'uploads');
  const t = await startTestApp({
    env: {
      DATA_DIR: dataDir,
      UPLOAD_MAX_IMAGE_BYTES: String(options.maxImageBytes),
      ...(options.maxAudioBytes ? { UPLOAD_MAX_AUDIO_BYTES: String(options.maxAudioBytes) } : {}),
      ...(options.maxAudioSeconds ? { UPLOAD_MAX_AUDIO_SECONDS: String(options.maxAudioSeconds) } : {}),
      OPERATOR_OPENIDS: (options.operatorOpenids ?? []).join(','),
    },
    storage: new LocalDiskStorage(uploadsDir),
  });
  t.clock.set(new Date('2026-11-03T10:00:00+08:00'));
  const openApiDocument = (await t.http.get('/api/v1/openapi.json').expect(200)).body;
  return {
    app: t.app,
    http: t.http,
    db: t.db,
    clock: t.clock,
    dataDir,
    uploadsDir,
    openApiDocument,
    close: async () => {
      await t.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function loginAs(t: UploadTestApp, openid: string): Promise<{ Authorization: string }> {
  const answer = await t.http.post('/api/v1/auth/wechat-login').send({ code: `fake:${openid}` }).expect(200);
  return { Authorization: `Bearer ${answer.body.token as string}` };
}

/** Logs in `openid` and has `operator` (logged in, listed in operatorOpenids) grant it `roles`. */
export async function loginWithRoles(
  t: UploadTestApp,
  operator: { Authorization: string },
  openid: string,
  roles: ('teacher' | 'operator')[],
): Promise<{ Authorization: string }> {
  const answer = await t.http.post('/api/v1/auth/wechat-login').send({ code: `fake:${openid}` }).expect(200);
  await t.http.post(`/api/v1/admin/members/${answer.body.member.id as number}/roles`).set(operator).send({ roles }).expect(200);
  return { Authorization: `Bearer ${answer.body.token as string}` };
}

/** Every file below `dir` (relative paths), or [] when it does not exist. */
export async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** A valid RGB PNG of the given size in one colour, built from scratch (signature, IHDR, IDAT, IEND). */
export function makePng(width = 2, height = 2, rgb: [number, number, number] = [0x33, 0x66, 0xcc]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(pixels)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 2×2 baseline JFIF JPEG (331 bytes, from IPython's test data). */
export const tinyJpeg = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAACAAIBAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/9oACAEBAAA/ACv/2Q==',
  'base64',
);

/** A 1×1 lossless WebP (34 bytes: RIFF/WEBP with one VP8L chunk). */
export const tinyWebp = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');
