import { and, asc, eq, gte, isNotNull, isNull, or } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { handoffs, leads } from '../schema.js';

/** A posted handoff as the App Home shows it: its clocks, its owner, and what the lead is called. */
export interface HomeHandoff {
  id: number;
  score: number;
  postedAt: Date;
  claimableSince: Date | null;
  claimedBy: string | null;
  claimedAt: Date | null;
  decision: string | null;
  decidedAt: Date | null;
  /** Where the post is, to link to it. */
  channel: string | null;
  messageTs: string | null;
  lead: { name: string | null; email: string | null; company: string | null; externalId: string };
}

/**
 * Every posted handoff still open, plus those decided since `decidedSince` (the day's late decisions):
 * what the Home tabs of reps and managers are built from. Oldest post first.
 */
export async function listHandoffsForHome(db: DbOrTx, decidedSince: Date): Promise<HomeHandoff[]> {
  const rows = await db
    .select({
      id: handoffs.id,
      score: handoffs.score,
      postedAt: handoffs.postedAt,
      claimableSince: handoffs.claimableSince,
      claimedBy: handoffs.claimedBy,
      claimedAt: handoffs.claimedAt,
      decision: handoffs.decision,
      decidedAt: handoffs.decidedAt,
      channel: handoffs.channel,
      messageTs: handoffs.messageTs,
      name: leads.name,
      email: leads.email,
      company: leads.company,
      externalId: leads.externalId,
    })
    .from(handoffs)
    .innerJoin(leads, eq(leads.id, handoffs.leadId))
    .where(and(isNotNull(handoffs.postedAt), or(isNull(handoffs.decision), gte(handoffs.decidedAt, decidedSince))))
    .orderBy(asc(handoffs.postedAt), asc(handoffs.id));
  return rows.map(({ name, email, company, externalId, postedAt, ...h }) => ({
    ...h,
    postedAt: postedAt!,
    lead: { name, email, company, externalId },
  }));
}
