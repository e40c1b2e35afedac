import 'reflect-metadata';
import { loadConfig } from '../../config';
import { openDatabase } from './data-source';

/** `npm run migrate`: brings the configured database's schema up to date, then exits. */
async function main(): Promise<void> {
  const config = loadConfig();
  // Migrations need no entity classes.
  const dataSource = await openDatabase(config.database, []);
  const applied = await dataSource.query('SELECT COUNT(*) AS n FROM migrations');
  await dataSource.destroy();
  console.log(`Schema is up to date on ${config.database.kind} (${Number(applied[0].n)} migrations applied).`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
