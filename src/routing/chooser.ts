/*
 * Whom a lead is offered to next: pure, so eligibility and fairness are tested without Slack or a database
 * (test/routing/chooser.test.ts, including a 1,000-lead simulation).
 */

/** One member of a route's team as the chooser sees them at the moment of the offer. */
export interface Candidate {
  userId: string;
  /** Relative share (default 1): weight 2 gets twice the leads of weight 1. */
  weight: number;
  away: boolean;
  /** In Slack's Do Not Disturb (only checked with ROUTING_RESPECT_DND). */
  inDnd: boolean;
  /** Open leads they hold plus open offers they have not answered. */
  load: number;
  /** Their cap on `load`; null: none. */
  cap: number | null;
  /** Already offered this lead (passed, timed out, withdrawn, or holds the offer now). */
  offeredAlready: boolean;
  /** Offers made to them in the fairness window (ROUTING_WINDOW). */
  assignments: number;
  lastAssignedAt: Date | null;
}

export type SkipReason = 'away' | 'dnd' | 'at_cap' | 'offered';

export const SKIP_WORDS: Record<SkipReason, string> = {
  away: 'away',
  dnd: 'in Do Not Disturb',
  at_cap: 'at their cap of open leads',
  offered: 'already offered this lead',
};

/** Why a candidate cannot be offered this lead now, or null when they can. */
export function skipReason(c: Candidate): SkipReason | null {
  if (c.offeredAlready) return 'offered';
  if (c.away) return 'away';
  if (c.inDnd) return 'dnd';
  if (c.cap !== null && c.load >= c.cap) return 'at_cap';
  return null;
}

/**
 * Among eligible candidates: the fewest assignments for their weight, then the one who has waited longest since
 * their last (never assigned: longest), then by user id so the choice is the same on every replica.
 */
function fairer(a: Candidate, b: Candidate): number {
  const share = a.assignments / a.weight - b.assignments / b.weight;
  if (share !== 0) return share;
  const waitedA = a.lastAssignedAt?.getTime() ?? -Infinity;
  const waitedB = b.lastAssignedAt?.getTime() ?? -Infinity;
  if (waitedA !== waitedB) return waitedA - waitedB;
  return a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;
}

/** The rep to offer the lead to, or null when nobody on the team can take it now. */
export function chooseRep(candidates: readonly Candidate[]): Candidate | null {
  const eligible = candidates.filter((c) => c.weight > 0 && skipReason(c) === null);
  if (eligible.length === 0) return null;
  return eligible.reduce((best, c) => (fairer(c, best) < 0 ? c : best));
}
