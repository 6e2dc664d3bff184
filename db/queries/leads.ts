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
 */
export async function claimNewLeads(db: DbOrTx, keys: LeadKey[], now: Date): Promise<LeadKey[]> {
  if (keys.length === 0) return [];
  const at = now.toISOString();
  const rows = await queryRows<{ source: string; external_id: string }>(
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
        returning source, external_id`,
  );
  return rows.map((r) => ({ source: r.source, externalId: r.external_id }));
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

export interface LeadUpsert extends StoredLeadFields {
  source: string;
  externalId: string;
  /** The email as people are matched by (src/leads/email-key.ts); written with the email so they never disagree. */
  emailKey: string | null;
  outcome?: string | null;
  lastActivityAt: Date | null;
}

/**
 * Inserts or updates leads. A concurrent writer may have added attributes since we read the row,
 * so attributes merge in SQL too rather than overwrite. Rows travel as one jsonb parameter: building a
 * 1,000-row VALUES list costs more than the insert itself.
 */
export async function upsertLeads(db: DbOrTx, rows: LeadUpsert[], now: Date) {
  if (rows.length === 0) return [];
  const records = rows.map((r) => ({
    source: r.source,
    external_id: r.externalId,
    email: r.email,
    email_key: r.emailKey,
    name: r.name,
    company: r.company,
    title: r.title,
    country: r.country,
    attributes: r.attributes,
    outcome: r.outcome ?? null,
    last_activity_at: r.lastActivityAt?.toISOString() ?? null,
  }));
  const at = now.toISOString();
  const written = await queryRows<{ id: string | number; source: string; external_id: string }>(
    db,
    sql`insert into leads (source, external_id, email, email_key, name, company, title, country, attributes, outcome,
          last_activity_at, created_at, updated_at)
        select v.source, v.external_id, v.email, v.email_key, v.name, v.company, v.title, v.country, v.attributes, v.outcome,
          v.last_activity_at, ${at}::timestamptz, ${at}::timestamptz
        from jsonb_to_recordset(${asJson(records)}) as v(source text, external_id text, email text, email_key text, name text,
          company text, title text, country text, attributes jsonb, outcome text, last_activity_at timestamptz)
        on conflict (source, external_id) do update set
          email = excluded.email, email_key = excluded.email_key, name = excluded.name, company = excluded.company, title = excluded.title,
          country = excluded.country, attributes = leads.attributes || excluded.attributes,
          outcome = coalesce(excluded.outcome, leads.outcome),
          last_activity_at = greatest(leads.last_activity_at, excluded.last_activity_at),
          updated_at = ${at}::timestamptz
        returning id, source, external_id`,
  );
  return written.map((r) => ({ id: Number(r.id), source: r.source, externalId: r.external_id }));
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

/** Per lead, its events (type and time), as scoring reads them. */
export async function findEventsOfLeads(db: DbOrTx, leadIds: number[]): Promise<Map<number, Array<{ type: string; occurredAt: Date }>>> {
  const events = new Map<number, Array<{ type: string; occurredAt: Date }>>();
  if (leadIds.length === 0) return events;
  const rows = await queryRows<{ lead_id: string | number; type: string; occurred_at: string | Date }>(
    db,
    sql`select lead_id, type, occurred_at from lead_events
        where lead_id in (select jsonb_array_elements_text(${asJson(leadIds)})::bigint)`,
  );
  for (const row of rows) {
    const id = Number(row.lead_id);
    if (!events.has(id)) events.set(id, []);
    events.get(id)!.push({ type: row.type, occurredAt: new Date(row.occurred_at) });
  }
  return events;
}

export interface LeadScoreUpdate {
  id: number;
  score: number;
  rescoreDueAt: Date | null;
  breakdown: ScoreReason[];
  criteriaVersion: number;
  qualified: boolean;
  stage: LeadStage;
  qualificationCount: number;
}

/** Stores scores (and any stage change) for many leads in one statement. */
export async function storeLeadScores(db: DbOrTx, updates: LeadScoreUpdate[], now: Date): Promise<void> {
  if (updates.length === 0) return;
  await db.execute(sql`
    update leads l set
      score = v.score, score_breakdown = v.breakdown, criteria_version = v.criteria_version,
      qualified = v.qualified, stage = v.stage, qualification_count = v.qualification_count, rescore_due_at = v.rescore_due_at,
      updated_at = ${now.toISOString()}::timestamptz
    from jsonb_to_recordset(${asJson(
      updates.map((u) => ({
        ...u,
        criteria_version: u.criteriaVersion,
        qualification_count: u.qualificationCount,
        rescore_due_at: u.rescoreDueAt?.toISOString() ?? null,
      })),
    )})
      as v(id bigint, score int, breakdown jsonb, criteria_version int, qualified boolean, stage text, qualification_count int,
           rescore_due_at timestamptz)
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
