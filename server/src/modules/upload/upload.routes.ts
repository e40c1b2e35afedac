import multer from '@koa/multer';
import type { Context, Middleware } from 'koa';
import { MulterError } from 'multer';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/clock';
import type { ApiRouter } from '../../platform/http/api-router';
import { AppError, notFound, validationFailed } from '../../platform/http/errors';
import type { ObjectStorage } from '../../platform/storage/object-storage';
import { imageContentTypes, sniffImageType } from './image-type';
import { newImageKey, UPLOADS_PATH_PREFIX, uploadUrlFor } from './upload-keys';

export interface UploadDeps {
  storage: ObjectStorage;
  maxImageBytes: number;
  clock: Clock;
}

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

export const fileTooLarge = (maxBytes: number) =>
  new AppError(413, 'FILE_TOO_LARGE', `The image is larger than ${formatBytes(maxBytes)}; send a smaller or compressed photo.`, { maxBytes });

export const unsupportedImageType = () =>
  new AppError(415, 'UNSUPPORTED_IMAGE_TYPE', 'Only JPEG, PNG and WebP images can be uploaded (judged by the file content, not its name).');

const missingFile = () =>
  validationFailed(`Send the image as multipart/form-data with the file in the field "${UPLOAD_FIELD}" (wx.uploadFile name: '${UPLOAD_FIELD}').`, [
    { path: `body.${UPLOAD_FIELD}`, message: 'is required' },
  ]);

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MB` : `${bytes} bytes`;
}

/** By name too, in case a second copy of multer is ever installed under @koa/multer. */
const isMulterError = (error: unknown): error is MulterError =>
  error instanceof MulterError || (error instanceof Error && error.name === 'MulterError' && typeof (error as MulterError).code === 'string');

/** Multer and busboy failures are the client's: map them to stable codes (never a 500). */
function fromMultipartError(error: unknown, maxBytes: number): AppError {
  if (error instanceof AppError) return error;
  if (isMulterError(error)) {
    switch (error.code) {
      case 'LIMIT_FILE_SIZE':
        return fileTooLarge(maxBytes);
      case 'LIMIT_FILE_COUNT':
        return validationFailed('Send exactly one image per request.', [{ path: `body.${UPLOAD_FIELD}`, message: 'more than one file' }]);
      case 'LIMIT_UNEXPECTED_FILE':
        return validationFailed(`The image must be in the field "${UPLOAD_FIELD}", and only one file may be sent (got a file in "${error.field ?? '?'}").`, [
          { path: `body.${error.field ?? ''}`, message: 'unexpected file' },
        ]);
      default:
        return validationFailed(`The multipart form was refused: ${error.message}.`, [{ path: 'body', message: error.code }]);
    }
  }
  return validationFailed('The multipart/form-data body could not be read.', [{ path: 'body', message: 'malformed multipart body' }]);
}

/**
 * `POST /uploads/images` (members): one JPEG, PNG or WebP image in the multipart field `file`.
 * The type comes from the bytes; the key is random; nothing is stored unless every check passes.
 */
export function registerUploadRoutes(api: ApiRouter, deps: UploadDeps): void {
  const { storage, maxImageBytes, clock } = deps;
  // Memory storage is bounded by the limits: at most one file of maxImageBytes (+1 byte, when
  // busboy stops it) and a few tiny text fields (wx.uploadFile may send formData).
  const parseOneFile = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxImageBytes, files: 1, fields: 10, fieldSize: 1024, fieldNameSize: 100, parts: 12, headerPairs: 100 },
  }).single(UPLOAD_FIELD);

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
    },
    handler: async ({ ctx }) => {
      try {
        await parseOneFile(ctx, async () => undefined);
      } catch (error) {
        throw fromMultipartError(error, maxImageBytes);
      }
      const file = ctx.file as multer.File | undefined;
      if (!file || !Buffer.isBuffer(file.buffer)) throw missingFile();
      // multer's fileSize limit has already refused anything larger than maxImageBytes.
      const bytes = file.buffer;
      const contentType = sniffImageType(bytes);
      if (!contentType) throw unsupportedImageType();

      const key = newImageKey(clock.now(), contentType);
      await storage.put(key, bytes, contentType);
      return { key, url: uploadUrlFor(key), contentType, bytes: bytes.length };
    },
  });
}

/**
 * Serves `GET|HEAD /uploads/<key>` from storage with headers that keep a stored file from ever
 * acting as a page: its stored type, nosniff, a CSP allowing nothing, inline disposition, and a
 * long immutable cache (keys are never reused). Unknown or malformed keys are a JSON 404.
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
    const stored = await storage.get(key);
    if (!stored) throw notFound('This upload');
    ctx.body = stored.bytes;
    ctx.type = stored.contentType;
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Content-Security-Policy', "default-src 'none'");
    ctx.set('Content-Disposition', 'inline');
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
  };
}
