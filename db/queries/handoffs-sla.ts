import { and, isNotNull, isNull } from 'drizzle-orm';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { handoffs, leads } from '../schema.js';

/** Handoffs posted and not yet decided: the ones whose SLA clocks are running. */
export function listOpenHandoffs(db: DbOrTx) {
  return db
    .select({
      id: handoffs.id,
      claimableSince: handoffs.claimableSince,
      postedAt: handoffs.postedAt,
      claimedBy: handoffs.claimedBy,
      claimedAt: handoffs.claimedAt,
      channel: handoffs.channel,
      messageTs: handoffs.messageTs,
      leadName: leads.name,
      leadEmail: leads.email,
      leadExternalId: leads.externalId,
      leadCompany: leads.company,
    })
    .from(handoffs)
    .innerJoin(leads, eq(leads.id, handoffs.leadId))
    .where(and(isNotNull(handoffs.messageTs), isNull(handoffs.decision)));
}

export type OpenHandoffRow = Awaited<ReturnType<typeof listOpenHandoffs>>[number];
