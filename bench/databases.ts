import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { connectPostgres, openPglite, type Database } from '../db/client.js';
import { prepareDatabase } from '../src/prepare-database.js';

export interface BenchDatabase {
  label: string;
  /** A fresh database, migrated and seeded like the server's; closing it deletes it. */
  open(): Promise<Database>;
}

const quiet = { info: () => {} };

/** The embedded PGlite in a temporary DATA_DIR (file-backed, as the server runs it). */
const pglite: BenchDatabase = {
  label: 'PGlite',
  async open() {
    const dir = mkdtempSync(path.join(tmpdir(), 'mql-bench-'));
    const database = await openPglite(dir);
    await prepareDatabase(database, quiet);
    return {
      ...database,
      async close() {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/** A temporary database on the given server, dropped on close. */
function postgresServer(serverUrl: string): BenchDatabase {
  const admin = async (statement: string) => {
    const client = postgres(serverUrl, { max: 1, onnotice: () => {} });
    try {
      await client.unsafe(statement);
    } finally {
      await client.end();
    }
  };
  return {
    label: 'Postgres',
    async open() {
      const name = `mql_bench_${randomBytes(6).toString('hex')}`;
      await admin(`create database ${name}`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      const database = connectPostgres(url.toString());
      await prepareDatabase(database, quiet);
      return {
        ...database,
        async close() {
          await database.close();
          await admin(`drop database if exists ${name} with (force)`);
        },
      };
    },
  };
}

export function benchDatabases(postgresUrl: string | undefined): BenchDatabase[] {
  return postgresUrl ? [pglite, postgresServer(postgresUrl)] : [pglite];
}
