/**
 * Errors a client can act on. Each has a stable `code` (part of the HTTP contract) and the status it
 * maps to; the error middleware turns them into `{"error": {code, message, details}}`.
 */
export class AppError extends Error {
  /** When set, the answer carries `Retry-After` with this many seconds. */
  retryAfterSeconds?: number;

  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const unauthenticated = (message = 'Log in first: send "Authorization: Bearer <token>" from POST /api/v1/auth/wechat-login.') =>
  new AppError(401, 'UNAUTHENTICATED', message);

export const forbidden = (message = 'You do not have the role this action needs.') =>
  new AppError(403, 'FORBIDDEN', message);

export const notFound = (what: string) => new AppError(404, 'NOT_FOUND', `${what} was not found.`);

export const validationFailed = (message: string, details?: unknown) =>
  new AppError(400, 'VALIDATION_FAILED', message, details);

export const conflict = (code: string, message: string, details?: unknown) =>
  new AppError(409, code, message, details);

/** The database did not answer (down, pool exhausted, timed out). */
export const databaseUnavailable = () =>
  new AppError(503, 'DATABASE_UNAVAILABLE', 'The database is not answering right now; try again in a moment.');

export const storageUnavailable = () =>
  new AppError(503, 'STORAGE_UNAVAILABLE', 'File storage is not answering right now; nothing was saved, try again in a moment.');

/** Too many requests of one kind from one member or address: 429 with Retry-After. */
export function rateLimited(retryAfterSeconds: number, message?: string): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  const error = new AppError(
    429,
    'RATE_LIMITED',
    message ?? `Too many requests of this kind; try again in ${seconds} s.`,
    { retryAfterSeconds: seconds },
  );
  error.retryAfterSeconds = seconds;
  return error;
}
