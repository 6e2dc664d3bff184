import { and, inArray, sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../client.js';
import { leadOutcomes, leads } from '../schema.js';

export type OutcomeRow = typeof leadOutcomes.$inferSelect;
export type NewOutcome = Pick<OutcomeRow, 'leadId' | 'stage' | 'amount' | 'currency' | 'occurredAt' | 'reason'>;

/** Each of these leads' latest outcome per stage (by occurredAt, ties: the later id). */
export async function findLatestOutcomesPerStage(db: DbOrTx, leadIds: number[]): Promise<OutcomeRow[]> {
  if (leadIds.length === 0) return [];
  return db
    .selectDistinctOn([leadOutcomes.leadId, leadOutcomes.stage])
    .from(leadOutcomes)
    .where(inArray(leadOutcomes.leadId, leadIds))
    .orderBy(leadOutcomes.leadId, leadOutcomes.stage, sql`${leadOutcomes.occurredAt} desc`, sql`${leadOutcomes.id} desc`);
}

/**
 * Inserts the outcomes not stored yet (same lead, stage and occurredAt: skipped) and returns those it inserted,
 * in id order. One JSON parameter instead of 6 per row: a batch of 1,000 takes a tenth of the time on PGlite.
 */
export async function insertNewOutcomes(db: DbOrTx, outcomes: NewOutcome[], now: Date): Promise<OutcomeRow[]> {
  if (outcomes.length === 0) return [];
  const values = outcomes.map((o, n) => ({ ...o, occurredAt: o.occurredAt.toISOString(), n }));
  const ids = await queryRows<{ id: number }>(
    db,
    sql`insert into ${leadOutcomes} (lead_id, stage, amount, currency, occurred_at, reason, recorded_at)
        select x."leadId", x.stage, x.amount, x.currency, x."occurredAt", x.reason, ${now.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
          as x("leadId" bigint, stage text, amount numeric(18, 2), currency text, "occurredAt" timestamptz, reason text, n int)
        order by x.n
        on conflict (lead_id, stage, occurred_at) do nothing
        returning id`,
  );
  if (ids.length === 0) return [];
  return db
    .select()
    .from(leadOutcomes)
    .where(
      inArray(
        leadOutcomes.id,
        ids.map((r) => Number(r.id)),
      ),
    )
    .orderBy(leadOutcomes.id);
}

/** The stored outcomes of these leads at these times (the keys a request resolved to), to answer with what is stored. */
export async function findOutcomesAt(db: DbOrTx, keys: Array<{ leadId: number; occurredAt: Date }>): Promise<OutcomeRow[]> {
  if (keys.length === 0) return [];
  return db
    .select()
    .from(leadOutcomes)
    .where(
      and(
        inArray(leadOutcomes.leadId, [...new Set(keys.map((k) => k.leadId))]),
        inArray(
          leadOutcomes.occurredAt,
          [...new Set(keys.map((k) => k.occurredAt.getTime()))].map((t) => new Date(t)),
        ),
      ),
    );
}

/**
 * Sets each lead's CRM stage to its latest outcome's (by occurredAt), so an outcome that arrives late, dated
 * before the lead's current one, is stored without turning the stage back. At the same time a closed deal (won,
 * lost) outranks the opportunity it closed, whatever order they came in; then the later id. Returns the leads
 * whose stage changed.
 */
export async function refreshCrmStages(db: DbOrTx, leadIds: number[], now: Date): Promise<number[]> {
  if (leadIds.length === 0) return [];
  const changed = await queryRows<{ id: number }>(
    db,
    sql`update ${leads} set crm_stage = l.stage, crm_stage_at = l.occurred_at, updated_at = ${now.toISOString()}::timestamptz
        from (
          select distinct on (lead_id) lead_id, stage, occurred_at from ${leadOutcomes}
          where lead_id in (${sql.join(
            leadIds.map((id) => sql`${id}`),
            sql`, `,
          )})
          order by lead_id, occurred_at desc, (stage = 'opportunity') asc, id desc
        ) l
        where ${leads.id} = l.lead_id
          and (${leads.crmStage} is distinct from l.stage or ${leads.crmStageAt} is distinct from l.occurred_at)
        returning ${leads.id} as id`,
  );
  return changed.map((r) => Number(r.id));
}

export async function findLeadsByIds(db: DbOrTx, ids: number[]) {
  if (ids.length === 0) return [];
  return db.select().from(leads).where(inArray(leads.id, ids));
}
