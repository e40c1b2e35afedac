import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where uploaded files live: one instance's disk (LocalDiskStorage, below) or an S3-compatible
 * bucket shared by every instance (S3Storage, s3-storage.ts); see openObjectStorage. Keys look like `img/2026/11/<hex>.jpg` or `audio/2026/11/<hex>.mp3`: lower-case
 * segments separated by `/`, ending in a known extension, which also fixes the content type a file
 * is served with.
 */
export interface ObjectStorage {
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<{ bytes: Buffer; contentType: string } | null>;
  /** Removes the file; a key that is not there is not an error. */
  delete(key: string): Promise<void>;
}

/** Bytes `start` to `end` of a file, both inclusive (as in `Range: bytes=start-end`). */
export interface ByteRange {
  start: number;
  end: number;
}

/** A file being read: its bytes as a stream (all of them, or the range asked for). */
export interface OpenedObject {
  body: Readable;
  contentType: string;
  /** The whole file's size. */
  size: number;
  /** How many bytes `body` carries. */
  length: number;
}

/**
 * A storage that can hand out a file (or one range of it) as a stream, so serving a file never
 * holds it in memory. Both stores of the server implement it; a storage with only the three calls
 * above is served from `get`.
 */
export interface StreamingObjectStorage extends ObjectStorage {
  /** The file's size in bytes, or null when there is no such file. */
  size(key: string): Promise<number | null>;
  /** The file, or the given range of it (which must lie inside it); null when there is no such file. */
  open(key: string, range?: ByteRange): Promise<OpenedObject | null>;
}

export function canStream(storage: ObjectStorage): storage is StreamingObjectStorage {
  const candidate = storage as Partial<StreamingObjectStorage>;
  return typeof candidate.open === 'function' && typeof candidate.size === 'function';
}

/**
 * The store did not answer (network, timeout, its own 5xx, refused credentials). The API answers
 * 503 STORAGE_UNAVAILABLE; nothing about the request is kept, and the next request tries again.
 */
export class StorageUnavailableError extends Error {
  constructor(store: string, cause: unknown) {
    super(`${store} storage unavailable: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`, { cause });
    this.name = 'StorageUnavailableError';
  }
}

/** Extensions a key may end with and the one content type each is stored and served as. */
export const contentTypeByExtension: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  // Voice notes (POST /uploads/audio): MP3, AAC in MP4, raw ADTS AAC.
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
};

const MAX_KEY_LENGTH = 200;
/** Segments of [a-z0-9_-] (never `.` or `..`), a final segment with one extension. */
const keyPattern = /^(?:[a-z0-9][a-z0-9_-]*\/)*[a-z0-9][a-z0-9_-]*\.([a-z0-9]{1,8})$/;

/** The content type a well-formed key is served with, or null when the key is not acceptable. */
export function contentTypeOfKey(key: string): string | null {
  if (typeof key !== 'string' || key.length > MAX_KEY_LENGTH) return null;
  const match = keyPattern.exec(key);
  if (!match) return null;
  return Object.prototype.hasOwnProperty.call(contentTypeByExtension, match[1]) ? contentTypeByExtension[match[1]] : null;
}

export const isValidStorageKey = (key: string): boolean => contentTypeOfKey(key) !== null;

/**
 * Files under one directory (the caller passes `DATA_DIR/uploads`). Keys are validated (no path
 * traversal, no absolute paths, only known extensions); a put writes a temporary file next to
 * the target and renames it, so a reader never sees half a file. The content type is derived from
 * the key's extension, and put refuses a content type that disagrees with it.
 */
export class LocalDiskStorage implements StreamingObjectStorage {
  private readonly root: string;

  constructor(rootDir: string) {
    this.root = path.resolve(rootDir);
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    const expected = contentTypeOfKey(key);
    if (!expected) throw new Error(`LocalDiskStorage: refusing malformed key ${JSON.stringify(key)}`);
    if (expected !== contentType) {
      throw new Error(`LocalDiskStorage: key ${key} is served as ${expected}, not ${contentType}`);
    }
    const target = this.pathOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    // The temporary name ends in `.tmp`, which no valid key does, so it can never be served.
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const handle = await fs.open(temporary, 'wx', 0o644);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temporary, target);
    } catch (error) {
      await fs.rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<{ bytes: Buffer; contentType: string } | null> {
    const contentType = contentTypeOfKey(key);
    if (!contentType) return null;
    try {
      const bytes = await fs.readFile(this.pathOf(key));
      return { bytes, contentType };
    } catch (error) {
      if (isMissingFile(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    if (!contentTypeOfKey(key)) throw new Error(`LocalDiskStorage: refusing malformed key ${JSON.stringify(key)}`);
    await fs.rm(this.pathOf(key), { force: true });
  }

  async size(key: string): Promise<number | null> {
    if (!contentTypeOfKey(key)) return null;
    try {
      const stat = await fs.stat(this.pathOf(key));
      return stat.isFile() ? stat.size : null;
    } catch (error) {
      if (isMissingFile(error)) return null;
      throw error;
    }
  }

  async open(key: string, range?: ByteRange): Promise<OpenedObject | null> {
    const contentType = contentTypeOfKey(key);
    if (!contentType) return null;
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.pathOf(key), 'r');
    } catch (error) {
      if (isMissingFile(error)) return null;
      throw error;
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) {
        await handle.close();
        return null;
      }
      // The stream owns the handle from here and closes it when done or destroyed.
      const body = handle.createReadStream({ autoClose: true, start: range?.start, end: range?.end });
      return { body, contentType, size: stat.size, length: range ? range.end - range.start + 1 : stat.size };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Absolute path of a validated key; checked again to be inside the root (defence in depth). */
  private pathOf(key: string): string {
    const resolved = path.resolve(this.root, ...key.split('/'));
    if (!resolved.startsWith(this.root + path.sep)) throw new Error(`LocalDiskStorage: key ${key} escapes the root`);
    return resolved;
  }
}

function isMissingFile(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR';
}
