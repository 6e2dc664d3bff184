/*
 * Evidence for every active rule, no I/O: from the backtest's counts of the active criteria against themselves,
 * how many stored leads each rule matches, how those convert against the rest (lift), how many leads it alone
 * puts on their side of the line, and what looks wrong with it; plus the sweep of the qualifying line.
 */
import { outcomeSources, type BacktestCounts, type OutcomeSources } from './backtest-counts.js';
import { minimumsOf } from './axes.js';
import { sweepLines, type Sweep } from './sweep.js';
import type { AxisMinimums, Criteria, Rule } from './types.js';

export type InsightFlag = 'matches-nothing' | 'lowers-conversion' | 'penalises-converters';

/** What each flag says to a marketer. */
export const FLAG_TEXT: Record<InsightFlag, string> = {
  'matches-nothing': 'matches no stored lead',
  'lowers-conversion': 'leads it matches convert less than the rest',
  'penalises-converters': 'leads it penalises convert better than the rest',
};

export interface RuleInsight {
  rule: Rule;
  /** Stored leads whose values the rule matches. */
  matches: number;
  /** Of those, the ones with a known outcome, and the ones that converted. */
  matchesWithOutcome: number;
  matchesConverted: number;
  /** Conversion among the leads it matches, and among the rest (known outcomes only). */
  conversionIn: number | null;
  conversionOut: number | null;
  /** conversionIn / conversionOut. */
  lift: number | null;
  /** Leads that, without this rule, would land on the other side of the line. */
  movedAlone: number;
  flags: InsightFlag[];
}

export interface Insights {
  criteriaVersion: number;
  threshold: number;
  minimums: AxisMinimums | null;
  evaluated: number;
  withOutcome: number;
  converted: number;
  outcomes: OutcomeSources;
  qualified: number;
  rules: RuleInsight[];
  sweeps: Sweep[];
}

const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** Fewer matched leads with a known outcome than this say nothing about a rule's direction: 0 of 2 is not evidence. */
export const MIN_OUTCOMES_TO_JUDGE = 10;

function flagsOf(rule: Rule, matches: number, withOutcome: number, lift: number | null): InsightFlag[] {
  if (matches === 0) return ['matches-nothing'];
  if (lift === null || withOutcome < MIN_OUTCOMES_TO_JUDGE) return [];
  if (rule.points > 0 && lift < 1) return ['lowers-conversion'];
  if (rule.points < 0 && lift > 1) return ['penalises-converters'];
  return [];
}

/** `counts` must be a backtest of `criteria` against themselves (candidate = baseline). */
export function insightsOf(counts: BacktestCounts, criteria: Criteria): Insights {
  const rules = criteria.rules.map((rule): RuleInsight => {
    const c = counts.rules.get(rule.id) ?? { hits: 0, hitsWithOutcome: 0, hitsPositive: 0, moved: 0 };
    const conversionIn = rate(c.hitsPositive, c.hitsWithOutcome);
    const conversionOut = rate(counts.positive - c.hitsPositive, counts.withOutcome - c.hitsWithOutcome);
    const lift = conversionIn === null || !conversionOut ? null : conversionIn / conversionOut;
    return {
      rule,
      matches: c.hits,
      matchesWithOutcome: c.hitsWithOutcome,
      matchesConverted: c.hitsPositive,
      conversionIn,
      conversionOut,
      lift,
      movedAlone: c.moved,
      flags: flagsOf(rule, c.hits, c.hitsWithOutcome, lift),
    };
  });
  return {
    criteriaVersion: criteria.version,
    threshold: criteria.threshold,
    minimums: minimumsOf(criteria),
    evaluated: counts.evaluated,
    withOutcome: counts.withOutcome,
    converted: counts.positive,
    outcomes: outcomeSources(counts),
    qualified: counts.candidate.qualified,
    rules,
    sweeps: sweepLines(counts.scores, counts.positive, criteria),
  };
}
