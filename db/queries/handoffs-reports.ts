import { and, gte, isNotNull, isNull, or } from 'drizzle-orm';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { handoffs, leads, type HandoffDecision } from '../schema.js';

/** A handoff as the reports (src/sla/report.ts) see it. */
export interface ReportHandoff {
  id: number;
  postedAt: Date;
  claimableSince: Date | null;
  claimedBy: string | null;
  claimedAt: Date | null;
  firstClaimedAt: Date | null;
  decision: HandoffDecision | null;
  reasonCode: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  channel: string | null;
  messageTs: string | null;
  leadName: string | null;
  leadEmail: string | null;
  leadCompany: string | null;
  leadExternalId: string;
}

/** Handoffs posted since `since`, plus every one still open however old: what digests and stats read. */
export async function listReportHandoffs(db: DbOrTx, since: Date): Promise<ReportHandoff[]> {
  const rows = await db
    .select({
      id: handoffs.id,
      postedAt: handoffs.postedAt,
      claimableSince: handoffs.claimableSince,
      claimedBy: handoffs.claimedBy,
      claimedAt: handoffs.claimedAt,
      firstClaimedAt: handoffs.firstClaimedAt,
      decision: handoffs.decision,
      reasonCode: handoffs.reasonCode,
      decidedBy: handoffs.decidedBy,
      decidedAt: handoffs.decidedAt,
      channel: handoffs.channel,
      messageTs: handoffs.messageTs,
      leadName: leads.name,
      leadEmail: leads.email,
      leadCompany: leads.company,
      leadExternalId: leads.externalId,
    })
    .from(handoffs)
    .innerJoin(leads, eq(leads.id, handoffs.leadId))
    .where(and(isNotNull(handoffs.postedAt), or(gte(handoffs.postedAt, since), isNull(handoffs.decision))));
  return rows.map((r) => ({ ...r, postedAt: r.postedAt! }));
}
