import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { isConnectionError } from '../db/database-errors';
import { StorageUnavailableError } from '../storage/object-storage';
import { AppError, databaseUnavailable, storageUnavailable } from './errors';

interface HttpErrorShape {
  status?: number;
  statusCode?: number;
  type?: string;
  /** co-body attaches the unparsable text to JSON syntax errors. */
  body?: unknown;
}

/** Errors raised by Koa, the router and the body parser (http-errors), mapped to stable codes. */
function fromHttpError(error: HttpErrorShape): AppError | undefined {
  const status = error.status ?? error.statusCode;
  if (status === 501) return new AppError(501, 'NOT_IMPLEMENTED', 'This server does not implement that method.');
  if (!status || status < 400 || status >= 500) return undefined;
  if (status === 413 || error.type === 'entity.too.large') {
    return new AppError(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
  }
  if (status === 400 && (error.type === 'entity.parse.failed' || typeof error.body === 'string')) {
    return new AppError(400, 'MALFORMED_JSON', 'The request body is not valid JSON.');
  }
  if (status === 415) {
    return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.');
  }
  if (status === 405) return new AppError(405, 'METHOD_NOT_ALLOWED', 'This path does not accept that method.');
  if (status === 404) return new AppError(404, 'NOT_FOUND', 'No such route.');
  return new AppError(status, 'BAD_REQUEST', 'The request could not be understood.');
}

/**
 * The one place errors become HTTP answers: `{"error": {code, message, details}}`. Unknown errors
 * are logged with their stack and answered 500 without it.
 */
export function errorMiddleware(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new AppError(404, 'NOT_FOUND', 'No such route.');
    } catch (thrown) {
      const log = ctx.state.log as Logger;
      let error: AppError | undefined;
      if (thrown instanceof AppError) error = thrown;
      else if (thrown && typeof thrown === 'object') error = fromHttpError(thrown as HttpErrorShape);
      if (!error && thrown instanceof StorageUnavailableError) {
        log.warn({ err: thrown }, 'file storage unavailable');
        error = storageUnavailable();
      }
      if (!error && isConnectionError(thrown)) {
        log.warn({ err: thrown }, 'database unavailable');
        error = databaseUnavailable();
      }
      if (!error) {
        log.error({ err: thrown }, 'unhandled error');
        error = new AppError(500, 'INTERNAL_ERROR', `Something went wrong on our side (request id ${ctx.state.requestId}).`);
      }
      const retryAfter = error.retryAfterSeconds ?? (error.status === 503 ? 1 : undefined);
      if (retryAfter !== undefined) ctx.set('Retry-After', String(retryAfter));
      ctx.status = error.status;
      ctx.body = {
        error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) },
      };
    }
  };
}
