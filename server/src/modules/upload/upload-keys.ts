import { randomBytes } from 'node:crypto';
import { audioExtensionOf, type AudioContentType } from './audio-type';
import { extensionOf, type ImageContentType } from './image-type';

/** Uploaded files are served below this path (outside /api/v1, like a CDN would serve them). */
export const UPLOADS_PATH_PREFIX = '/uploads/';

const imageKeyPattern = /^img\/\d{4}\/\d{2}\/[0-9a-f]{32}\.(?:jpg|png|webp)$/;
const audioKeyPattern = /^audio\/\d{4}\/\d{2}\/[0-9a-f]{32}\.(?:mp3|m4a|aac)$/;

/** `<folder>/<yyyy>/<mm>/<32 hex>.<ext>`, month in UTC. */
function newKey(folder: string, now: Date, extension: string, random: Buffer): string {
  const year = String(now.getUTCFullYear()).padStart(4, '0');
  const month = String(now.getUTCMonth() + 1).padStart(2, '0');
  return `${folder}/${year}/${month}/${random.toString('hex')}.${extension}`;
}

/** A fresh, unguessable key (128 random bits): `img/<yyyy>/<mm>/<32 hex>.<ext>`, month in UTC. */
export function newImageKey(now: Date, contentType: ImageContentType, random: Buffer = randomBytes(16)): string {
  return newKey('img', now, extensionOf[contentType], random);
}

/** A fresh, unguessable key for a voice note: `audio/<yyyy>/<mm>/<32 hex>.mp3|m4a|aac`, month in UTC. */
export function newAudioKey(now: Date, contentType: AudioContentType, random: Buffer = randomBytes(16)): string {
  return newKey('audio', now, audioExtensionOf[contentType], random);
}

export const uploadUrlFor = (key: string): string => `${UPLOADS_PATH_PREFIX}${key}`;

/** The kinds of upload and the key each one's URLs carry (a new kind: one line here). */
export const uploadKeyPatterns = {
  image: imageKeyPattern,
  audio: audioKeyPattern,
} as const;
export type UploadKind = keyof typeof uploadKeyPatterns;

/** The key of an upload of `kind` from the URL its upload answered, or null for any other URL. */
export function keyFromUrlOfKind(url: unknown, kind: UploadKind): string | null {
  if (typeof url !== 'string' || !url.startsWith(UPLOADS_PATH_PREFIX)) return null;
  const key = url.slice(UPLOADS_PATH_PREFIX.length);
  return uploadKeyPatterns[kind].test(key) ? key : null;
}

/**
 * The key of an image uploaded through POST /uploads/images, from the URL that answer gave
 * (`/uploads/img/…`), or null for any other URL (other hosts, other paths, query strings, …).
 * Check-ins use it to accept only images uploaded here.
 */
export function keyFromUploadUrl(url: unknown): string | null {
  return keyFromUrlOfKind(url, 'image');
}

export const isOwnUploadUrl = (url: unknown): boolean => keyFromUploadUrl(url) !== null;

/**
 * The key of a voice note uploaded through POST /uploads/audio, from the URL that answer gave
 * (`/uploads/audio/…`), or null for any other URL (images included). Reviews use it to accept
 * only voice notes uploaded here.
 */
export function keyFromAudioUploadUrl(url: unknown): string | null {
  return keyFromUrlOfKind(url, 'audio');
}
