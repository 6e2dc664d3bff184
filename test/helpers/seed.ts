import type { Database } from '../../db/client.js';
import { handoffs, leads, offers } from '../../db/schema.js';
import type { OfferStatus } from '../../db/types.js';

export interface SeedHandoff {
  name: string;
  postedAt: Date;
  claimedBy?: string;
  claimedAt?: Date;
  firstClaimedAt?: Date;
  decision?: 'accepted' | 'rejected' | 'expired';
  reasonCode?: string;
  decidedBy?: string;
  decidedAt?: Date;
  /** The lead's email (matched as people are: trimmed, lower case). */
  email?: string | null;
  /** When the handoff was opened; unset: now. */
  createdAt?: Date;
}

let seq = 0;

/** Inserts a posted handoff (and its lead) directly, with exactly the times a test needs. */
export async function seedHandoff(database: Database, h: SeedHandoff): Promise<number> {
  seq++;
  const [lead] = await database.db
    .insert(leads)
    .values({
      source: 'seed',
      externalId: `seed-${seq}-${h.name}`,
      name: h.name,
      email: h.email ?? null,
      emailKey: h.email?.trim().toLowerCase() ?? null,
      stage: h.decision === 'accepted' ? 'accepted' : h.claimedBy ? 'claimed' : 'mql',
      qualified: true,
      score: 40,
    })
    .returning({ id: leads.id });
  const [row] = await database.db
    .insert(handoffs)
    .values({
      leadId: lead!.id,
      qualification: 1,
      score: 40,
      threshold: 30,
      criteriaVersion: 1,
      channel: 'CSALES',
      messageTs: `1700000000.${String(seq).padStart(6, '0')}`,
      postedAt: h.postedAt,
      claimableSince: h.postedAt,
      claimedBy: h.claimedBy ?? null,
      claimedAt: h.claimedAt ?? null,
      firstClaimedAt: h.firstClaimedAt ?? h.claimedAt ?? null,
      decision: h.decision ?? null,
      reasonCode: h.reasonCode ?? null,
      decidedBy: h.decidedBy ?? null,
      decidedAt: h.decidedAt ?? null,
      ...(h.createdAt && { createdAt: h.createdAt }),
    })
    .returning({ id: handoffs.id });
  return row!.id;
}

export interface SeedOffer {
  handoffId: number;
  userId: string;
  status: OfferStatus;
  offeredAt: Date;
  routeName?: string | null;
  /** When the rep answered; null for an open or timed-out offer. */
  answeredAt?: Date | null;
}

/** An offer of a handoff to a rep as the router makes them (round-robin, 5 min to answer); returns its id. */
export async function seedOffer(database: Database, o: SeedOffer): Promise<number> {
  const [row] = await database.db
    .insert(offers)
    .values({
      handoffId: o.handoffId,
      userId: o.userId,
      routeName: o.routeName ?? null,
      reason: 'round-robin',
      offeredAt: o.offeredAt,
      expiresAt: new Date(o.offeredAt.getTime() + 5 * 60_000),
      status: o.status,
      answeredAt: o.answeredAt ?? null,
    })
    .returning({ id: offers.id });
  return row!.id;
}
