import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations, SQLWrapper } from 'drizzle-orm';
import postgres from 'postgres';
import { startPgliteThread } from './pglite-thread.js';
import { seedFor } from './pglite-seed.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Queries take either the database or the transaction they must be part of. */
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /**
   * The server's URL (Postgres server only): migrations take their lock on a dedicated connection to it. The
   * embedded database has none: it takes one connection, and migrations run on it.
   */
  url?: string;
  close(): Promise<void>;
}

export class DatabaseInUseError extends Error {}

/** postgres.js returns rows as an array, PGlite as `{ rows }`: one place smooths that over. */
export async function queryRows<T extends Record<string, unknown>>(db: DbOrTx, query: SQLWrapper): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * Fail fast while the server is away instead of queueing requests for postgres.js's 30 s default: a connect
 * gives up after 5 s, a statement after 30 s, and connections idle for a minute are dropped rather than
 * reused half-dead after a failover.
 */
export const POSTGRES_CONNECT_TIMEOUT_S = 5;
const STATEMENT_TIMEOUT_MS = 30_000;

export function connectPostgres(url: string, options: { max?: number; socketPath?: string } = {}): Database {
  const client = postgres(url, {
    max: options.max ?? 10,
    path: options.socketPath,
    onnotice: () => {},
    connect_timeout: POSTGRES_CONNECT_TIMEOUT_S,
    idle_timeout: 60,
    // The embedded database's one connection is never dropped or recycled: a reconnect could race the old one's close.
    ...(options.socketPath ? { idle_timeout: 0, max_lifetime: 0 } : {}),
    connection: { statement_timeout: STATEMENT_TIMEOUT_MS },
  });
  return {
    db: drizzlePostgres(client, { schema }) as unknown as Db,
    kind: 'postgres',
    url,
    close: () => client.end({ timeout: 5 }),
  };
}

/** A PGlite on this thread (migrating the build's seed and the tests' snapshot; the bot's runs on its own thread). */
export function wrapPglite(client: PGlite): Database {
  return { db: drizzlePglite(client, { schema }) as unknown as Db, kind: 'pglite', close: () => client.close() };
}

/** Lock files this process holds now: a second open of the same directory in one process is refused too. */
const heldLocks = new Set<string>();

/**
 * Two processes on one PGlite directory silently corrupt it, so the directory is held by a lock file naming
 * our pid and, where /proc exists, the process's start time: a lock counts only while that very process runs,
 * so neither a dead bot's lock nor one whose pid was reused by another process (pid 1 in a container) blocks.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = path.resolve(dataDir, 'bot.lock');
  if (heldLocks.has(lockPath)) throw inUse(dataDir, `this process (pid ${process.pid})`);
  const me = lockLine(process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, me);
      closeSync(fd);
      heldLocks.add(lockPath);
      return () => {
        heldLocks.delete(lockPath);
        rmSync(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(lockPath);
      // Our own pid and start time but not in heldLocks: left by this process, whose database was never closed.
      if (holder && holder.pid !== process.pid && lockHolderRuns(holder)) throw inUse(dataDir, `another process (pid ${holder.pid})`);
      rmSync(lockPath, { force: true });
    }
  }
  throw new DatabaseInUseError(`could not lock DATA_DIR ${dataDir}`);
}

function inUse(dataDir: string, who: string): DatabaseInUseError {
  return new DatabaseInUseError(
    `DATA_DIR ${dataDir} is in use by ${who}. Stop it, choose another DATA_DIR, ` +
      'or set DATABASE_URL to share a Postgres server between processes.',
  );
}

/** `<pid> <start time>`; the start time is omitted where /proc does not exist. */
function lockLine(pid: number): string {
  const started = processStartTime(pid);
  return started === undefined ? String(pid) : `${pid} ${started}`;
}

function readLock(lockPath: string): { pid: number; started?: string } | null {
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch {
    return null;
  }
  const [pid, started] = text.trim().split(/\s+/);
  return Number.isSafeInteger(Number(pid)) && Number(pid) > 0 ? { pid: Number(pid), started } : null;
}

function lockHolderRuns(holder: { pid: number; started?: string }): boolean {
  if (!isAlive(holder.pid)) return false;
  const started = processStartTime(holder.pid);
  if (started === undefined) return true; // no /proc (or it hides the pid): the pid check is all we have
  if (holder.started) return holder.started === started;
  // A lock written before start times were recorded: it counts only if that pid runs Node (as the bot does).
  return /\bnode\b/.test(readProc(holder.pid, 'cmdline')?.replace(/\0/g, ' ') ?? '');
}

/** Field 22 of /proc/<pid>/stat: clock ticks after boot; a reused pid has another. Undefined without /proc. */
export function processStartTime(pid: number): string | undefined {
  const stat = readProc(pid, 'stat');
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The embedded database on a thread of its own (db/pglite-thread.ts), reached over its private socket with
 * postgres.js like a server: one driver and one set of SQL semantics for both. One connection, because PGlite
 * is one backend; transactions therefore run one at a time, as they do in PGlite itself.
 */
export async function connectPgliteThread(
  source: { dataDir?: string; snapshot?: Uint8Array<ArrayBuffer> },
  onLost?: (error: Error) => void,
): Promise<Database> {
  const thread = await startPgliteThread(source, onLost);
  const database = connectPostgres('postgres://postgres@localhost/postgres', { max: 1, socketPath: thread.socketPath });
  return {
    db: database.db,
    kind: 'pglite',
    async close() {
      await database.close();
      await thread.stop();
    },
  };
}

/** The embedded database in DATA_DIR, locked against a second process. */
export async function openPglite(dataDir: string, onLost?: (error: Error) => void): Promise<Database> {
  const unlock = lockDataDir(dataDir);
  try {
    const pgliteDir = path.join(dataDir, 'pglite');
    const database = await connectPgliteThread({ dataDir: pgliteDir, snapshot: seedFor(pgliteDir) }, onLost);
    return {
      ...database,
      async close() {
        await database.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

export function openDatabase(config: { url?: string; dataDir: string }, onLost?: (error: Error) => void): Promise<Database> {
  return config.url ? Promise.resolve(connectPostgres(config.url)) : openPglite(config.dataDir, onLost);
}
