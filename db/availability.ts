import { sql } from 'drizzle-orm';
import type { Database } from './client.js';

/** What an error says about the database, when it is about the database rather than the request. */
export type DatabaseFailure = 'unavailable' | 'disk_full';

/** Socket errors: the server is down, restarting, unreachable or the connection was cut. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** postgres.js's own connection errors. */
const CLIENT_CODES = new Set(['CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED']);
/** SQLSTATEs: shutting down or starting up, too many connections, statement timeout / cancelled. */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);

/**
 * Classifies an error (drizzle wraps the driver's in `cause`; Node's multi-address connect throws an
 * AggregateError), so callers can answer 503 for an outage or a full disk instead of a 500.
 */
export function databaseFailure(error: unknown): DatabaseFailure | null {
  const seen = new Set<unknown>();
  const queue = [error];
  let failure: DatabaseFailure | null = null;
  while (queue.length) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { code, message, cause, errors } = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    const text = typeof code === 'string' ? code : '';
    // A full disk wins: it is the cause an operator has to act on.
    if (text === 'ENOSPC' || text === '53100' || (typeof message === 'string' && /no space left on device/i.test(message)))
      return 'disk_full';
    if (NETWORK_CODES.has(text) || CLIENT_CODES.has(text) || SERVER_CODES.has(text) || text.startsWith('08')) failure = 'unavailable';
    queue.push(cause, ...(Array.isArray(errors) ? errors : []));
  }
  return failure;
}

export const UNAVAILABLE_BODY = { error: 'database unavailable, retry' };
export const DISK_FULL_BODY = { error: 'disk full' };

/**
 * A write that failed for lack of disk space, remembered per database until a write succeeds, so /healthz
 * reports it: reads (all /healthz does) still work on a full disk.
 */
const diskFullSince = new WeakMap<Database, Date>();

export function noteDiskFull(database: Database, at = new Date()): void {
  if (!diskFullSince.has(database)) diskFullSince.set(database, at);
}

export function noteWriteSucceeded(database: Database): void {
  diskFullSince.delete(database);
}

export function diskFull(database: Database): Date | null {
  return diskFullSince.get(database) ?? null;
}

/** Runs `check` but gives up after `ms`: a hung connection must not hang the caller (e.g. /healthz). */
export function raceTimeout<T>(check: () => Promise<T>, ms: number, what = 'the database'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} did not answer within ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([check(), timeout]).finally(() => clearTimeout(timer));
}

export interface WaitOptions {
  /** Give up after this long (start-up is bounded so an orchestrator sees the failure and restarts us). */
  timeoutMs: number;
  /** Each attempt's own limit; by default a quarter of the whole, between 1 and 5 s, so several are logged. */
  attemptMs?: number;
  /** Pause between attempts (doubling up to 5 s). */
  delayMs?: number;
  logger: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

export class DatabaseUnreachableError extends Error {}

/**
 * Waits until the database answers `select 1`, logging each failed attempt, or throws after `timeoutMs`
 * (at once for errors that retrying cannot fix).
 * Start-up calls it before migrating, so an unreachable host is reported instead of hanging silently.
 */
export async function waitForDatabase(database: Database, options: WaitOptions): Promise<void> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  let delay = options.delayMs ?? 500;
  const attemptMs = options.attemptMs ?? Math.min(5000, Math.max(1000, options.timeoutMs / 4));
  for (let attempt = 1; ; attempt++) {
    const left = deadline - Date.now();
    try {
      await raceTimeout(() => database.db.execute(sql`select 1`), Math.max(1, Math.min(attemptMs, left)));
      if (attempt > 1) options.logger.info({ attempt }, 'the database answered');
      return;
    } catch (error) {
      const reason = failureReason(error);
      // A wrong password or database name will not fix itself: say so now rather than after the timeout.
      if (databaseFailure(error) !== 'unavailable') throw new Error(`the database refused the connection: ${reason}`);
      if (Date.now() + delay >= deadline) {
        throw new DatabaseUnreachableError(
          `the database did not answer within ${Math.round((Date.now() - started) / 1000)} s (${attempt} attempts; last: ${reason}). ` +
            'Check DATABASE_URL and that the server is up; DB_STARTUP_TIMEOUT sets how long start-up waits.',
        );
      }
      options.logger.warn({ attempt, reason, retryInMs: delay }, `the database is not reachable (attempt ${attempt}: ${reason}); retrying`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }
}

/** The innermost useful message (drizzle's "Failed query: …" would repeat the SQL). */
export function failureReason(error: unknown): string {
  let e = error as { message?: string; code?: string; cause?: unknown } | undefined;
  while (e?.cause && typeof e.cause === 'object') e = e.cause as typeof e;
  return [e?.code, e?.message].filter(Boolean).join(' ').slice(0, 300) || String(error);
}
