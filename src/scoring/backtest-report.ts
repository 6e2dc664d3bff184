/* What a backtest's counts mean to a marketer: rates, precision and recall, the rules that move the most leads, the sweep. */
import { minimumsOf } from './axes.js';
import type { AxisMinimums, Criteria, Rule } from './types.js';
import {
  outcomeSources,
  type BacktestCounts,
  type MovedCounts,
  type OutcomeCounts,
  type OutcomeSources,
  type RuleCounts,
} from './backtest-counts.js';
import { sweepLines, type Sweep } from './sweep.js';

export interface BacktestFigures {
  evaluated: number;
  qualified: number;
  qualifiedRate: number | null;
  withOutcome: number;
  positive: number;
  qualifiedWithOutcome: number;
  notQualifiedWithOutcome: number;
  positiveAmongQualified: number;
  positiveAmongNotQualified: number;
  /** Share of positive outcomes among qualified (resp. not qualified) leads with a known outcome. */
  conversionRateQualified: number | null;
  conversionRateNotQualified: number | null;
  /** Of the qualified leads with a known outcome, the share that was positive. */
  precision: number | null;
  /** Of the positive outcomes, the share the criteria qualified. */
  recall: number | null;
}

export interface RuleEffect extends RuleCounts {
  rule: Rule;
  /** Positive rules lift leads over the threshold; negative ones hold leads under it. */
  direction: 'lifts' | 'holds back';
  conversionRate: number | null;
}

/** The qualifying rule: the total threshold, unless minimums per axis replace it. */
interface Line {
  threshold: number;
  minimums: AxisMinimums | null;
}

/** The candidate criteria's figures; `baseline` is the active criteria's, when trial changes were made. */
export interface BacktestReport extends BacktestFigures, Line {
  baseline: BacktestFigures & Line;
  outcomes: OutcomeSources;
  /** Leads that qualify under the candidate and not the baseline, and the reverse. */
  moved: MovedCounts;
  rules: RuleEffect[];
  /** The 3 rules that move the most leads across the threshold. */
  topRules: RuleEffect[];
  /** The candidate's line swept: precision and recall around it, and the line with the best F1. */
  sweeps: Sweep[];
}

const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function figures(counts: BacktestCounts, o: OutcomeCounts): BacktestFigures {
  return {
    evaluated: counts.evaluated,
    qualified: o.qualified,
    qualifiedRate: rate(o.qualified, counts.evaluated),
    withOutcome: counts.withOutcome,
    positive: counts.positive,
    qualifiedWithOutcome: o.qualifiedWithOutcome,
    notQualifiedWithOutcome: o.notQualifiedWithOutcome,
    positiveAmongQualified: o.positiveAmongQualified,
    positiveAmongNotQualified: o.positiveAmongNotQualified,
    conversionRateQualified: rate(o.positiveAmongQualified, o.qualifiedWithOutcome),
    conversionRateNotQualified: rate(o.positiveAmongNotQualified, o.notQualifiedWithOutcome),
    precision: rate(o.positiveAmongQualified, o.qualifiedWithOutcome),
    recall: rate(o.positiveAmongQualified, counts.positive),
  };
}

export const TOP_RULES = 3;

export function summarize(counts: BacktestCounts, candidate: Criteria, baseline: Criteria): BacktestReport {
  const rules = candidate.rules.map((rule): RuleEffect => {
    const c = counts.rules.get(rule.id) ?? { hits: 0, hitsWithOutcome: 0, hitsPositive: 0, moved: 0 };
    return { ...c, rule, direction: rule.points < 0 ? 'holds back' : 'lifts', conversionRate: rate(c.hitsPositive, c.hitsWithOutcome) };
  });
  const topRules = rules
    .filter((r) => r.moved > 0)
    .sort((a, b) => b.moved - a.moved || a.rule.id - b.rule.id)
    .slice(0, TOP_RULES);
  return {
    ...figures(counts, counts.candidate),
    threshold: candidate.threshold,
    minimums: minimumsOf(candidate),
    baseline: { ...figures(counts, counts.baseline), threshold: baseline.threshold, minimums: minimumsOf(baseline) },
    outcomes: outcomeSources(counts),
    moved: counts.moved,
    rules,
    topRules,
    sweeps: sweepLines(counts.scores, counts.positive, candidate),
  };
}
