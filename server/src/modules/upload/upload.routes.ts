import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import multer from '@koa/multer';
import type { Context, Middleware } from 'koa';
import { MulterError } from 'multer';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/clock';
import { ConcurrencyLimit } from '../../platform/concurrency/concurrency-limit';
import type { ApiRouter, Principal } from '../../platform/http/api-router';
import { AppError, notFound, validationFailed } from '../../platform/http/errors';
import type { LimitSubject } from '../../platform/rate-limit/rate-limits';
import { canStream, type ObjectStorage, type StreamingObjectStorage } from '../../platform/storage/object-storage';
import { measureAudio } from './audio-duration';
import { parseByteRange } from './byte-range';
import { audioContentTypes, sniffAudioType } from './audio-type';
import { imageContentTypes, sniffImageType } from './image-type';
import { newAudioKey, newImageKey, UPLOADS_PATH_PREFIX, uploadUrlFor, type UploadKind } from './upload-keys';
import type { UploadService } from './upload.service';

export interface UploadDeps {
  uploads: UploadService;
  /** The `uploadsInFlight` limit: a slot per upload in progress, per member. */
  limits: { hold(name: 'uploadsInFlight', subject: LimitSubject, message?: string): Promise<() => Promise<void>> };
  maxInFlightPerMember: number;
  /** Files read into memory at once by this process (the rest wait on disk). */
  maxBuffered: number;
  maxImageBytes: number;
  clock: Clock;
  /** Largest voice note accepted by POST /uploads/audio (default 2 MB). */
  maxAudioBytes?: number;
  /** Longest voice note accepted, in seconds (default 60, WeChat's recorder maximum is 600). */
  maxAudioSeconds?: number;
  /**
   * The longest recording a cohort takes (its `maxAudioSeconds`, up to 180 s), for a caller who
   * names it in the form field `cohortId` and is its member or staff (403/404 otherwise).
   */
  audioLimitOfCohort?: (principal: Principal, cohortId: number) => Promise<number>;
}

/** The optional multipart field naming the cohort a member records for (its limit applies). */
export const COHORT_FIELD = 'cohortId';

export const DEFAULT_MAX_AUDIO_BYTES = 2 * 1024 * 1024;
export const DEFAULT_MAX_AUDIO_SECONDS = 60;

/** The multipart field the image travels in: `wx.uploadFile({name: 'file', …})`. */
export const UPLOAD_FIELD = 'file';

const uploadedImageSchema = z
  .object({
    key: z.string().openapi({ example: 'img/2026/11/9f86d081884c7d659a2feaa0c55ad015.jpg' }),
    url: z.string().openapi({ example: '/uploads/img/2026/11/9f86d081884c7d659a2feaa0c55ad015.jpg' }),
    contentType: z.enum(imageContentTypes),
    bytes: z.number().int(),
  })
  .openapi('UploadedImage');

const uploadedAudioSchema = z
  .object({
    key: z.string().openapi({ example: 'audio/2026/11/9f86d081884c7d659a2feaa0c55ad015.mp3' }),
    url: z.string().openapi({ example: '/uploads/audio/2026/11/9f86d081884c7d659a2feaa0c55ad015.mp3' }),
    contentType: z.enum(audioContentTypes),
    bytes: z.number().int(),
    durationSeconds: z.number().int().min(1).openapi({ description: 'Measured from the file, rounded to whole seconds (at least 1)' }),
  })
  .openapi('UploadedAudio');


export const fileTooLarge = (maxBytes: number, kind: UploadKind = 'image') =>
  new AppError(
    413,
    'FILE_TOO_LARGE',
    kind === 'image'
      ? `The image is larger than ${formatBytes(maxBytes)}; send a smaller or compressed photo.`
      : `The voice note is larger than ${formatBytes(maxBytes)}; record a shorter one or at a lower bitrate.`,
    { maxBytes },
  );

export const unsupportedImageType = () =>
  new AppError(415, 'UNSUPPORTED_IMAGE_TYPE', 'Only JPEG, PNG and WebP images can be uploaded (judged by the file content, not its name).');

export const unsupportedAudioType = () =>
  new AppError(
    415,
    'UNSUPPORTED_AUDIO_TYPE',
    'Only MP3 and AAC (M4A or ADTS) voice notes that can be read to the end can be uploaded (judged by the file content, not its name).',
  );

