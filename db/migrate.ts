import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { PGlite } from '@electric-sql/pglite';
import { fileURLToPath } from 'node:url';
import { POSTGRES_CONNECT_TIMEOUT_S, queryRows, wrapPglite, type Database } from './client.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));
/** Arbitrary constant: the advisory lock key that serialises migrations across replicas. */
const MIGRATION_LOCK_KEY = 727_001;

/** Applies pending migrations. On a server, under an advisory lock held on one dedicated connection. */
export async function runMigrations(database: Database): Promise<void> {
  if (!database.url) {
    // The embedded database: one connection in one process (locked by DATA_DIR), so nothing can race it.
    const client = (database.db as unknown as { $client: unknown }).$client;
    if (client instanceof PGlite) await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_FOLDER });
    else await migratePostgres(database.db as unknown as Parameters<typeof migratePostgres>[0], { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  const client = postgres(database.url, { max: 1, onnotice: () => {}, connect_timeout: POSTGRES_CONNECT_TIMEOUT_S });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migratePostgres(drizzlePostgres(client), { migrationsFolder: MIGRATIONS_FOLDER });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** True when every migration in `drizzle/` has been applied (for /healthz). */
export async function migrationsCurrent(database: Database): Promise<boolean> {
  const expected = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).length;
  const rows = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return (rows[0]?.n ?? 0) >= expected;
}

/** An in-memory PGlite, migrated, dumped as a tarball (for the build's seed and the tests' snapshot). */
export async function migratedPgliteDump(): Promise<Uint8Array<ArrayBuffer>> {
  const client = await PGlite.create();
  try {
    await runMigrations(wrapPglite(client));
    return new Uint8Array(await (await client.dumpDataDir('none')).arrayBuffer());
  } finally {
    await client.close();
  }
}
