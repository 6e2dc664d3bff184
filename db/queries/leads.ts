import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { queryRows } from '../client.js';
import { leads, type LeadStage } from '../schema.js';
import type { ScoreReason, StoredLeadFields } from '../types.js';

export type LeadRow = typeof leads.$inferSelect;

const asJson = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

type LeadKey = { source: string; externalId: string };
const keysJson = (keys: LeadKey[]) => asJson(keys.map((k) => ({ s: k.source, e: k.externalId })));

/**
 * Creates an empty row for each key not stored yet and returns the keys this transaction created. A lead
 * that does not exist has no row to lock, so without this concurrent first writes all merged from nothing:
 * now a second writer of the same new key waits here (on the unique index) until the first commits, then
 * finds its row. Rows go in sorted by key, so two batches sharing new keys claim them in one order (no
 * deadlock); ids are drawn in the batch's order first, so leads still number in the order they were sent.
 * Unlike an advisory lock per key, this takes no lock-table slot per lead (a 5,000-lead batch would need 5,000).
 * The rows come back with their ids: they hold nothing else yet, so the caller need not read them again.
 */
export async function claimNewLeads(db: DbOrTx, keys: LeadKey[], now: Date): Promise<Array<LeadKey & { id: number }>> {
  if (keys.length === 0) return [];
  const at = now.toISOString();
  const rows = await queryRows<{ id: string | number; source: string; external_id: string }>(
    db,
    sql`with fresh as materialized (
          select k.s, k.e, nextval(pg_get_serial_sequence('leads', 'id')) as id
          from jsonb_to_recordset(${asJson(keys.map((k, i) => ({ s: k.source, e: k.externalId, i })))}) as k(s text, e text, i int)
          where not exists (select 1 from leads l where l.source = k.s and l.external_id = k.e)
          order by k.i
        )
        insert into leads (id, source, external_id, created_at, updated_at)
        select f.id, f.s, f.e, ${at}::timestamptz, ${at}::timestamptz from fresh f
        order by f.s, f.e
        on conflict (source, external_id) do nothing
        returning id, source, external_id`,
  );
  return rows.map((r) => ({ id: Number(r.id), source: r.source, externalId: r.external_id }));
}

