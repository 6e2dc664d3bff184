/** Small comparisons ingest makes about a lead's score. Pure. */
import type { LeadRow } from '../../db/queries/leads.js';
import type { ScoreReason } from '../scoring/types.js';

/** The score as ingest is about to store it. */
export type ScoredLead = Pick<LeadRow, 'score' | 'qualified' | 'stage' | 'rescoreDueAt'> & {
  criteriaVersion: number;
  breakdown: ScoreReason[];
};

/** Whether the stored row must be written: anything about its score or stage differs. */
export function scoreChanged(before: LeadRow | undefined, after: ScoredLead): boolean {
  return (
    !before ||
    before.score !== after.score ||
    before.qualified !== after.qualified ||
    before.stage !== after.stage ||
    before.criteriaVersion !== after.criteriaVersion ||
    before.rescoreDueAt?.getTime() !== after.rescoreDueAt?.getTime() ||
    !sameBreakdown(before.scoreBreakdown, after.breakdown)
  );
}

/** Compared field by field: jsonb hands objects back with their keys reordered. */
function sameBreakdown(a: ScoreReason[], b: ScoreReason[]): boolean {
  return a.length === b.length && a.every((r, i) => r.ruleId === b[i]!.ruleId && r.points === b[i]!.points && r.reason === b[i]!.reason);
}

export function latest(dates: Date[]): Date | null {
  return dates.length ? new Date(Math.max(...dates.map((d) => d.getTime()))) : null;
}
