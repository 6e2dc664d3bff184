import type { Database } from '../../db/client.js';
import { handoffs, leads } from '../../db/schema.js';

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
    })
    .returning({ id: handoffs.id });
  return row!.id;
}