/** Locks (in key order, so batches cannot deadlock) and returns the stored leads with these keys. */
export function lockLeadsByKeys(db: DbOrTx, keys: LeadKey[]): Promise<LeadRow[]> {
  if (keys.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(leads)
    .where(sql`(${leads.source}, ${leads.externalId}) in (select k.s, k.e from jsonb_to_recordset(${keysJson(keys)}) as k(s text, e text))`)
    .orderBy(leads.source, leads.externalId)
    .for('update');
}

export interface NewEvent {
  leadId: number;
  type: string;
  occurredAt: Date;
  data?: Record<string, unknown>;
}

export interface AddedEvent {
  leadId: number;
  type: string;
  occurredAt: Date;
}

/** Appends events; one already stored (same lead, type and time) is skipped. Returns the ones added. */
export async function appendLeadEvents(db: DbOrTx, events: NewEvent[], now: Date): Promise<AddedEvent[]> {
  if (events.length === 0) return [];
  const records = events.map((e) => ({ lead_id: e.leadId, type: e.type, occurred_at: e.occurredAt.toISOString(), data: e.data ?? null }));
  const added = await queryRows<{ lead_id: string | number; type: string; occurred_at: string | Date }>(
    db,
    sql`insert into lead_events (lead_id, type, occurred_at, data, created_at)
        select v.lead_id, v.type, v.occurred_at, v.data, ${now.toISOString()}::timestamptz
        from jsonb_to_recordset(${asJson(records)}) as v(lead_id bigint, type text, occurred_at timestamptz, data jsonb)
        on conflict do nothing
        returning lead_id, type, occurred_at`,
  );
  return added.map((r) => ({ leadId: Number(r.lead_id), type: r.type, occurredAt: new Date(r.occurred_at) }));
}

/** Per lead, its events (type and time), as scoring reads them; by an array of ids, so through the index, never a scan of all events. */
export async function findEventsOfLeads(db: DbOrTx, leadIds: number[]): Promise<Map<number, Array<{ type: string; occurredAt: Date }>>> {
  const events = new Map<number, Array<{ type: string; occurredAt: Date }>>();
  if (leadIds.length === 0) return events;
  const rows = await queryRows<{ lead_id: string | number; type: string; occurred_at: string | Date }>(
    db,
    sql`select lead_id, type, occurred_at from lead_events
        where lead_id = any(array(select jsonb_array_elements_text(${asJson(leadIds)})::bigint))`,
  );
  for (const row of rows) {
    const id = Number(row.lead_id);
    if (!events.has(id)) events.set(id, []);
    events.get(id)!.push({ type: row.type, occurredAt: new Date(row.occurred_at) });
  }
  return events;
}

/** A lead as ingest leaves it: its fields and its score, computed from its locked row (src/leads/ingest.ts). */
export interface LeadWrite {
  id: number;
  fields: StoredLeadFields;
  /** The email as people are matched by (src/leads/email-key.ts); written with the email so they never disagree. */
  emailKey: string | null;
  outcome: string | null;
  lastActivityAt: Date | null;
  score: number;
  breakdown: ScoreReason[];
  criteriaVersion: number;
  qualified: boolean;
  stage: LeadStage;
  qualificationCount: number;
  rescoreDueAt: Date | null;
}

/**
 * Writes leads' fields and scores in one statement. The rows exist (claimNewLeads) and are locked by the caller,
 * so the values computed from them are final: nothing is merged here. Rows travel as one jsonb parameter:
 * building a 1,000-row VALUES list costs more than the update itself.
 */
export async function writeLeads(db: DbOrTx, rows: LeadWrite[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  const records = rows.map((r) => ({
    id: r.id,
    email: r.fields.email,
    email_key: r.emailKey,
    name: r.fields.name,
    company: r.fields.company,
    title: r.fields.title,
    country: r.fields.country,
    attributes: r.fields.attributes,
    outcome: r.outcome,
    last_activity_at: r.lastActivityAt?.toISOString() ?? null,
    score: r.score,
    breakdown: r.breakdown,
    criteria_version: r.criteriaVersion,
    qualified: r.qualified,
    stage: r.stage,
    qualification_count: r.qualificationCount,
    rescore_due_at: r.rescoreDueAt?.toISOString() ?? null,
  }));
  await db.execute(sql`
    update leads l set
      email = v.email, email_key = v.email_key, name = v.name, company = v.company, title = v.title, country = v.country,
      attributes = v.attributes, outcome = v.outcome, last_activity_at = v.last_activity_at,
      score = v.score, score_breakdown = v.breakdown, criteria_version = v.criteria_version,
      qualified = v.qualified, stage = v.stage, qualification_count = v.qualification_count, rescore_due_at = v.rescore_due_at,
      updated_at = ${now.toISOString()}::timestamptz
    from jsonb_to_recordset(${asJson(records)})
      as v(id bigint, email text, email_key text, name text, company text, title text, country text, attributes jsonb, outcome text,
           last_activity_at timestamptz, score int, breakdown jsonb, criteria_version int, qualified boolean, stage text,
           qualification_count int, rescore_due_at timestamptz)
    where l.id = v.id`);
}

/** Moves leads to new email keys ahead of writing them, so a lookup of people by key finds them where they will be. */
export async function moveEmailKeys(db: DbOrTx, rows: Array<{ id: number; emailKey: string | null }>): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(sql`
    update leads l set email_key = v.email_key
    from jsonb_to_recordset(${asJson(rows.map((r) => ({ id: r.id, email_key: r.emailKey })))}) as v(id bigint, email_key text)
    where l.id = v.id`);
}

export async function findLeadByKey(db: DbOrTx, source: string, externalId: string): Promise<LeadRow | undefined> {
  const [row] = await db.select().from(leads).where(sql`${leads.source} = ${source} and ${leads.externalId} = ${externalId}`);
  return row;
}

export async function setLeadStage(db: DbOrTx, id: number, stage: LeadStage, now: Date): Promise<void> {
  await db.update(leads).set({ stage, updatedAt: now }).where(eq(leads.id, id));
}

/** How many leads came from one source (e.g. the sandbox's demo leads, to load the next rows of the file). */
export async function countLeadsFromSource(db: DbOrTx, source: string): Promise<number> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(leads).where(eq(leads.source, source));
  return row?.count ?? 0;
}
