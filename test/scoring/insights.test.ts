/* Insights and the threshold sweep from backtest counts (pure). Against the real CSV: test/commands/insights-figures.test.ts. */
import { describe, expect, it } from 'vitest';
import type { BacktestCounts, ScoreCount } from '../../src/scoring/backtest-counts.js';
import { insightsOf } from '../../src/scoring/insights.js';
import { sweepLines } from '../../src/scoring/sweep.js';
import type { Criteria, Rule } from '../../src/scoring/types.js';

const rule = (id: number, points: number, axis: Rule['axis'] = null): Rule => ({
  id,
  field: `f${id}`,
  op: 'exists',
  value: null,
  points,
  label: null,
  axis,
});

const score = (fit: number, engagement: number, leads: number, withOutcome: number, positive: number): ScoreCount => ({
  fit,
  engagement,
  total: fit + engagement,
  leads,
  withOutcome,
  positive,
});

describe('insightsOf', () => {
  const criteria: Criteria = { version: 4, threshold: 30, rules: [rule(1, 30), rule(2, 10), rule(3, -10), rule(4, 5), rule(5, -5)] };
  const counts: BacktestCounts = {
    evaluated: 100,
    withOutcome: 80,
    positive: 20,
    outcomesFrom: { crm: 0, imported: 80, handoffs: 0 },
    candidate: {
      qualified: 30,
      qualifiedWithOutcome: 25,
      positiveAmongQualified: 15,
      notQualifiedWithOutcome: 55,
      positiveAmongNotQualified: 5,
    },
    baseline: {
      qualified: 30,
      qualifiedWithOutcome: 25,
      positiveAmongQualified: 15,
      notQualifiedWithOutcome: 55,
      positiveAmongNotQualified: 5,
    },
    moved: { newlyQualified: 0, droppedOut: 0 },
    rules: new Map([
      [1, { hits: 40, hitsWithOutcome: 30, hitsPositive: 15, moved: 25 }], // 50% vs 10%: lift 5
      [2, { hits: 20, hitsWithOutcome: 20, hitsPositive: 2, moved: 4 }], // 10% vs 30%: a bonus for leads that convert less
      [3, { hits: 10, hitsWithOutcome: 10, hitsPositive: 8, moved: 3 }], // 80% vs ~17%: a penalty on leads that convert better
      [4, { hits: 0, hitsWithOutcome: 0, hitsPositive: 0, moved: 0 }],
      [5, { hits: 5, hitsWithOutcome: 0, hitsPositive: 0, moved: 0 }], // no known outcome: no lift, no flag
    ]),
    scores: [],
  };
  const insights = insightsOf(counts, criteria);
  const of = (id: number) => insights.rules.find((r) => r.rule.id === id)!;

  it('compares conversion among the leads each rule matches with the rest', () => {
    expect(of(1)).toMatchObject({ matches: 40, conversionIn: 0.5, conversionOut: 0.1, movedAlone: 25, flags: [] });
    expect(of(1).lift).toBeCloseTo(5, 12);
    expect(of(2)).toMatchObject({ conversionIn: 0.1, conversionOut: 0.3 });
    expect(of(5)).toMatchObject({ matches: 5, conversionIn: null, conversionOut: 0.25, lift: null, flags: [] });
  });

  it('flags rules that match nothing, bonuses on leads that convert less and penalties on leads that convert better', () => {
    expect(of(2).flags).toEqual(['lowers-conversion']);
    expect(of(3).flags).toEqual(['penalises-converters']);
    expect(of(4)).toMatchObject({ matches: 0, lift: null, flags: ['matches-nothing'] });
  });

  it('does not judge a rule by fewer than 10 matched leads with a known outcome', () => {
    const few = insightsOf({ ...counts, rules: new Map([[2, { hits: 9, hitsWithOutcome: 9, hitsPositive: 0, moved: 0 }]]) }, criteria);
    expect(few.rules.find((r) => r.rule.id === 2)).toMatchObject({ conversionIn: 0, flags: [] });
  });

  it('has no lift when none of the rest converted', () => {
    const all = insightsOf({ ...counts, rules: new Map([[1, { hits: 50, hitsWithOutcome: 50, hitsPositive: 20, moved: 0 }]]) }, criteria);
    expect(all.rules[0]).toMatchObject({ conversionIn: 0.4, conversionOut: 0, lift: null, flags: [] });
  });
});

