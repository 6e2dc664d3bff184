import { and, asc, desc, eq, gte, isNotNull, isNull, or } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { handoffs, leads, offers } from '../schema.js';

/** What a lead is called by: its name, else its email, else its company, else its id. */
interface HomeLead {
  name: string | null;
  email: string | null;
  company: string | null;
  externalId: string;
}

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
  /** Set while the lead is offered to its route's team one rep at a time (nobody else may claim it). */
  offerMode?: string | null;
  lead: HomeLead;
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
      offerMode: handoffs.offerMode,
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

/** An offer as the App Home shows it: to whom, for which route, until when, and the lead's post. */
export type HomeOffer = Pick<
  typeof offers.$inferSelect,
  'id' | 'handoffId' | 'userId' | 'routeName' | 'status' | 'offeredAt' | 'expiresAt' | 'answeredAt'
> & { score: number; channel: string | null; messageTs: string | null; lead: HomeLead };

/**
 * Every open offer (a rep's "Offered to you"), plus every offer made since `offeredSince` (the managers' figures
 * of the day). Newest first.
 */
export async function listOffersForHome(db: DbOrTx, offeredSince: Date): Promise<HomeOffer[]> {
  const rows = await db
    .select({
      id: offers.id,
      handoffId: offers.handoffId,
      userId: offers.userId,
      routeName: offers.routeName,
      status: offers.status,
      offeredAt: offers.offeredAt,
      expiresAt: offers.expiresAt,
      answeredAt: offers.answeredAt,
      score: handoffs.score,
      channel: handoffs.channel,
      messageTs: handoffs.messageTs,
      name: leads.name,
      email: leads.email,
      company: leads.company,
      externalId: leads.externalId,
    })
    .from(offers)
    .innerJoin(handoffs, eq(handoffs.id, offers.handoffId))
    .innerJoin(leads, eq(leads.id, handoffs.leadId))
    .where(or(eq(offers.status, 'open'), gte(offers.offeredAt, offeredSince)))
    .orderBy(desc(offers.offeredAt), desc(offers.id));
  return rows.map(({ name, email, company, externalId, ...o }) => ({ ...o, lead: { name, email, company, externalId } }));
}
