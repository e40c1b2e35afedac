import type { DataSource } from 'typeorm';

/** An instant as DATETIME text, for rows a migration test writes with plain SQL (both databases take it). */
export const sqlInstant = (iso: string) => new Date(iso).toISOString().replace('T', ' ').replace('Z', '');

/** The names of the migrations the database has run. */
export async function executedMigrations(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ name: string }> = await dataSource.query('SELECT name FROM migrations');
  return rows.map((row) => row.name);
}

/** Undoes the newest migrations until `name` is no longer run (it included). */
export async function undoMigrationsThrough(dataSource: DataSource, name: string): Promise<void> {
  while ((await executedMigrations(dataSource)).includes(name)) await dataSource.undoLastMigration({ transaction: 'each' });
}
