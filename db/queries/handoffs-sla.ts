import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { handoffs, leads, offers } from '../schema.js';

/** Handoffs posted and not yet decided: the ones whose SLA clocks are running. */
export function listOpenHandoffs(db: DbOrTx) {
  return db
    .select({
      id: handoffs.id,
      leadId: handoffs.leadId,
      version: handoffs.version,
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
      routeName: handoffs.routeName,
      offerMode: handoffs.offerMode,
      hasOpenOffer: sql<boolean>`exists (select 1 from ${offers} where ${offers.handoffId} = ${handoffs.id} and ${offers.status} = 'open')`,
    })
    .from(handoffs)
    .innerJoin(leads, eq(leads.id, handoffs.leadId))
    .where(and(isNotNull(handoffs.messageTs), isNull(handoffs.decision)));
}

export type OpenHandoffRow = Awaited<ReturnType<typeof listOpenHandoffs>>[number];

/** Locks these handoffs (in id order, as one click locks one) and says each one's version: has it changed since read? */
export async function lockHandoffVersions(db: DbOrTx, ids: number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const locked = await db
    .select({ id: handoffs.id, version: handoffs.version })
    .from(handoffs)
    .where(inArray(handoffs.id, ids))
    .orderBy(asc(handoffs.id))
    .for('update');
  return new Map(locked.map((h) => [h.id, h.version]));
}
