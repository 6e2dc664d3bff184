import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { getTableName, is, sql, Table } from 'drizzle-orm';
import postgres from 'postgres';
import { inject } from 'vitest';
import { connectPgliteThread, connectPostgres, queryRows, type Database } from '../../db/client.js';
import { runMigrations } from '../../db/migrate.js';
import { seedCriteriaIfEmpty } from '../../db/queries/criteria.js';
import * as schema from '../../db/schema.js';
import { DEFAULT_RULES, DEFAULT_THRESHOLD } from '../../src/scoring/default-criteria.js';

/** Set in CI: the suite then runs against this Postgres server instead of PGlite. */
export const POSTGRES_URL = process.env.DATABASE_URL;

export type TestDatabase = Database;

/**
 * A fresh, migrated database of its own: an in-memory PGlite, or a new database on the Postgres server. Seeded
 * with the test criteria (decay off, see seedTestCriteria) unless `fresh` asks for it as a new install finds it.
 */
export async function createTestDatabase(options: { fresh?: boolean } = {}): Promise<TestDatabase> {
  const database = await createMigratedDatabase();
  if (!options.fresh) await seedTestCriteria(database);
  return database;
}

async function createMigratedDatabase(): Promise<TestDatabase> {
  if (!POSTGRES_URL) {
    // On its own thread and reached over its socket, as the bot runs it (db/pglite-thread.ts).
    return connectPgliteThread({ snapshot: new Uint8Array(readFileSync(inject('pgliteSnapshot'))) });
  }
  const name = `mql_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = withDatabase(POSTGRES_URL, name);
  const database = connectPostgres(url);
  await runMigrations(database);
  return {
    ...database,
    async close() {
      await database.close();
      const dropper = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/** Every table of the schema, so a table added later is emptied too. */
const TABLES = Object.values(schema as Record<string, unknown>)
  .flatMap((value) => (is(value, Table) ? [`"${getTableName(value)}"`] : []))
  .join(', ');

/**
 * Back to a fresh install, as the app finds it after start-up: every table empty, ids from 1 again, and the
 * default criteria (with decay off) as version 1. The app may stay up; only its memo of post refreshes already queued
 * (`refreshesQueued`, by handoff id) outlives the reset.
 */
export async function resetDatabase(database: Database): Promise<void> {
  // The webhook URLs are configuration the app synced at start-up: they stay, healthy again.
  const endpoints = await queryRows<{ url: string; active: boolean }>(database.db, sql`select url, active from webhook_endpoints`);
  await database.db.execute(sql.raw(`truncate ${TABLES} restart identity cascade`));
  if (endpoints.length) await database.db.insert(schema.webhookEndpoints).values(endpoints);
  await seedTestCriteria(database);
}

/**
 * The default criteria with decay off: tests date their events freely (most on the real clock), and the 30-day
 * window of a fresh install would turn them into time bombs. Decay is tested where the clock is set
 * (test/leads/decay-rescore.test.ts, test/scoring/decay.test.ts, test/scoring/backtest-decay.test.ts).
 */
async function seedTestCriteria(database: Database): Promise<void> {
  await seedCriteriaIfEmpty(database.db, DEFAULT_RULES, DEFAULT_THRESHOLD, { kind: 'off' });
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
