import type { Database } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';
import { seedCriteriaIfEmpty } from '../db/queries/criteria.js';
import { DEFAULT_DECAY, DEFAULT_RULES, DEFAULT_THRESHOLD } from './scoring/default-criteria.js';

/** Everything a process does to a database before using it (server and CLI tools alike): migrate, then seed. */
export async function prepareDatabase(database: Database, logger: { info(message: string): void }): Promise<void> {
  await runMigrations(database);
  if (await seedCriteriaIfEmpty(database.db, DEFAULT_RULES, DEFAULT_THRESHOLD, DEFAULT_DECAY)) {
    logger.info('seeded the default criteria as version 1');
  }
}
