/*
 * The backtest's counting, no I/O: each group of leads the database returns gets the verdict score() would give
 * its leads (points on their axes, engagement points decayed by their evidence's age, the qualifying rule), and
 * the groups are summed into counts for the candidate and the baseline criteria.
 */
import type { HitGroup, OutcomeOrigin } from '../../db/types.js';
import { axisTotals, decayedPoints, decayOf, qualifies, ruleAxis, type AxisTotals } from './axes.js';
import { bucketAge, type BacktestPlan } from './backtest.js';
import type { Axis, Criteria } from './types.js';

/** What the database counts for one criteria set. */
export interface OutcomeCounts {
  qualified: number;
  qualifiedWithOutcome: number;
  positiveAmongQualified: number;
  notQualifiedWithOutcome: number;
  positiveAmongNotQualified: number;
}

/** Leads whose verdict differs between the baseline and the candidate. */
export interface MovedCounts {
  newlyQualified: number;
  droppedOut: number;
}

export interface RuleCounts {
  /** Leads whose values the rule's condition matches (whatever decay left of its points). */
  hits: number;
  hitsWithOutcome: number;
  hitsPositive: number;
  /** Leads whose qualification this rule alone decides: without it they would land on the other side. */
  moved: number;
}

/** Leads with the same candidate scores, and what is known of their outcomes (the threshold sweep reads these). */
export interface ScoreCount extends AxisTotals {
  leads: number;
  withOutcome: number;
  positive: number;
}

export interface BacktestCounts {
  evaluated: number;
  withOutcome: number;
  positive: number;
  /** Known outcomes by where they came from (the CRM, the import, handoff decisions; see OUTCOME_ORIGINS). */
  outcomesFrom: Record<OutcomeOrigin, number>;
  candidate: OutcomeCounts;
  baseline: OutcomeCounts;
  moved: MovedCounts;
  /** Per candidate rule id. */
  rules: Map<number, RuleCounts>;
  /** The candidate's scores, one entry per distinct (fit, engagement). */
  scores: ScoreCount[];
}

/** Known outcomes by where they came from, in precedence order, as the reports show them. */
export interface OutcomeSources {
  crm: number;
  imported: number;
  fromHandoffs: number;
}

export const outcomeSources = ({ outcomesFrom: o }: BacktestCounts): OutcomeSources => ({
  crm: o.crm,
  imported: o.imported,
  fromHandoffs: o.handoffs,
});

export interface BacktestInput {
  /** The criteria evaluated (the active ones, or the active ones with trial changes). */
  candidate: Criteria;
  /** What to compare with ("was K"); usually the active criteria. */
  baseline: Criteria;
  /** The moment scores are computed at (decay, event windows). */
  now: Date;
}

/** A matching rule's points on its axis, as score() counts them; `rule` indexes `BacktestPlan.rules`. */
interface Part {
  rule: number;
  axis: Axis;
  points: number;
}

export interface Verdict {
  totals: AxisTotals;
  qualified: boolean;
  parts: Part[];
}

/** Judges hit patterns by one criteria set. */
export type Judge = (leads: Pick<HitGroup, 'hits' | 'ages'>) => Verdict;

export function judgeBy(plan: BacktestPlan, criteria: Criteria): Judge {
  const ids = new Set(criteria.rules.map((r) => r.id));
  const decay = decayOf(criteria);
  const counted = plan.rules.flatMap(({ rule, evidence }, i) => (ids.has(rule.id) ? [{ i, rule, evidence, axis: ruleAxis(rule) }] : []));
  return ({ hits, ages }) => {
    const parts: Part[] = [];
    for (const { i, rule, evidence, axis } of counted) {
      if (!hits[i]) continue;
      // A bucket is only null when the lead has no such evidence: then, as in score(), nothing decays.
      const bucket = evidence === null ? null : ages[evidence];
      const points = axis === 'engagement' && bucket != null ? decayedPoints(rule.points, bucketAge(plan, bucket), decay) : rule.points;
      if (points !== 0) parts.push({ rule: i, axis, points });
    }
    const totals = axisTotals(parts);
    return { totals, qualified: qualifies(totals, criteria), parts };
  };
}

/** Whether the verdict would flip without the part: the rule alone decides it. */
function decides(parts: Part[], part: Part, criteria: Criteria, qualified: boolean): boolean {
  return qualifies(axisTotals(parts.filter((p) => p !== part)), criteria) !== qualified;
}

const noOutcomes = (): OutcomeCounts => ({
  qualified: 0,
  qualifiedWithOutcome: 0,
  positiveAmongQualified: 0,
  notQualifiedWithOutcome: 0,
  positiveAmongNotQualified: 0,
});

function tally(counts: OutcomeCounts, qualified: boolean, g: HitGroup): void {
  if (qualified) {
    counts.qualified += g.leads;
    if (g.outcome !== null) counts.qualifiedWithOutcome += g.leads;
    if (g.outcome === 1) counts.positiveAmongQualified += g.leads;
  } else {
    if (g.outcome !== null) counts.notQualifiedWithOutcome += g.leads;
    if (g.outcome === 1) counts.positiveAmongNotQualified += g.leads;
  }
}

/** Sums the groups into the backtest's counts. */
export function countGroups(plan: BacktestPlan, groups: HitGroup[], { candidate, baseline }: BacktestInput): BacktestCounts {
  const judgeCandidate = judgeBy(plan, candidate);
  const judgeBaseline = judgeBy(plan, baseline);
  const counts: BacktestCounts = {
    evaluated: 0,
    withOutcome: 0,
    positive: 0,
    outcomesFrom: { crm: 0, imported: 0, handoffs: 0 },
    candidate: noOutcomes(),
    baseline: noOutcomes(),
    moved: { newlyQualified: 0, droppedOut: 0 },
    rules: new Map(candidate.rules.map((r) => [r.id, { hits: 0, hitsWithOutcome: 0, hitsPositive: 0, moved: 0 }])),
    scores: [],
  };
  const scores = new Map<string, ScoreCount>();
  const ruleCounts = plan.rules.map(({ rule }) => counts.rules.get(rule.id));
  for (const g of groups) {
    counts.evaluated += g.leads;
    if (g.outcome !== null) counts.withOutcome += g.leads;
    if (g.outcome === 1) counts.positive += g.leads;
    if (g.origin) counts.outcomesFrom[g.origin] += g.leads;
    const was = judgeBaseline(g);
    tally(counts.baseline, was.qualified, g);
    const { totals, qualified, parts } = judgeCandidate(g);
    tally(counts.candidate, qualified, g);
    if (qualified && !was.qualified) counts.moved.newlyQualified += g.leads;
    if (!qualified && was.qualified) counts.moved.droppedOut += g.leads;

    const key = `${totals.fit}|${totals.engagement}`;
    const score = scores.get(key) ?? { ...totals, leads: 0, withOutcome: 0, positive: 0 };
    scores.set(key, score);
    score.leads += g.leads;
    if (g.outcome !== null) score.withOutcome += g.leads;
    if (g.outcome === 1) score.positive += g.leads;

    ruleCounts.forEach((c, i) => {
      if (!c || !g.hits[i]) return;
      c.hits += g.leads;
      if (g.outcome !== null) c.hitsWithOutcome += g.leads;
      if (g.outcome === 1) c.hitsPositive += g.leads;
    });
    for (const part of parts) {
      if (decides(parts, part, candidate, qualified)) ruleCounts[part.rule]!.moved += g.leads;
    }
  }
  counts.scores = [...scores.values()];
  return counts;
}
