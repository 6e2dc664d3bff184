import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { auditLog, handoffs, leadOutcomes, leads } from '../schema.js';
import type { HandoffRow } from './handoffs.js';

/** A lead's handoffs, oldest (first qualification) first. */
export function findHandoffsOfLead(db: DbOrTx, leadId: number): Promise<HandoffRow[]> {
  return db.select().from(handoffs).where(eq(handoffs.leadId, leadId)).orderBy(asc(handoffs.qualification));
}

/** Every action on a handoff (claim, accept, reject, release, reassign), oldest first, from the audit log. */
export function findActionsOnHandoff(db: DbOrTx, handoffId: number) {
  return db
    .select({ at: auditLog.at, action: auditLog.action, actor: auditLog.actor, from: auditLog.fromState, to: auditLog.toState })
    .from(auditLog)
    .where(and(eq(auditLog.entity, 'handoff'), eq(auditLog.entityId, String(handoffId))))
    .orderBy(asc(auditLog.at), asc(auditLog.id));
}

/** What the CRM reported for a lead, in the order it happened. */
export function findOutcomesOfLead(db: DbOrTx, leadId: number) {
  return db
    .select({
      stage: leadOutcomes.stage,
      amount: leadOutcomes.amount,
      currency: leadOutcomes.currency,
      occurredAt: leadOutcomes.occurredAt,
      reason: leadOutcomes.reason,
    })
    .from(leadOutcomes)
    .where(eq(leadOutcomes.leadId, leadId))
    .orderBy(asc(leadOutcomes.occurredAt), asc(leadOutcomes.id));
}

/** A row's `updated_at` to the microsecond, as stored: a cursor cut to JavaScript's milliseconds would meet its row again. */
const updatedAtText = sql<string>`to_char(${handoffs.updatedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface HandoffPageQuery {
  /** Only handoffs changed at or after this time. */
  since: Date | null;
  /** Only handoffs after this one in (updated_at, id) order: where the previous page ended. */
  after: { at: string; id: number } | null;
  limit: number;
}

/** Handoffs in (updated_at, id) order with their leads' names; `updatedAtText` is the exact key a next page continues after. */
export function findHandoffsChanged(db: DbOrTx, q: HandoffPageQuery) {
  const conditions: SQL[] = [];
  if (q.since) conditions.push(sql`${handoffs.updatedAt} >= ${q.since.toISOString()}::timestamptz`);
  if (q.after) conditions.push(sql`(${handoffs.updatedAt}, ${handoffs.id}) > (${q.after.at}::timestamptz, ${q.after.id})`);
  return db
    .select({
      handoff: handoffs,
      updatedAtText,
      lead: { source: leads.source, externalId: leads.externalId, email: leads.email, name: leads.name, company: leads.company },
    })
    .from(handoffs)
    .innerJoin(leads, eq(leads.id, handoffs.leadId))
    .where(and(...conditions))
    .orderBy(asc(handoffs.updatedAt), asc(handoffs.id))
    .limit(q.limit);
}