export const audioTooLong = (seconds: number, maxSeconds: number) =>
  new AppError(400, 'AUDIO_TOO_LONG', `The voice note lasts ${seconds} s; at most ${maxSeconds} s are allowed.`, { seconds, maxSeconds });

const missingFile = (kind: UploadKind = 'image') =>
  validationFailed(`Send the ${kind === 'image' ? 'image' : 'voice note'} as multipart/form-data with the file in the field "${UPLOAD_FIELD}" (wx.uploadFile name: '${UPLOAD_FIELD}').`, [
    { path: `body.${UPLOAD_FIELD}`, message: 'is required' },
  ]);

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MB` : `${bytes} bytes`;
}

/** By name too, in case a second copy of multer is ever installed under @koa/multer. */
const isMulterError = (error: unknown): error is MulterError =>
  error instanceof MulterError || (error instanceof Error && error.name === 'MulterError' && typeof (error as MulterError).code === 'string');

/** Multer and busboy failures are the client's: map them to stable codes (never a 500). */
function fromMultipartError(error: unknown, maxBytes: number, kind: UploadKind = 'image'): AppError {
  if (error instanceof AppError) return error;
  const what = kind === 'image' ? 'image' : 'voice note';
  if (isMulterError(error)) {
    switch (error.code) {
      case 'LIMIT_FILE_SIZE':
        return fileTooLarge(maxBytes, kind);
      case 'LIMIT_FILE_COUNT':
        return validationFailed(`Send exactly one ${what} per request.`, [{ path: `body.${UPLOAD_FIELD}`, message: 'more than one file' }]);
      case 'LIMIT_UNEXPECTED_FILE':
        return validationFailed(`The ${what} must be in the field "${UPLOAD_FIELD}", and only one file may be sent (got a file in "${error.field ?? '?'}").`, [
          { path: `body.${error.field ?? ''}`, message: 'unexpected file' },
        ]);
      default:
        return validationFailed(`The multipart form was refused: ${error.message}.`, [{ path: 'body', message: error.code }]);
    }
  }
  return validationFailed('The multipart/form-data body could not be read.', [{ path: 'body', message: 'malformed multipart body' }]);
}

/** Where uploads in progress are written before they are checked (the request streams to disk). */
const UPLOAD_PARTS_DIR = path.join(os.tmpdir(), 'checkin-upload-parts');

/**
 * One file in the multipart field `file`, streamed to a temporary file (returned as its path):
 * uploads in progress hold no file in memory. The limits allow at most one file of maxBytes and a
 * few tiny text fields (wx.uploadFile may send formData); multer removes the part file when it
 * refuses the request.
 */
function oneFileParser(maxBytes: number, kind: UploadKind): (ctx: Context) => Promise<string> {
  const parse = multer({
    dest: UPLOAD_PARTS_DIR,
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1024, fieldNameSize: 100, parts: 12, headerPairs: 100 },
  }).single(UPLOAD_FIELD);
  return async (ctx) => {
    try {
      await parse(ctx, async () => undefined);
    } catch (error) {
      throw fromMultipartError(error, maxBytes, kind);
    }
    const file = ctx.file as multer.File | undefined;
    if (!file || typeof file.path !== 'string') throw missingFile(kind);
    // multer's fileSize limit has already refused anything larger than maxBytes.
    return file.path;
  };
}

/**
 * `POST /uploads/images` (members): one JPEG, PNG or WebP image in the multipart field `file`.
 * `POST /uploads/audio` (teachers, operators): one MP3 or AAC voice note in the field `file`.
 * The type comes from the bytes; the key is random; nothing is stored unless every check passes.
 * Every stored file is recorded with its owner (see UploadService). Per member: a few uploads in
 * progress at once and a daily quota (429 RATE_LIMITED past either); per process: a few files in
 * memory at once.
 */
export function registerUploadRoutes(api: ApiRouter, deps: UploadDeps): void {
  const { uploads, limits, maxImageBytes, clock } = deps;
  const maxAudioBytes = deps.maxAudioBytes ?? DEFAULT_MAX_AUDIO_BYTES;
  const maxAudioSeconds = deps.maxAudioSeconds ?? DEFAULT_MAX_AUDIO_SECONDS;
  const readImage = oneFileParser(maxImageBytes, 'image');
  const readAudio = oneFileParser(maxAudioBytes, 'audio');
  const buffered = new ConcurrencyLimit(deps.maxBuffered);

  /** The default limit, or the cohort's when the form names one (read once the multipart body is parsed). */
  async function audioLimitOf(ctx: Context, principal: Principal): Promise<number> {
    const field = (ctx.request as { body?: Record<string, unknown> }).body?.[COHORT_FIELD];
    if (field === undefined || field === '') return maxAudioSeconds;
    if (typeof field !== 'string' || !/^[1-9]\d{0,9}$/.test(field) || !deps.audioLimitOfCohort) {
      throw validationFailed(`The form field "${COHORT_FIELD}" must be the id of the cohort you record for.`, [
        { path: `body.${COHORT_FIELD}`, message: 'must be a cohort id' },
      ]);
    }
    return deps.audioLimitOfCohort(principal, Number(field));
  }

  /** Receives one upload within the member's limits; `accept` sees the bytes and stores them. */
  async function receive<T>(ctx: Context, principal: Principal, read: (ctx: Context) => Promise<string>, accept: (bytes: Buffer) => Promise<T>): Promise<T> {
    const release = await limits.hold(
      'uploadsInFlight',
      { memberId: principal.memberId, ip: ctx.ip },
      `You already have ${deps.maxInFlightPerMember} uploads in progress; wait for one to finish.`,
    );
    let partPath: string | null = null;
    try {
      const quota = await uploads.quotaOf(principal.memberId);
      quota.assertRoomFor(0);
      partPath = await read(ctx);
      const file = partPath;
      return await buffered.run(async () => {
        const bytes = await fs.readFile(file);
        quota.assertRoomFor(bytes.length);
        return accept(bytes);
      });
    } finally {
      if (partPath) await fs.rm(partPath, { force: true });
      await release();
    }
  }

  api.add({
    method: 'post',
    path: '/uploads/images',
    summary: 'Upload one image (JPEG, PNG or WebP) for a check-in; answers the URL to send with it',
    tag: 'uploads',
    access: 'member',
    multipartFile: { field: UPLOAD_FIELD, description: `The image; at most ${formatBytes(maxImageBytes)}` },
    response: uploadedImageSchema,
    status: 201,
    errors: {
      400: 'VALIDATION_FAILED (no file, file in another field, more than one file, malformed multipart)',
      413: 'FILE_TOO_LARGE',
      415: 'UNSUPPORTED_IMAGE_TYPE',
      429: 'RATE_LIMITED (too many uploads in progress, or the daily quota is used up; see Retry-After)',
      503: 'STORAGE_UNAVAILABLE (file storage is not answering; nothing was kept, try again)',
    },
    handler: ({ ctx, principal }) =>
      receive(ctx, principal, readImage, async (bytes) => {
        const contentType = sniffImageType(bytes);
        if (!contentType) throw unsupportedImageType();

        const key = newImageKey(clock.now(), contentType);
        await uploads.store({ ownerId: principal.memberId, kind: 'image', key, bytes, contentType });
        return { key, url: uploadUrlFor(key), contentType, bytes: bytes.length };
      }),
  });

  api.add({
    method: 'post',
    path: '/uploads/audio',
    summary: "Upload one recording (MP3, or AAC as M4A or ADTS, from wx.getRecorderManager): a member's voice check-in or a teacher's voice note; only its uploader may use it",
    tag: 'uploads',
    access: 'member',
    multipartFile: {
      field: UPLOAD_FIELD,
      description: `The recording; at most ${formatBytes(maxAudioBytes)} and ${maxAudioSeconds} seconds, or the cohort's own limit (up to 180 s) when the form field "${COHORT_FIELD}" names it`,
    },
    response: uploadedAudioSchema,
    status: 201,
    errors: {
      400: 'VALIDATION_FAILED (no file, file in another field, more than one file, malformed multipart, a cohortId that is not a number) or AUDIO_TOO_LONG',
      403: 'FORBIDDEN (cohortId names a cohort I am neither a member nor staff of)',
      404: 'NOT_FOUND (cohortId names no cohort)',
      413: 'FILE_TOO_LARGE',
      415: 'UNSUPPORTED_AUDIO_TYPE',
      429: 'RATE_LIMITED (too many uploads in progress, or the daily quota is used up; see Retry-After)',
      503: 'STORAGE_UNAVAILABLE (file storage is not answering; nothing was kept, try again)',
    },
    handler: ({ ctx, principal }) =>
      receive(ctx, principal, readAudio, async (bytes) => {
        const sniffed = sniffAudioType(bytes);
        if (!sniffed) throw unsupportedAudioType();
        const measured = await measureAudio(bytes, sniffed);
        if (!measured) throw unsupportedAudioType();
        // Whole seconds, as people (and WeChat's recorder, which stops at exactly the limit) count
        // them: a 60 s recording that encodes to 60.03 s is not "too long".
        const durationSeconds = Math.max(1, Math.round(measured.seconds));
        const limit = await audioLimitOf(ctx, principal);
        if (durationSeconds > limit) throw audioTooLong(Math.round(measured.seconds * 10) / 10, limit);

        const key = newAudioKey(clock.now(), measured.contentType);
        await uploads.store({ ownerId: principal.memberId, kind: 'audio', key, bytes, contentType: measured.contentType, durationSeconds });
        return { key, url: uploadUrlFor(key), contentType: measured.contentType, bytes: bytes.length, durationSeconds };
      }),
  });
}

