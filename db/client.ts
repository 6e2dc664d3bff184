import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations, SQLWrapper } from 'drizzle-orm';
import postgres from 'postgres';
import * as schema from './schema.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Queries take either the database or the transaction they must be part of. */
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** The server's URL (Postgres only): migrations take their lock on a dedicated connection to it. */
  url?: string;
  close(): Promise<void>;
}

export class DatabaseInUseError extends Error {}

/** postgres.js returns rows as an array, PGlite as `{ rows }`: one place smooths that over. */
export async function queryRows<T extends Record<string, unknown>>(db: DbOrTx, query: SQLWrapper): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export function connectPostgres(url: string, options: { max?: number } = {}): Database {
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => {} });
  return {
    db: drizzlePostgres(client, { schema }) as unknown as Db,
    kind: 'postgres',
    url,
    close: () => client.end({ timeout: 5 }),
  };
}

export function wrapPglite(client: PGlite, onClose: () => void = () => {}): Database {
  return {
    db: drizzlePglite(client, { schema }) as unknown as Db,
    kind: 'pglite',
    close: async () => {
      await client.close();
      onClose();
    },
  };
}

/**
 * Two processes on one PGlite directory silently corrupt it, so the directory is held by a lock file
 * naming our pid; a lock left by a dead process is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'bot.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockPath, 'utf8').trim());
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new DatabaseInUseError(
          `DATA_DIR ${dataDir} is in use by another process (pid ${holder}). Stop it, choose another DATA_DIR, ` +
            'or set DATABASE_URL to share a Postgres server between processes.',
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new DatabaseInUseError(`could not lock DATA_DIR ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function openPglite(dataDir: string): Promise<Database> {
  const unlock = lockDataDir(dataDir);
  try {
    const client = await PGlite.create(path.join(dataDir, 'pglite'));
    return wrapPglite(client, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

export function openDatabase(config: { url?: string; dataDir: string }): Promise<Database> {
  return config.url ? Promise.resolve(connectPostgres(config.url)) : openPglite(config.dataDir);
}
