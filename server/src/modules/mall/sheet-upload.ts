import multer from '@koa/multer';
import type { Context } from 'koa';
import { AppError, validationFailed } from '../../platform/http/errors';

export const SHEET_FIELD = 'file';
export const MAX_SHEET_BYTES = 2 * 1024 * 1024;

const parse = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_SHEET_BYTES, files: 1, fields: 5, fieldSize: 1024, parts: 6, headerPairs: 100 },
}).single(SHEET_FIELD);

const missingSheet = () =>
  validationFailed(`Send the shipping sheet (.csv or .xlsx) as multipart/form-data in the field "${SHEET_FIELD}".`, [
    { path: `body.${SHEET_FIELD}`, message: 'is required' },
  ]);

/** The uploaded sheet's bytes (small: kept in memory); multipart failures are the client's 4xx. */
export async function readSheetUpload(ctx: Context): Promise<Buffer> {
  try {
    await parse(ctx, async () => undefined);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'LIMIT_FILE_SIZE') {
      throw new AppError(413, 'FILE_TOO_LARGE', `The sheet is larger than ${MAX_SHEET_BYTES / 1024 / 1024} MB; split it.`, { maxBytes: MAX_SHEET_BYTES });
    }
    if (typeof code === 'string') throw validationFailed(`The multipart form was refused: ${code}.`, [{ path: 'body', message: code }]);
    throw validationFailed('The multipart/form-data body could not be read.', [{ path: 'body', message: 'malformed multipart body' }]);
  }
  const file = ctx.file as { buffer?: Buffer } | undefined;
  if (!file?.buffer || file.buffer.length === 0) throw missingSheet();
  return file.buffer;
}
