import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import { prepareDatabase } from '../../src/prepare-database.js';
import { ImportError, importCsv, type ImportOptions } from '../../src/leads/import.js';
import { createTestDatabase, resetDatabase, type TestDatabase } from '../helpers/db.js';
import { useScratchDir } from './fixtures.js';

const REAL_CSV = path.resolve(import.meta.dirname, '../../data/x-education-leads.csv');
const NOW = new Date('2026-11-23T10:00:00Z');
const quiet = { info: () => {} };
const { scratch, csvFile } = useScratchDir();

async function count(database: TestDatabase, query: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(database.db, sql.raw(`select count(*)::int as n from ${query}`));
  return row!.n;
}

interface StoredLead {
  external_id: string;
  email: string | null;
  name: string | null;
  company: string | null;
  title: string | null;
  country: string | null;
  attributes: Record<string, unknown>;
  outcome: string | null;
  stage: string;
  score: number;
}

async function lead(database: TestDatabase, externalId: string): Promise<StoredLead> {
  const [row] = await queryRows<StoredLead & Record<string, unknown>>(
    database.db,
    sql`select * from leads where external_id = ${externalId}`,
  );
  return row!;
}

describe('importing the X Education file', () => {
  let database: TestDatabase;
  const options: ImportOptions = { file: REAL_CSV, source: 'x-education', idColumn: 'Prospect ID', outcomeColumn: 'Converted', now: NOW };
  let first: Awaited<ReturnType<typeof importCsv>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    await prepareDatabase(database, quiet);
    first = await importCsv(database.db, options);
  });
  afterAll(() => database.close());

  it('stores every row as a scored lead with its known outcome, and queues nothing for sales', async () => {
    const rows = parse(readFileSync(REAL_CSV), { columns: true, bom: true }) as Array<Record<string, string>>;
    const converted = rows.filter((r) => r.Converted === '1').length;
    expect(rows).toHaveLength(9240);
    expect(first).toMatchObject({ rowsRead: 9240, inserted: 9240, updated: 0, unchanged: 0, rejected: 0, queuedForSales: 0 });
    expect(await count(database, 'leads')).toBe(9240);
    expect(await count(database, "leads where outcome = 'converted'")).toBe(converted);
    expect(await count(database, "leads where outcome = 'not_converted'")).toBe(9240 - converted);
    expect(await count(database, 'leads where qualified')).toBe(first.qualified);
    expect(first.qualified).toBeGreaterThan(0);
    expect(await count(database, "leads where stage <> 'lead'")).toBe(0);
    expect(await count(database, 'outbox')).toBe(0);
    expect(await count(database, 'handoffs')).toBe(0);
  });

  it('turns "Select" and blanks into null, numbers into numbers, and Country into the country field', async () => {
    // Line 3 of the file: 2a272436-…,660728,API,Organic Search,No,No,0,5,674,2.5,Email Opened,India,Select,…,02.Medium,…
    const row = await lead(database, '2a272436-5132-4136-86fa-dcc88c88f482');
    expect(row).toMatchObject({ country: 'India', outcome: 'not_converted', email: null });
    expect(row.attributes).toMatchObject({
      'Lead Number': 660728,
      TotalVisits: 5,
      'Total Time Spent on Website': 674,
      'Page Views Per Visit': 2.5,
      'Last Activity': 'Email Opened',
      Specialization: null,
      'Lead Quality': null,
      'Asymmetrique Activity Index': '02.Medium',
    });
    // Neither the id, the outcome, the core field nor the trailing empty-named column is an attribute.
    const keys = Object.keys(row.attributes);
    expect(keys.filter((k) => ['Prospect ID', 'Converted', 'Country', ''].includes(k))).toEqual([]);
    expect(keys).toHaveLength(38 - 4);
  });

  it('changes nothing when the same file is imported again', async () => {
    const snapshot = sql.raw(
      'select id, email, country, attributes, score, score_breakdown, qualified, stage, outcome, updated_at from leads order by id',
    );
    const before = await queryRows(database.db, snapshot);
    const again = await importCsv(database.db, { ...options, now: new Date(NOW.getTime() + 60_000) });
    expect(again).toMatchObject({ rowsRead: 9240, inserted: 0, updated: 0, unchanged: 9240, qualified: first.qualified });
    expect(await queryRows(database.db, snapshot)).toEqual(before);
    expect(await count(database, 'outbox')).toBe(0);
    expect(await count(database, 'audit_log')).toBe(0);
  });
});