describe('sweepLines', () => {
  const rules = [rule(1, 40, 'engagement'), rule(2, 30, 'fit'), rule(3, 10, 'fit')];
  const criteria: Criteria = { version: 1, threshold: 30, rules };
  const scores = [
    score(0, 40, 10, 10, 9),
    score(30, 0, 10, 10, 5),
    score(10, 0, 10, 10, 1),
    score(40, 40, 5, 5, 5),
    score(0, 0, 20, 20, 0),
  ];
  const positives = 20;

  it('gives precision, recall and F1 at the lines around the current one that the criteria allow', () => {
    const [sweep] = sweepLines(scores, positives, criteria);
    expect(sweep!.on).toBe('total');
    // 15 … 45, all above 0 and within the 80 a lead can reach.
    expect(sweep!.points.map((p) => p.at)).toEqual([15, 20, 25, 30, 35, 40, 45]);
    const at30 = sweep!.points.find((p) => p.at === 30)!;
    expect(at30).toMatchObject({ qualified: 25, precision: 19 / 25, recall: 19 / 20 });
    expect(at30.f1).toBeCloseTo((2 * (19 / 25) * (19 / 20)) / (19 / 25 + 19 / 20), 12);
    expect(sweepLines(scores, positives, { ...criteria, threshold: 75 })[0]!.points.map((p) => p.at)).toEqual([60, 65, 70, 75, 80]);
    expect(sweepLines(scores, positives, { ...criteria, threshold: 5 })[0]!.points.map((p) => p.at)).toEqual([5, 10, 15, 20]);
  });

  it('finds the line with the best F1 over every score a lead has; a tie goes to the line nearest the current one', () => {
    expect(sweepLines(scores, positives, criteria)[0]!.bestF1).toMatchObject({ at: 30, qualified: 25 });
    // 50 and 10 tie: F1 = 2·1 / (1 + 2) at 50, 2·2 / (4 + 2) at 10. From 45 the nearer is 50, from 20 it is 10.
    const tie = [score(50, 0, 1, 1, 1), score(10, 0, 3, 3, 1), score(0, 0, 5, 5, 0)];
    const tied = (threshold: number) => sweepLines(tie, 2, { ...criteria, threshold })[0]!.bestF1!.at;
    expect(tied(45)).toBe(50);
    expect(tied(20)).toBe(10);
    // Equally near: the lower line.
    expect(tied(30)).toBe(10);
  });

  it('has no best line without a converted lead', () => {
    const [sweep] = sweepLines(
      scores.map((s) => ({ ...s, positive: 0 })),
      0,
      criteria,
    );
    expect(sweep!.bestF1).toBeNull();
    expect(sweep!.points[0]).toMatchObject({ recall: null, f1: 0 });
  });

  it('with minimums, sweeps each axis with the other held where it is', () => {
    const minimums = { fit: 10, engagement: 40 };
    const [fit, engagement] = sweepLines(scores, positives, { ...criteria, minimums });
    expect(fit).toMatchObject({ on: 'fit', fixed: { axis: 'engagement', minimum: 40 }, current: 10 });
    // Fit minimums from 5 (a minimum is above 0) to 25; only the leads with engagement 40 can qualify.
    expect(fit!.points.map((p) => [p.at, p.qualified])).toEqual([
      [5, 5],
      [10, 5],
      [15, 5],
      [20, 5],
      [25, 5],
    ]);
    expect(fit!.bestF1).toMatchObject({ at: 40, qualified: 5 });
    expect(engagement).toMatchObject({ on: 'engagement', fixed: { axis: 'fit', minimum: 10 }, current: 40 });
    // Engagement 40 is the most a lead can reach, so no line above it; the leads with fit 0 qualify at none.
    expect(engagement!.points.map((p) => [p.at, p.qualified])).toEqual([
      [25, 5],
      [30, 5],
      [35, 5],
      [40, 5],
    ]);
  });
});
