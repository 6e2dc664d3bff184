import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { handoffs, leadOutcomes, leads, type HandoffDecision, type OutcomeStage } from '../schema.js';

/** A handoff opened in the period, with its lead's source and when the lead's next handoff opened (null: none). */
export interface CohortHandoff {
  leadId: number;
  createdAt: Date;
  criteriaVersion: number;
  source: string;
  decision: HandoffDecision | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  claimedBy: string | null;
  routeName: string | null;
  /** When the lead's next handoff opened: outcomes from then on belong to that MQL. Null: none yet. */
  nextCreatedAt: Date | null;
}

export interface CohortOutcome {
  leadId: number;
  stage: OutcomeStage;
  occurredAt: Date;
}

const inPeriod = (from: Date, to: Date) => and(gte(handoffs.createdAt, from), lt(handoffs.createdAt, to));

/**
 * The MQLs of a funnel: the handoffs opened in [from, to) and their leads' CRM outcomes since `from` (an outcome
 * before the first of them belongs to no MQL of the period). Two queries, each one pass over the period.
 */
export async function listFunnelCohort(
  db: DbOrTx,
  from: Date,
  to: Date,
): Promise<{ handoffs: CohortHandoff[]; outcomes: CohortOutcome[] }> {
  const cohort = await db
    .select({
      leadId: handoffs.leadId,
      createdAt: handoffs.createdAt,
      criteriaVersion: handoffs.criteriaVersion,
      source: leads.source,
      decision: handoffs.decision,
      decidedAt: handoffs.decidedAt,
      decidedBy: handoffs.decidedBy,
      claimedBy: handoffs.claimedBy,
      routeName: handoffs.routeName,
      // The lead's next handoff (by its qualification number): from then on its outcomes are that MQL's.
      nextCreatedAt:
        sql<Date | null>`(select min(next.created_at) from ${handoffs} as next where next.lead_id = ${handoffs.leadId} and next.qualification > ${handoffs.qualification})`.mapWith(
          handoffs.createdAt,
        ),
    })
    .from(handoffs)
    .innerJoin(leads, eq(leads.id, handoffs.leadId))
    .where(inPeriod(from, to));
  const leadsOfPeriod = db.selectDistinct({ leadId: handoffs.leadId }).from(handoffs).where(inPeriod(from, to));
  const outcomes = await db
    .select({ leadId: leadOutcomes.leadId, stage: leadOutcomes.stage, occurredAt: leadOutcomes.occurredAt })
    .from(leadOutcomes)
    .where(and(inArray(leadOutcomes.leadId, leadsOfPeriod), gte(leadOutcomes.occurredAt, from)));
  return { handoffs: cohort, outcomes };
}
