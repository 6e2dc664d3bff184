import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { leads } from '../schema.js';
import type { ScoreReason } from '../types.js';

const asJson = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

/** The columns scoring reads of a lead (with its id): re-scoring and the routes' spread select them. */
export const SCORABLE_LEAD_COLUMNS = {
  id: leads.id,
  source: leads.source,
  externalId: leads.externalId,
  email: leads.email,
  name: leads.name,
  company: leads.company,
  title: leads.title,
  country: leads.country,
  attributes: leads.attributes,
};

/**
 * Locks the next leads (by id, after `afterId`) whose stored score is stale: made by another version than
 * `version`, or due for re-scoring by `now` (decay, an event leaving a window: `rescore_due_at`). Waits for
 * rows an ingest holds, so a score is never written from data older than what the ingest just stored.
 */
export function lockStaleLeads(db: DbOrTx, version: number, now: Date, afterId: number, limit: number) {
  return db
    .select({ ...SCORABLE_LEAD_COLUMNS, lastActivityAt: leads.lastActivityAt })
    .from(leads)
    .where(
      sql`${leads.id} > ${afterId}
        and (${leads.criteriaVersion} is distinct from ${version} or ${leads.rescoreDueAt} <= ${now.toISOString()}::timestamptz)`,
    )
    .orderBy(leads.id)
    .limit(limit)
    .for('update');
}

export interface RescoredLead {
  id: number;
  score: number;
  breakdown: ScoreReason[];
  qualified: boolean;
  criteriaVersion: number;
  rescoreDueAt: Date | null;
}

/**
 * Stores re-computed scores. Only the score columns: stage, qualification count and handoffs are left
 * alone, so neither a criteria change nor decay hands a lead to sales, or takes one away, by itself. `updated_at` moves only when the
 * score, verdict or reasons changed.
 */
export async function storeRescoredLeads(db: DbOrTx, rows: RescoredLead[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(sql`
    update leads l set
      updated_at = case when (l.score, l.qualified, l.score_breakdown) is distinct from (v.score, v.qualified, v.breakdown)
                        then ${now.toISOString()}::timestamptz else l.updated_at end,
      score = v.score, score_breakdown = v.breakdown, qualified = v.qualified, criteria_version = v.criteria_version,
      rescore_due_at = v.rescore_due_at
    from jsonb_to_recordset(${asJson(
      rows.map((r) => ({ ...r, criteria_version: r.criteriaVersion, rescore_due_at: r.rescoreDueAt?.toISOString() ?? null })),
    )})
      as v(id bigint, score int, breakdown jsonb, qualified boolean, criteria_version int, rescore_due_at timestamptz)
    where l.id = v.id`);
}
