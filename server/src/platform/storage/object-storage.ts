import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Where uploaded files live. Local disk today; an object store (COS, S3, OSS) can implement the
 * same three calls. Keys look like `img/2026/11/<hex>.jpg` or `audio/2026/11/<hex>.mp3`: lower-case
 * segments separated by `/`, ending in a known extension, which also fixes the content type a file
 * is served with.
 */
export interface ObjectStorage {
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<{ bytes: Buffer; contentType: string } | null>;
  /** Removes the file; a key that is not there is not an error. */
  delete(key: string): Promise<void>;
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
export class LocalDiskStorage implements ObjectStorage {
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
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    if (!contentTypeOfKey(key)) throw new Error(`LocalDiskStorage: refusing malformed key ${JSON.stringify(key)}`);
    await fs.rm(this.pathOf(key), { force: true });
  }

  /** Absolute path of a validated key; checked again to be inside the root (defence in depth). */
  private pathOf(key: string): string {
    const resolved = path.resolve(this.root, ...key.split('/'));
    if (!resolved.startsWith(this.root + path.sep)) throw new Error(`LocalDiskStorage: key ${key} escapes the root`);
    return resolved;
  }
}