/**
 * Serves `GET|HEAD /uploads/<key>` from storage with headers that keep a stored file from ever
 * acting as a page: its stored type, nosniff, a CSP allowing nothing, inline disposition, and a
 * long immutable cache (keys are never reused). Unknown or malformed keys are a JSON 404.
 * A single byte range is answered with 206 (media players, iOS's in particular, ask for ranges
 * before they play a voice note). Files are streamed from the store (disk or S3), never held whole
 * in memory, and through this server rather than by redirect, so clients only ever load files
 * from the API's own origin (the console's CSP, the Mini Program's downloadFile domain list).
 */
export function uploadServingMiddleware(storage: ObjectStorage): Middleware {
  return async (ctx: Context, next) => {
    if (!ctx.path.startsWith(UPLOADS_PATH_PREFIX)) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      ctx.throw(405);
    }
    // ctx.path is not percent-decoded, and storage accepts only [a-z0-9_-] segments, so encoded
    // dots or slashes (`..%2F`) simply do not match a key.
    const key = ctx.path.slice(UPLOADS_PATH_PREFIX.length);
    const rangeHeader = ctx.get('Range') || undefined;
    const served = canStream(storage) ? await openStreamed(storage, key, rangeHeader) : await openBuffered(storage, key, rangeHeader);
    if (!served) throw notFound('This upload');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Content-Security-Policy', "default-src 'none'");
    ctx.set('Content-Disposition', 'inline');
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.set('Accept-Ranges', 'bytes');
    if (served.range === 'unsatisfiable') {
      ctx.set('Content-Range', `bytes */${served.size}`);
      throw new AppError(416, 'RANGE_NOT_SATISFIABLE', `The file has ${served.size} bytes; the requested range lies outside it.`);
    }
    if (served.range) {
      ctx.status = 206;
      ctx.set('Content-Range', `bytes ${served.range.start}-${served.range.end}/${served.size}`);
    }
    ctx.body = served.body;
    ctx.type = served.contentType;
    ctx.length = served.length;
  };
}

