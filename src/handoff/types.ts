import type { HandoffView } from '../../db/types.js';
import type { SlaPolicy } from '../sla/policy.js';

export type { HandoffView };

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

export type HandoffState = 'unclaimed' | 'claimed' | 'accepted' | 'rejected' | 'expired';

export function stateOf(h: Pick<HandoffView, 'claimedBy' | 'decision'>): HandoffState {
  if (h.decision === 'accepted' || h.decision === 'rejected' || h.decision === 'expired') return h.decision;
  return h.claimedBy ? 'claimed' : 'unclaimed';
}

/** What the post shows besides the handoff itself: the key fields sales asked for and the SLA deadlines. */
export interface PostSettings {
  /** SLACK_POST_FIELDS: core fields or attribute keys, in the order to show them. */
  postFields: readonly string[];
  sla: SlaPolicy;
}

/** Everything a post or DM is rendered with; `now` makes ages ("2 h ago") and deadlines true when sent. */
export interface RenderContext extends PostSettings {
  now: Date;
}
