import type { LeadStage } from '../../db/schema.js';

export interface QualificationChange {
  stage: LeadStage;
  wasQualified: boolean;
  isQualified: boolean;
  previousScore: number;
  newScore: number;
  /** The upsert brought something new (an event, a changed field), not a replay of what we had. */
  newActivity: boolean;
}

/**
 * Whether this change hands the lead to sales (a new handoff is queued):
 * - a lead never handed over qualifies when it crosses the threshold, or when it is already over the
 *   threshold (e.g. imported without posting) and new activity arrives;
 * - a nurtured lead (rejected earlier) re-qualifies only when new activity raises its score while it is
 *   over the threshold, so the same qualification is never posted twice;
 * - a lead already with sales (mql, claimed, accepted) is never queued again.
 */
export function startsHandoff(change: QualificationChange): boolean {
  if (!change.isQualified) return false;
  switch (change.stage) {
    case 'lead':
      return !change.wasQualified || change.newActivity;
    case 'nurture':
      return change.newActivity && change.newScore > change.previousScore;
    default:
      return false;
  }
}