describe('importing small files', () => {
  let database: TestDatabase;
  const run = (text: string, extra: Partial<ImportOptions> = {}) =>
    importCsv(database.db, { file: csvFile(text), source: 'crm', idColumn: 'id', now: NOW, ...extra });

  beforeAll(async () => {
    database = await createTestDatabase();
    await prepareDatabase(database, quiet);
  });
  beforeEach(() => resetDatabase(database));
  afterAll(() => database.close());

  it('fills core fields from same-named columns and keeps code-like and formatted numbers as text', async () => {
    await run(
      [
        'id,EMAIL,Name,company,Title,country,zip,visits,ratio,delta,formatted,sci,blank,Plan,',
        'c1, ada@example.com ,Ada,1234,VP of Sales,select,02134,674,2.50,-3,"1,532",1e3,  ,SELECT,',
      ].join('\n'),
    );
    const row = await lead(database, 'c1');
    expect(row).toMatchObject({ email: 'ada@example.com', name: 'Ada', company: '1234', title: 'VP of Sales', country: null });
    expect(row.attributes).toEqual({
      zip: '02134',
      visits: 674,
      ratio: 2.5,
      delta: -3,
      formatted: '1,532',
      sci: '1e3',
      blank: null,
      Plan: null,
    });
  });

  it('rejects bad rows with their line numbers and reasons, and imports the rest', async () => {
    const summary = await run(
      [
        'id,email,notes,Converted',
        'ok-1,a@example.com,plain,1', // line 2
        ',b@example.com,no id,0', // line 3: missing id
        'ok-2,,"spans', // line 4 …
        'two lines",no', // … and 5
        '', // line 6: blank
        'bad-email,not-an-email,x,1', // line 7
        'bad-outcome,,x,maybe', // line 8
        'too-wide,,x,1,surplus', // line 9
        'ok-3,,x,', // line 10: unknown outcome is allowed
        'nul,,x\u0000y,1', // line 11: nothing can store a NUL
      ].join('\r\n'),
      { outcomeColumn: 'Converted' },
    );
    expect(summary).toMatchObject({ rowsRead: 8, inserted: 3, rejected: 5 });
    expect(summary.rejectedRows).toEqual([
      { line: 3, reason: 'id: is required' },
      { line: 7, reason: 'email: must be an email address' },
      { line: 8, reason: 'Converted: "maybe" is not an outcome (1/0, yes/no, true/false, converted/not_converted)' },
      { line: 9, reason: 'has 5 fields, the header has 4' },
      { line: 11, reason: 'notes: contains a NUL character' },
    ]);
    expect((await lead(database, 'ok-2')).attributes).toEqual({ notes: 'spans\r\ntwo lines' });
    const outcomes = await queryRows<{ external_id: string; outcome: string | null }>(
      database.db,
      sql`select external_id, outcome from leads order by external_id`,
    );
    expect(outcomes).toEqual([
      { external_id: 'ok-1', outcome: 'converted' },
      { external_id: 'ok-2', outcome: 'not_converted' },
      { external_id: 'ok-3', outcome: null },
    ]);
  });

  it('lets a later row with the same id win, within a batch and across batches', async () => {
    const summary = await run(['id,plan', 'd1,free', 'd2,free', 'd1,pro', 'd2,team', 'd1,enterprise'].join('\n'), { batchSize: 3 });
    expect(summary).toMatchObject({ rowsRead: 5, duplicateIds: 3, rejected: 0 });
    expect(await count(database, 'leads')).toBe(2);
    expect((await lead(database, 'd1')).attributes).toEqual({ plan: 'enterprise' });
    expect((await lead(database, 'd2')).attributes).toEqual({ plan: 'team' });
  });

  it('queues a post for each qualifying lead with --post, once', async () => {
    const file = csvFile(['id,Lead Origin', 'hot-1,Lead Add Form', 'hot-2,Lead Add Form', 'cold,API'].join('\n'));
    const options = { file, source: 'crm', idColumn: 'id', now: NOW, post: true };
    const summary = await importCsv(database.db, options);
    expect(summary).toMatchObject({ inserted: 3, qualified: 2, queuedForSales: 2 });
    expect(await count(database, "outbox where kind = 'post_mql'")).toBe(2);
    expect((await lead(database, 'hot-1')).stage).toBe('mql');
    expect((await lead(database, 'cold')).stage).toBe('lead');

    expect(await importCsv(database.db, options)).toMatchObject({ unchanged: 3, queuedForSales: 0 });
    expect(await count(database, 'outbox')).toBe(2);
  });

  it('stops between batches when interrupted, keeping the batches already committed', async () => {
    const interrupt = new AbortController();
    const text = ['id', ...Array.from({ length: 10 }, (_, i) => `i${i}`)].join('\n');
    await expect(run(text, { batchSize: 4, signal: interrupt.signal, onProgress: () => interrupt.abort() })).rejects.toThrow();
    expect(await count(database, 'leads')).toBe(4);
  });

  it('explains a missing file, an unknown id column and an empty file', async () => {
    const missing = importCsv(database.db, { file: path.join(scratch, 'nope.csv'), source: 'crm', idColumn: 'id' });
    await expect(missing).rejects.toThrow(ImportError);
    await expect(missing).rejects.toThrow(/cannot read .*nope\.csv: no such file/);
    await expect(run('Prospect ID,email\nx,\n', { idColumn: 'Lead Id' })).rejects.toThrow(
      '--id-column "Lead Id" is not a column of the file; its columns are "Prospect ID", "email"',
    );
    await expect(run('')).rejects.toThrow(/is empty: expected a header row/);
    expect(await count(database, 'leads')).toBe(0);
  });
});
