import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { queryRows } from '../client.js';
import { leadEvents, leads, type LeadStage } from '../schema.js';
import type { ScoreReason } from '../../src/scoring/types.js';
import type { StoredLeadFields } from '../../src/leads/merge.js';

export type LeadRow = typeof leads.$inferSelect;

const asJson = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

/** Locks and returns the stored leads with these (source, external id) keys. */
export function lockLeadsByKeys(db: DbOrTx, keys: Array<{ source: string; externalId: string }>): Promise<LeadRow[]> {
  if (keys.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(leads)
    .where(
      sql`(${leads.source}, ${leads.externalId}) in (select k.s, k.e from jsonb_to_recordset(${asJson(
        keys.map((k) => ({ s: k.source, e: k.externalId })),
      )}) as k(s text, e text))`,
    )
    .for('update');
}

export interface LeadUpsert extends StoredLeadFields {
  source: string;
  externalId: string;
  outcome?: string | null;
  lastActivityAt: Date | null;
}

/**
 * Inserts or updates leads. A concurrent writer may have added attributes since we read the row,
 * so attributes merge in SQL too rather than overwrite.
 */
export function upsertLeads(db: DbOrTx, rows: LeadUpsert[], now: Date) {
  if (rows.length === 0) return Promise.resolve([]);
  return db
    .insert(leads)
    .values(rows.map((r) => ({ ...r, createdAt: now, updatedAt: now })))
    .onConflictDoUpdate({
      target: [leads.source, leads.externalId],
      set: {
        email: sql`excluded.email`,
        name: sql`excluded.name`,
        company: sql`excluded.company`,
        title: sql`excluded.title`,
        country: sql`excluded.country`,
        attributes: sql`${leads.attributes} || excluded.attributes`,
        outcome: sql`coalesce(excluded.outcome, ${leads.outcome})`,
        lastActivityAt: sql`greatest(${leads.lastActivityAt}, excluded.last_activity_at)`,
        updatedAt: now,
      },
    })
    .returning({ id: leads.id, source: leads.source, externalId: leads.externalId });
}

export interface NewEvent {
  leadId: number;
  type: string;
  occurredAt: Date;
  data?: Record<string, unknown>;
}

/** Appends events; one already stored (same lead, type and time) is skipped. Returns the ones added. */
export function appendLeadEvents(db: DbOrTx, events: NewEvent[]) {
  if (events.length === 0) return Promise.resolve([]);
  return db
    .insert(leadEvents)
    .values(events)
    .onConflictDoNothing()
    .returning({ leadId: leadEvents.leadId, occurredAt: leadEvents.occurredAt });
}

/** Per lead, how many events of each type it has. */
export async function countEventsByType(db: DbOrTx, leadIds: number[]): Promise<Map<number, Map<string, number>>> {
  const counts = new Map<number, Map<string, number>>();
  if (leadIds.length === 0) return counts;
  const rows = await queryRows<{ lead_id: string | number; type: string; n: number }>(
    db,
    sql`select lead_id, type, count(*)::int as n from lead_events
        where lead_id in (select jsonb_array_elements_text(${asJson(leadIds)})::bigint)
        group by lead_id, type`,
  );
  for (const row of rows) {
    const id = Number(row.lead_id);
    if (!counts.has(id)) counts.set(id, new Map());
    counts.get(id)!.set(row.type, row.n);
  }
  return counts;
}

export interface LeadScoreUpdate {
  id: number;
  score: number;
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
      qualified = v.qualified, stage = v.stage, qualification_count = v.qualification_count,
      updated_at = ${now.toISOString()}::timestamptz
    from jsonb_to_recordset(${asJson(updates.map((u) => ({ ...u, criteria_version: u.criteriaVersion, qualification_count: u.qualificationCount })))})
      as v(id bigint, score int, breakdown jsonb, criteria_version int, qualified boolean, stage text, qualification_count int)
    where l.id = v.id`);
}

export async function findLeadByKey(db: DbOrTx, source: string, externalId: string): Promise<LeadRow | undefined> {
  const [row] = await db
    .select()
    .from(leads)
    .where(sql`${leads.source} = ${source} and ${leads.externalId} = ${externalId}`);
  return row;
}

export async function findLeadById(db: DbOrTx, id: number): Promise<LeadRow | undefined> {
  const [row] = await db.select().from(leads).where(eq(leads.id, id));
  return row;
}

/** Every event of a lead, for scoring one lead outside a batch. */
export function listLeadEventTypes(db: DbOrTx, leadId: number) {
  return db.select({ type: leadEvents.type }).from(leadEvents).where(eq(leadEvents.leadId, leadId));
}

export async function setLeadStage(db: DbOrTx, id: number, stage: LeadStage, now: Date): Promise<void> {
  await db.update(leads).set({ stage, updatedAt: now }).where(eq(leads.id, id));
}
