import type { Database } from '../db/client.js';
import type { TestApp } from '../harness/app.js';
import type { GeneratedLead } from './generated-leads.js';
import { insertRows, plainClient, type PlainClient } from './plain-client.js';

/** Leads per POST /api/leads (and per plain multi-row insert), as a feed sends them. */
export const BATCH_SIZE = 1000;

/** Posts the leads through POST /api/leads; returns how many were queued for sales. */
export async function postLeads(app: TestApp, leads: GeneratedLead[]): Promise<number> {
  const res = await app.api('/api/leads', { leads });
  if (res.status !== 200 || res.body.leads?.length !== leads.length) {
    throw new Error(`POST /api/leads answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  }
  return res.body.leads.filter((l: { queuedForSales: boolean }) => l.queuedForSales).length;
}

const PLAIN_TABLE = 'bench_plain_leads';
const PLAIN_COLUMNS = ['source', 'external_id', 'email', 'name', 'company', 'title', 'country', 'attributes', 'events'];

/** The intake floor's table: the lead payload's columns, no keys, no indexes. */
async function createPlainLeadsTable(client: PlainClient): Promise<void> {
  await client.query(`drop table if exists ${PLAIN_TABLE}`);
  await client.query(
    `create table ${PLAIN_TABLE} (source text, external_id text, email text, name text, company text, title text, country text,
      attributes jsonb, events jsonb)`,
  );
}

/** The intake floor: the same leads in one multi-row insert, JSON for the nested parts (as drivers send it). */
async function insertPlainLeads(client: PlainClient, leads: GeneratedLead[]): Promise<void> {
  const rows = leads.map((l) => [
    l.source,
    l.externalId,
    l.email,
    l.name,
    l.company,
    l.title,
    l.country,
    JSON.stringify(l.attributes),
    JSON.stringify(l.events),
  ]);
  await insertRows(client, PLAIN_TABLE, PLAIN_COLUMNS, rows);
}

/** Guards the floor against measuring the wrong thing: every row stored, the nested parts as JSON objects/arrays. */
async function checkPlainLeads(client: PlainClient, expected: number): Promise<void> {
  const [row] = await client.query<{ n: number; json: number }>(
    `select count(*)::int as n, count(*) filter (where jsonb_typeof(attributes) = 'object' and jsonb_typeof(events) = 'array')::int as json
     from ${PLAIN_TABLE}`,
  );
  if (row!.n !== expected || row!.json !== expected) {
    throw new Error(`the plain insert stored ${row!.n} rows (${row!.json} with JSON parts), expected ${expected}`);
  }
}

export interface IntakeTimes {
  /** Each batch's time through the API, in ms, in order. */
  latencies: number[];
  seconds: number;
  queued: number;
  /** The same batches as plain multi-row inserts. */
  plainSeconds: number;
  driver: string;
}

/**
 * The batches through POST /api/leads, one after another, then the same batches into the plain table (created
 * here), each preceded by `warmUp` when given (not counted: JIT, connection pool, plan caches).
 */
export async function timeIntakeAndFloor(
  app: TestApp,
  database: Database,
  batches: GeneratedLead[][],
  warmUp?: GeneratedLead[],
): Promise<IntakeTimes> {
  if (warmUp) await postLeads(app, warmUp);
  const latencies: number[] = [];
  let queued = 0;
  const started = performance.now();
  for (const batch of batches) {
    const t = performance.now();
    queued += await postLeads(app, batch);
    latencies.push(performance.now() - t);
  }
  const seconds = (performance.now() - started) / 1000;

  const plain = plainClient(database);
  await createPlainLeadsTable(plain);
  if (warmUp) await insertPlainLeads(plain, warmUp);
  const plainStarted = performance.now();
  for (const batch of batches) await insertPlainLeads(plain, batch);
  const plainSeconds = (performance.now() - plainStarted) / 1000;
  await checkPlainLeads(plain, batches.flat().length + (warmUp?.length ?? 0));
  return { latencies, seconds, queued, plainSeconds, driver: plain.driver };
}
