import { QueryFailedError } from 'typeorm';

/** Driver error fields we read, across mysql2 and better-sqlite3. */
interface DriverErrorShape {
  code?: string;
  errno?: number;
}

function driverErrorOf(error: unknown): DriverErrorShape | undefined {
  if (error instanceof QueryFailedError) return error.driverError as DriverErrorShape;
  if (error && typeof error === 'object') return error as DriverErrorShape;
  return undefined;
}

/** A duplicate key: the database's answer to "this already exists" (one check-in a day, one login row). */
export function isUniqueViolation(error: unknown): boolean {
  const driverError = driverErrorOf(error);
  return (
    driverError?.code === 'ER_DUP_ENTRY' ||
    driverError?.errno === 1062 ||
    driverError?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    driverError?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** A row refers to a row that does not exist (any more). */
export function isForeignKeyViolation(error: unknown): boolean {
  const driverError = driverErrorOf(error);
  return (
    driverError?.code === 'ER_NO_REFERENCED_ROW_2' ||
    driverError?.errno === 1452 ||
    driverError?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY'
  );
}

/** Deadlock or lock-wait timeout: the whole transaction may be retried from a fresh BEGIN. */
export function isRetryableTransactionError(error: unknown): boolean {
  const driverError = driverErrorOf(error);
  return (
    driverError?.code === 'ER_LOCK_DEADLOCK' ||
    driverError?.errno === 1213 ||
    driverError?.code === 'ER_LOCK_WAIT_TIMEOUT' ||
    driverError?.errno === 1205 ||
    driverError?.code === 'SQLITE_BUSY'
  );
}

const connectionErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'POOL_CLOSED',
]);

/** The database could not be reached or went away mid-query. */
export function isConnectionError(error: unknown): boolean {
  const driverError = driverErrorOf(error);
  if (driverError?.code && connectionErrorCodes.has(driverError.code)) return true;
  return error instanceof Error && /connect ETIMEDOUT|Connection lost|Pool is closed|ECONNREFUSED/i.test(error.message);
}
