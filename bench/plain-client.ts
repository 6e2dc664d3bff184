import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse/sync';
import type { Sql } from 'postgres';
import type { Database } from '../db/client.js';

/*
 * The floors' side of the bench: the same rows written the plainest way, with the driver underneath the app's
 * own database (postgres.js, on the same connection pool; no drizzle, no app code), into plain tables.
 */

export interface PlainClient {
  /** What runs the floor, for the table's floor label. */
  driver: string;
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Loads a CSV file (with its header row) into a table of text columns as fast as this database can take it.
   * Returns how it did that, for the label.
   */
  loadCsv(table: string, file: string): Promise<string>;
}

/** Postgres takes at most 65,535 parameters per statement: multi-row inserts go in statements of this many rows. */
const ROWS_PER_INSERT = 1000;

/** `insert into <table> (<columns>) values (...), (...)`: one statement per ROWS_PER_INSERT rows. */
export async function insertRows(client: PlainClient, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    const tuples = chunk.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
    await client.query(`insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`, chunk.flat());
  }
}

/** A table of `width` text columns c1…cN, created empty (dropped first if a previous run left it). */
export async function createTextTable(client: PlainClient, table: string, width: number): Promise<void> {
  const columns = Array.from({ length: width }, (_, i) => `c${i + 1} text`);
  await client.query(`drop table if exists ${table}`);
  await client.query(`create table ${table} (${columns.join(', ')})`);
}

/** The CSV's data rows, parsed; the header's width. */
async function csvRows(file: string): Promise<{ width: number; rows: string[][] }> {
  const [header, ...rows] = parse(await readFile(file), { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  return { width: header!.length, rows };
}

export async function csvWidth(file: string): Promise<number> {
  const firstLine = (await readFile(file, 'utf8')).split(/\r?\n/, 1)[0]!;
  return (parse(firstLine, { bom: true }) as string[][])[0]!.length;
}

/** Without COPY: the parsed rows in multi-row INSERTs (file read and parse timed too, as COPY reads and parses). */
async function insertCsv(client: PlainClient, table: string, file: string): Promise<void> {
  const { width, rows } = await csvRows(file);
  const columns = Array.from({ length: width }, (_, i) => `c${i + 1}`);
  await insertRows(
    client,
    table,
    columns,
    rows.map((r) => columns.map((_, i) => r[i] ?? null)),
  );
}

function postgresJsClient(client: Sql, kind: Database['kind']): PlainClient {
  const self: PlainClient = {
    driver: 'postgres.js',
    async query<T>(text: string, params: unknown[] = []) {
      return (await client.unsafe(text, params as never[])) as unknown as T[];
    },
    async loadCsv(table, file) {
      if (kind === 'pglite') {
        // COPY FROM STDIN over PGlite's wire (pglite-socket 0.2.17, PGlite 0.5.14) kills it: the connection drops and
        // the socket stops answering.
        await insertCsv(self, table, file);
        return `multi-row INSERTs of the parsed rows (${ROWS_PER_INSERT.toLocaleString('en-US')} a statement; COPY crashes PGlite over the wire)`;
      }
      await pipeline(createReadStream(file), await client.unsafe(`copy ${table} from stdin with (format csv, header true)`).writable());
      return 'COPY FROM STDIN (postgres.js)';
    },
  };
  return self;
}

/** The driver under the app's own database connection: postgres.js, to a server or to PGlite's thread. */
export function plainClient(database: Database): PlainClient {
  const underneath = (database.db as unknown as { $client: unknown }).$client;
  if (typeof (underneath as Sql | undefined)?.unsafe === 'function') return postgresJsClient(underneath as Sql, database.kind);
  // An in-process PGlite (as tests open one) would take COPY FROM '/dev/blob' with the file as a Blob; the bench never opens one.
  throw new Error(`no plain client for a ${database.kind} database wrapping ${String(underneath)}`);
}
