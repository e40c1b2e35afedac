import { Identity1763870000000 } from './1763870000000-identity';

/** Every migration, oldest first. Each uses TypeORM's dialect-neutral Table API (SQLite and MySQL). */
export const migrations = [Identity1763870000000];
