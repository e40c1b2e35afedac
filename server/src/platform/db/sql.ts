import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Hand-written statements for the hottest paths (the check-in and its ledger lines, a redemption,
 * the token lookup), where building each statement through TypeORM's query builder cost more CPU
 * than MariaDB spent running it. The
 * SQL must read the same on MariaDB and SQLite: `?` placeholders, and values bound as both store
 * them (see `dbDateTime` and `dbBoolean`). Everything else keeps the query builder.
 */
export interface WriteResult {
  /** Rows the statement changed. */
  affected: number;
  /** The generated key of an INSERT (the first one of a multi-row insert). */
  insertId: number;
}

/** Runs an INSERT / UPDATE / DELETE on the manager's connection (inside its transaction, if any). */
export async function write(manager: EntityManager, sql: string, parameters: unknown[]): Promise<WriteResult> {
  // The structured result (rows changed on both databases) is the query runner's.
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  let result: { affected?: number; raw: unknown };
  try {
    result = await runner.query(sql, parameters, true);
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
  const raw = result.raw;
  // mysql2 answers a result header; better-sqlite3 (through TypeORM) the last row id itself.
  const insertId = typeof raw === 'object' && raw !== null && 'insertId' in raw ? (raw as { insertId: number }).insertId : raw;
  return { affected: result.affected ?? 0, insertId: typeof insertId === 'number' || typeof insertId === 'bigint' ? Number(insertId) : 0 };
}

/** Runs a SELECT and answers its rows as the driver reads them (numbers may come back as strings). */
export async function select<Row>(manager: EntityManager, sql: string, parameters: unknown[]): Promise<Row[]> {
  return (await manager.query(sql, parameters)) as Row[];
}

/** A DATETIME(3) value as the manager's database stores it (TypeORM's own format on SQLite). */
export function dbDateTime(manager: EntityManager, at: Date | null): Date | string | null {
  if (at === null) return null;
  return manager.connection.options.type === 'better-sqlite3' ? at.toISOString().replace('T', ' ').replace('Z', '') : at;
}

export const dbBoolean = (value: boolean): 0 | 1 => (value ? 1 : 0);

/**
 * `alias.column AS prefix_column, …` for the entity's columns (those of `only`, by property name, if
 * given), to select them in a hand-written query joining several tables and read them back with
 * `hydrated`.
 */
export function columnsOf<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  alias: string,
  prefix: string,
  only?: ReadonlyArray<keyof T & string>,
): string {
  const { driver } = manager.connection;
  return manager.connection
    .getMetadata(entity)
    .columns.filter((column) => !only || only.includes(column.propertyName as keyof T & string))
    .map((column) => `${alias}.${driver.escape(column.databaseName)} AS ${driver.escape(prefix + column.databaseName)}`)
    .join(', ');
}

/**
 * The entity's columns selected with `columnsOf`, converted as TypeORM converts them (dates, JSON,
 * booleans) on either database; null when its primary key is null (a LEFT JOIN that found nothing).
 */
export function hydrated<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, raw: Record<string, unknown>, prefix: string): T | null {
  const metadata = manager.connection.getMetadata(entity);
  if (metadata.primaryColumns.some((column) => raw[prefix + column.databaseName] == null)) return null;
  const row: Record<string, unknown> = {};
  for (const column of metadata.columns) {
    if (prefix + column.databaseName in raw) row[column.propertyName] = manager.connection.driver.prepareHydratedValue(raw[prefix + column.databaseName], column);
  }
  return row as T;
}