interface ServedFile {
  body: Buffer | Readable | null;
  contentType: string;
  size: number;
  length: number;
  range: { start: number; end: number } | 'unsatisfiable' | null;
}

/** A streaming store: a Range request asks for the size first, then opens just that range. */
async function openStreamed(storage: StreamingObjectStorage, key: string, rangeHeader: string | undefined): Promise<ServedFile | null> {
  let range: ServedFile['range'] = null;
  if (rangeHeader) {
    const size = await storage.size(key);
    if (size === null) return null;
    range = parseByteRange(rangeHeader, size);
    if (range === 'unsatisfiable') return { body: null, contentType: '', size, length: 0, range };
  }
  const opened = await storage.open(key, range ?? undefined);
  if (!opened) return null;
  return { body: opened.body, contentType: opened.contentType, size: opened.size, length: opened.length, range };
}

/** A store with only `get`: the whole file is read, then sliced. */
async function openBuffered(storage: ObjectStorage, key: string, rangeHeader: string | undefined): Promise<ServedFile | null> {
  const stored = await storage.get(key);
  if (!stored) return null;
  const size = stored.bytes.length;
  const range = parseByteRange(rangeHeader, size);
  const body = range && range !== 'unsatisfiable' ? stored.bytes.subarray(range.start, range.end + 1) : stored.bytes;
  return { body, contentType: stored.contentType, size, length: body.length, range };
}
