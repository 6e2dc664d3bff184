/** Small comparisons ingest makes about a lead's score and events. Pure. */
import type { AddedEvent, LeadRow } from '../../db/queries/leads.js';
import type { ScorableEvent, ScoreReason } from '../scoring/types.js';

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

/** The events minus those just added: what the lead had before this call. */
export function withoutEvents(events: ScorableEvent[], removed: AddedEvent[]): ScorableEvent[] {
  const key = (e: { type: string; occurredAt: Date }) => `${e.type}\u0000${e.occurredAt.getTime()}`;
  const gone = new Set(removed.map(key));
  return events.filter((e) => !gone.has(key(e)));
}

export function latest(dates: Date[]): Date | null {
  return dates.length ? new Date(Math.max(...dates.map((d) => d.getTime()))) : null;
}
