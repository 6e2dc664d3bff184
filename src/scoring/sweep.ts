/*
 * The threshold sweep, no I/O: precision, recall and F1 at lines around the current one, and the line that
 * maximises F1, from the backtest's counts of leads per score. With minimums, each axis's minimum is swept with
 * the other axis's held where it is.
 */
import type { ScoreCount } from './backtest-counts.js';
import { checkBounds } from './changes.js';
import { minimumsOf } from './axes.js';
import type { Axis, Criteria } from './types.js';

/** Where the swept lines sit relative to the current one. */
export const SWEEP_STEPS = [-15, -10, -5, 0, 5, 10, 15];

export interface SweepPoint {
  /** The line: the total threshold, or the swept axis's minimum. */
  at: number;
  qualified: number;
  /** Of the qualified leads with a known outcome, the share that converted. */
  precision: number | null;
  /** Of the converted leads, the share that qualify. */
  recall: number | null;
  /** The harmonic mean of precision and recall (0 when no qualified lead converted). */
  f1: number | null;
}

export interface Sweep {
  /** What is swept: the total threshold, or one axis's minimum. */
  on: 'total' | Axis;
  /** With minimums, the other axis's minimum, held where the criteria have it. */
  fixed: { axis: Axis; minimum: number } | null;
  current: number;
  /** The lines around the current one (SWEEP_STEPS) that the criteria allow, ascending. */
  points: SweepPoint[];
  /** The allowed line with the highest F1 over every score a lead has (ties: the one nearest the current). */
  bestF1: SweepPoint | null;
}

/** Leads with the same value of what is swept. */
interface Entry {
  value: number;
  leads: number;
  withOutcome: number;
  positive: number;
}

function pointAt(at: number, qualified: number, withOutcome: number, truePositive: number, positives: number): SweepPoint {
  return {
    at,
    qualified,
    precision: withOutcome === 0 ? null : truePositive / withOutcome,
    recall: positives === 0 ? null : truePositive / positives,
    // 2·TP / (2·TP + FP + FN), where FP + TP is the qualified with an outcome and FN + TP the converted.
    f1: withOutcome + positives === 0 ? null : (2 * truePositive) / (withOutcome + positives),
  };
}

/** The figures at `at`: the entries at or above it qualify. */
function lineAt(entries: Entry[], positives: number, at: number): SweepPoint {
  const above = entries.filter((e) => e.value >= at);
  const sum = (key: 'leads' | 'withOutcome' | 'positive') => above.reduce((s, e) => s + e[key], 0);
  return pointAt(at, sum('leads'), sum('withOutcome'), sum('positive'), positives);
}

/** The figures at every distinct value, in one pass from the highest. */
function everyLine(entries: Entry[], positives: number): SweepPoint[] {
  const sorted = [...entries].sort((a, b) => b.value - a.value);
  const lines: SweepPoint[] = [];
  let qualified = 0;
  let withOutcome = 0;
  let truePositive = 0;
  sorted.forEach((e, i) => {
    qualified += e.leads;
    withOutcome += e.withOutcome;
    truePositive += e.positive;
    if (sorted[i + 1]?.value !== e.value) lines.push(pointAt(e.value, qualified, withOutcome, truePositive, positives));
  });
  return lines;
}

function best(lines: SweepPoint[], current: number): SweepPoint | null {
  let top: SweepPoint | null = null;
  for (const line of lines) {
    if (!line.f1) continue;
    const nearer = top !== null && Math.abs(line.at - current) < Math.abs(top.at - current);
    if (top === null || line.f1 > top.f1! || (line.f1 === top.f1 && nearer)) top = line;
  }
  return top;
}

function sweepOf(
  entries: Entry[],
  positives: number,
  on: Sweep['on'],
  current: number,
  allowed: (at: number) => boolean,
  fixed: Sweep['fixed'],
): Sweep {
  const around = [...new Set(SWEEP_STEPS.map((step) => current + step))].filter(allowed);
  return {
    on,
    fixed,
    current,
    points: around.map((at) => lineAt(entries, positives, at)),
    // Ascending, so that of two lines as near as each other to the current one, the lower wins.
    bestF1: best(
      everyLine(entries, positives)
        .filter((l) => allowed(l.at))
        .reverse(),
      current,
    ),
  };
}

/** The sweep of the criteria's qualifying line over the leads' scores; `positives` counts every converted lead. */
export function sweepLines(scores: ScoreCount[], positives: number, criteria: Criteria): Sweep[] {
  const minimums = minimumsOf(criteria);
  if (!minimums) {
    const entries = scores.map((s) => ({ ...s, value: s.total }));
    const allowed = (threshold: number) => checkBounds({ ...criteria, threshold }) === null;
    return [sweepOf(entries, positives, 'total', criteria.threshold, allowed, null)];
  }
  return (['fit', 'engagement'] as const).map((axis) => {
    const other = axis === 'fit' ? 'engagement' : 'fit';
    // Leads under the other axis's minimum qualify at no line of this one.
    const entries = scores.filter((s) => s[other] >= minimums[other]).map((s) => ({ ...s, value: s[axis] }));
    const allowed = (at: number) => checkBounds({ ...criteria, minimums: { ...minimums, [axis]: at } }) === null;
    return sweepOf(entries, positives, axis, minimums[axis], allowed, { axis: other, minimum: minimums[other] });
  });
}
