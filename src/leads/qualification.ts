import type { LeadStage, OutcomeStage } from '../../db/schema.js';

export interface QualificationChange {
  stage: LeadStage;
  wasQualified: boolean;
  isQualified: boolean;
  previousScore: number;
  newScore: number;
  /** The upsert brought something new (an event, a changed field), not a replay of what we had. */
  newActivity: boolean;
  /** The lead's latest CRM outcome (leads.crm_stage); null when the CRM has reported none. */
  crmStage: OutcomeStage | null;
}

/** CRM stages past sales' acceptance: the lead is an opportunity or a customer, not a lead to hand over. */
const PAST_HANDOFF: ReadonlySet<OutcomeStage> = new Set(['opportunity', 'won']);

/**
 * Whether this change hands the lead to sales (a new handoff is queued):
 * - a lead never handed over qualifies when it crosses the threshold, or when it is already over the
 *   threshold (e.g. imported without posting) and new activity arrives;
 * - a nurtured lead (rejected earlier) re-qualifies only when new activity raises its score while it is
 *   over the threshold, so the same qualification is never posted twice;
 * - a lead already with sales (mql, claimed, accepted) is never queued again;
 * - nor is one the CRM reports as an opportunity or won, whatever its stage here (e.g. a lead sales rejected in
 *   the bot and later won): new activity of a customer is not a new MQL. A lost lead may re-qualify.
 */
export function startsHandoff(change: QualificationChange): boolean {
  if (!change.isQualified || (change.crmStage && PAST_HANDOFF.has(change.crmStage))) return false;
  switch (change.stage) {
    case 'lead':
      return !change.wasQualified || change.newActivity;
    case 'nurture':
      return change.newActivity && change.newScore > change.previousScore;
    default:
      return false;
  }
}
