import { Identity1763870000000 } from './1763870000000-identity';
import { CohortsCheckinsPoints1763960000000 } from './1763960000000-cohorts-checkins-points';

/** Every migration, oldest first. Each uses TypeORM's dialect-neutral Table API (SQLite and MySQL). */
export const migrations = [Identity1763870000000, CohortsCheckinsPoints1763960000000];
