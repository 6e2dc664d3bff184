import type { HandoffDecision } from '../../db/schema.js';
import type { ScorableLead, ScoreReason } from '../scoring/types.js';

export const REJECT_REASONS = {
  not_a_fit: 'Not a fit',
  bad_contact_data: 'Bad contact data',
  no_budget: 'No budget',
  no_timing: 'No timing',
  duplicate: 'Duplicate',
  other: 'Other',
} as const;
export type RejectReason = keyof typeof REJECT_REASONS;

export const ACTIONS = {
  claim: 'mql_claim',
  accept: 'mql_accept',
  reject: 'mql_reject',
  release: 'mql_release',
  reassign: 'mql_reassign',
} as const;

export const VIEWS = { reject: 'mql_reject_modal', reassign: 'mql_reassign_modal' } as const;

/** Everything the MQL post shows, read from the database when the post is sent or updated. */
export interface HandoffView {
  id: number;
  qualification: number;
  score: number;
  threshold: number;
  criteriaVersion: number;
  postedAt: Date | null;
  claimableSince: Date | null;
  claimedBy: string | null;
  claimedAt: Date | null;
  decision: HandoffDecision | null;
  reasonCode: string | null;
  note: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  lead: Omit<ScorableLead, 'attributes'> & { breakdown: ScoreReason[] };
  /** The lead's previous handoff, when this is a re-qualification. */
  previous: { qualification: number; decision: HandoffDecision | null; reasonCode: string | null; decidedBy: string | null } | null;
}

export type HandoffState = 'unclaimed' | 'claimed' | 'accepted' | 'rejected' | 'expired';

export function stateOf(h: Pick<HandoffView, 'claimedBy' | 'decision'>): HandoffState {
  if (h.decision === 'accepted' || h.decision === 'rejected' || h.decision === 'expired') return h.decision;
  return h.claimedBy ? 'claimed' : 'unclaimed';
}
