/** Seeds posted handoffs together with the audit trail the reports replay (claims, releases, reassigns, decisions). */
import type { Database } from '../../db/client.js';
import { recordAudit } from '../../db/queries/audit-log.js';
import { handoffs, leads } from '../../db/schema.js';

export type Step =
  | { action: 'claim' | 'accept' | 'release'; by: string; at: Date }
  | { action: 'reject'; by: string; at: Date; reason: string }
  | { action: 'reassign'; by: string; at: Date; to: string };

export interface SeededHistory {
  name: string;
  postedAt: Date;
  steps?: Step[];
  company?: string;
}

let seq = 0;

/** Inserts the lead, its handoff in the state its steps lead to, and one audit row per step. */
export async function seedHistory(database: Database, h: SeededHistory): Promise<number> {
  seq++;
  const state = {
    claimableSince: h.postedAt,
    claimedBy: null as string | null,
    claimedAt: null as Date | null,
    firstClaimedAt: null as Date | null,
    decision: null as 'accepted' | 'rejected' | null,
    reasonCode: null as string | null,
    decidedBy: null as string | null,
    decidedAt: null as Date | null,
  };
  for (const s of h.steps ?? []) {
    const owner = s.action === 'reassign' ? s.to : s.action === 'claim' ? s.by : null;
    if (owner) {
      Object.assign(state, { claimedBy: owner, claimedAt: s.at });
      state.firstClaimedAt ??= s.at;
    }
    if (s.action === 'release') Object.assign(state, { claimedBy: null, claimedAt: null, claimableSince: s.at });
    if (s.action === 'accept') Object.assign(state, { decision: 'accepted', decidedBy: s.by, decidedAt: s.at });
    if (s.action === 'reject') Object.assign(state, { decision: 'rejected', reasonCode: s.reason, decidedBy: s.by, decidedAt: s.at });
  }
  const stage =
    state.decision === 'accepted' ? 'accepted' : state.decision === 'rejected' ? 'nurture' : state.claimedBy ? 'claimed' : 'mql';
  const [lead] = await database.db
    .insert(leads)
    .values({ source: 'seed', externalId: `hist-${seq}`, name: h.name, company: h.company ?? null, stage, qualified: true, score: 40 })
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
      messageTs: `1700000001.${String(seq).padStart(6, '0')}`,
      postedAt: h.postedAt,
      ...state,
    })
    .returning({ id: handoffs.id });
  for (const s of h.steps ?? []) {
    const details: Record<string, unknown> = { leadId: lead!.id };
    if (s.action === 'reassign') details.to = s.to;
    if (s.action === 'reject') details.reason = s.reason;
    await recordAudit(database.db, [{ actor: s.by, action: `handoff.${s.action}`, entity: 'handoff', entityId: row!.id, details }], s.at);
  }
  return row!.id;
}
