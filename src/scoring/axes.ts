/** Fit and engagement, decay, and the qualifying rule: what turns matched rules into a verdict. Pure. */
import { fieldSource } from './score.js';
import type { Axis, AxisMinimums, Criteria, Decay, Rule } from './types.js';

export const DAY_MS = 86_400_000;

/** A rule's axis: as set, else by field (`events.*` engagement, everything else fit), classified as scoring reads the field. */
export function ruleAxis(rule: Pick<Rule, 'field' | 'axis'>): Axis {
  return rule.axis ?? (fieldSource(rule.field).kind === 'events' ? 'engagement' : 'fit');
}

export const decayOf = (criteria: Pick<Criteria, 'decay'>): Decay => criteria.decay ?? { kind: 'off' };
export const minimumsOf = (criteria: Pick<Criteria, 'minimums'>): AxisMinimums | null => criteria.minimums ?? null;

/** Whole days from the evidence to `now` (0 for evidence in the future). */
export function ageInDays(evidenceAt: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - evidenceAt.getTime()) / DAY_MS));
}

/** Points rounded half away from zero, so a negative rule decays like a positive one. */
const roundPoints = (p: number) => Math.sign(p) * Math.round(Math.abs(p));

/** What engagement points are worth `ageDays` after their evidence. */
export function decayedPoints(points: number, ageDays: number, decay: Decay): number {
  switch (decay.kind) {
    case 'off':
      return points;
    case 'half-life':
      return roundPoints(points * 0.5 ** (ageDays / decay.days)) || 0;
    case 'window':
      return ageDays < decay.days ? points : 0;
  }
}

/** When decayed points next change (a day boundary of their age), or null once they no longer can. */
export function nextDecayChange(points: number, evidenceAt: Date, ageDays: number, decay: Decay): Date | null {
  if (decayedPoints(points, ageDays, decay) === 0) return null;
  switch (decay.kind) {
    case 'off':
      return null;
    case 'half-life':
      return new Date(evidenceAt.getTime() + (ageDays + 1) * DAY_MS);
    case 'window':
      return new Date(evidenceAt.getTime() + decay.days * DAY_MS);
  }
}

export interface AxisTotals {
  fit: number;
  engagement: number;
  total: number;
}

// Rounded so fractional sums (0.1 + 0.2) still reach an equal threshold.
const rounded = (n: number) => Math.round(n * 1e6) / 1e6;

export function axisTotals(parts: Iterable<{ axis: Axis; points: number }>): AxisTotals {
  let fit = 0;
  let engagement = 0;
  for (const p of parts) {
    if (p.axis === 'fit') fit += p.points;
    else engagement += p.points;
  }
  return { fit: rounded(fit), engagement: rounded(engagement), total: rounded(fit + engagement) };
}

/** The verdict: both minimums when the criteria set them, else the total threshold. */
export function qualifies(totals: AxisTotals, criteria: Pick<Criteria, 'threshold' | 'minimums'>): boolean {
  const minimums = minimumsOf(criteria);
  return minimums ? totals.fit >= minimums.fit && totals.engagement >= minimums.engagement : totals.total >= criteria.threshold;
}

/** The highest score each axis (and the total) can reach: every positive rule matching. */
export function reachable(rules: Rule[]): AxisTotals {
  return axisTotals(rules.filter((r) => r.points > 0).map((r) => ({ axis: ruleAxis(r), points: r.points })));
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** "fit >= 20 and engagement >= 30" or "total >= 30". */
export function qualifyingRuleText(criteria: Pick<Criteria, 'threshold' | 'minimums'>): string {
  const m = minimumsOf(criteria);
  return m ? `fit >= ${m.fit} and engagement >= ${m.engagement}` : `total >= ${criteria.threshold}`;
}

/** "engagement points halve every 30 days", "… count for 90 days", "engagement points do not decay". */
export function decayText(decay: Decay): string {
  switch (decay.kind) {
    case 'off':
      return 'engagement points do not decay';
    case 'half-life':
      return `engagement points halve every ${plural(decay.days, 'day')}`;
    case 'window':
      return `engagement points count for ${plural(decay.days, 'day')}, then drop to 0`;
  }
}
