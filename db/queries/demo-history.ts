import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { handoffs, leads } from '../schema.js';
import { recordAudit } from './audit-log.js';

/** A lead handed to sales in the past and decided then: the sandbox's demo history. */
export interface PastHandoff {
  leadId: number;
  score: number;
  threshold: number;
  criteriaVersion: number;
  createdAt: Date;
  rep: string;
  claimedAt: Date;
  decision: 'accepted' | 'rejected';
  reasonCode: string | null;
  decidedAt: Date;
}

/**
 * Writes a decided handoff (the lead's first) as if it had happened at its times: the row, the lead's stage, and
 * the claim and decision in the audit log at their own times, so the reports read it like a real one.
 */
export async function insertPastHandoff(db: DbOrTx, h: PastHandoff): Promise<void> {
  const [row] = await db
    .insert(handoffs)
    .values({
      leadId: h.leadId,
      qualification: 1,
      score: h.score,
      threshold: h.threshold,
      criteriaVersion: h.criteriaVersion,
      postedAt: h.createdAt,
      claimableSince: h.createdAt,
      claimedBy: h.rep,
      claimedAt: h.claimedAt,
      firstClaimedAt: h.claimedAt,
      decision: h.decision,
      reasonCode: h.reasonCode,
      decidedBy: h.rep,
      decidedAt: h.decidedAt,
      createdAt: h.createdAt,
      updatedAt: h.decidedAt,
    })
    .returning({ id: handoffs.id });
  const stage = h.decision === 'accepted' ? 'accepted' : 'nurture';
  await db.update(leads).set({ stage, qualificationCount: 1, updatedAt: h.decidedAt }).where(eq(leads.id, h.leadId));
  const entry = (action: string, details: Record<string, unknown>) => ({
    actor: h.rep,
    action: `handoff.${action}`,
    entity: 'handoff',
    entityId: row!.id,
    details: { leadId: h.leadId, ...details },
  });
  await recordAudit(db, [entry('claim', {})], h.claimedAt);
  await recordAudit(
    db,
    [entry(h.decision === 'accepted' ? 'accept' : 'reject', h.reasonCode ? { reason: h.reasonCode } : {})],
    h.decidedAt,
  );
}
