import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { inject } from 'vitest';
import { connectPostgres, wrapPglite, type Database } from '../../db/client.js';
import { runMigrations } from '../../db/migrate.js';

/** Set in CI: the suite then runs against this Postgres server instead of PGlite. */
export const POSTGRES_URL = process.env.DATABASE_URL;

export type TestDatabase = Database;

/** A fresh, migrated database of its own: an in-memory PGlite, or a new database on the Postgres server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (!POSTGRES_URL) {
    const snapshot = new Blob([readFileSync(inject('pgliteSnapshot'))]);
    return wrapPglite(await PGlite.create({ loadDataDir: snapshot }));
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

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
