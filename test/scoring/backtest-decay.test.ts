/* The backtest's plan and counts with event windows, axes, minimums and decay (pure parts; lead by lead against score(): test/commands/backtest-lead-by-lead.test.ts). */
import { describe, expect, it } from 'vitest';
import { DAY_MS, decayedPoints } from '../../src/scoring/axes.js';
import { bucketAge, decayAgeBounds, planBacktest } from '../../src/scoring/backtest.js';
import { countGroups, judgeBy } from '../../src/scoring/backtest-counts.js';
import type { Criteria, Decay, Rule } from '../../src/scoring/types.js';
import { NOW } from './fixtures.js';

const rule = (id: number, field: string, points: number, more: Partial<Rule> = {}): Rule => ({
  id,
  field,
  op: 'exists',
  value: null,
  points,
  label: null,
  ...more,
});

/** Every age at which the points differ from the day before, found by walking the days. */
function walkedChanges(points: number, decay: Decay): number[] {
  const changes: number[] = [];
  for (let age = 1; decayedPoints(points, age - 1, decay) !== 0; age++) {
    if (decayedPoints(points, age, decay) !== decayedPoints(points, age - 1, decay)) changes.push(age);
  }
  return changes;
}

describe('decayAgeBounds', () => {
  it('finds exactly the days on which a half-life changes rounded points', () => {
    for (const days of [1, 3, 7, 10, 30, 365]) {
      for (const points of [1, 2, 5, 30, -21, 40, 2.5, 0.4, 1000]) {
        const decay: Decay = { kind: 'half-life', days };
        const bounds = decayAgeBounds([{ version: 1, threshold: 1, decay, rules: [rule(1, 'x', points, { axis: 'engagement' })] }]);
        expect(bounds, `${points} points, half-life ${days}d`).toEqual(walkedChanges(points, decay));
      }
    }
  });

  it('has one bound for a window, none without decay or for fit rules, and merges the criteria sets', () => {
    const engagement = rule(1, 'events.form_submit', 30);
    const fit = rule(2, 'title', 30);
    const window: Criteria = { version: 1, threshold: 1, decay: { kind: 'window', days: 30 }, rules: [engagement, fit] };
    expect(decayAgeBounds([window])).toEqual([30]);
    expect(decayAgeBounds([{ ...window, decay: { kind: 'off' } }])).toEqual([]);
    expect(decayAgeBounds([{ ...window, rules: [fit] }])).toEqual([]);
    expect(decayAgeBounds([window, { ...window, decay: { kind: 'window', days: 7 } }])).toEqual([7, 30]);
  });
});

describe('planBacktest with windows and decay', () => {
  const rules = [
    rule(1, 'events.form_submit', 30),
    rule(2, 'events.form_submit', 10, { withinMs: 30 * DAY_MS }),
    rule(3, 'events.Form_Submit', 5, { withinMs: 30 * DAY_MS }),
    rule(4, 'Lead Origin', 40, { axis: 'engagement' }),
    rule(5, 'events.email_click', 4, { axis: 'fit' }),
    rule(6, 'title', 15),
  ];
  const decaying: Criteria = { version: 1, threshold: 30, decay: { kind: 'window', days: 14 }, rules };

  it('keys event fields by type and window, and dates each decaying engagement rule by its evidence', () => {
    const plan = planBacktest([decaying], ['form_submit', 'email_click']);
    expect(plan.fields.map((f) => [f.source.kind, f.withinMs])).toEqual([
      ['events', null],
      ['events', 30 * DAY_MS],
      ['attribute', null],
      ['events', null],
      ['core', null],
    ]);
    expect(plan.rules.map((r) => [r.rule.id, r.field, r.evidence])).toEqual([
      [1, 0, 0],
      [2, 1, 1],
      [3, 1, 1],
      [4, 2, 2],
      [5, 3, null],
      [6, 4, null],
    ]);
    expect(plan.evidence).toEqual([
      { field: 0, rules: [0] },
      { field: 1, rules: [1, 2] },
      { field: null, rules: [3] },
    ]);
    expect(plan.ageBounds).toEqual([14]);
  });

  it('plans no evidence when nothing decays', () => {
    const plan = planBacktest([{ ...decaying, decay: { kind: 'off' } }], ['form_submit']);
    expect(plan.evidence).toEqual([]);
    expect(plan.rules.every((r) => r.evidence === null)).toBe(true);
  });

  it('decays engagement points by the age their bucket stands for, and qualifies on minimums', () => {
    const halfLife: Criteria = { ...decaying, decay: { kind: 'half-life', days: 10 }, minimums: { fit: 10, engagement: 20 } };
    const plan = planBacktest([halfLife], ['form_submit', 'email_click']);
    const judge = judgeBy(plan, halfLife);
    const hits = [true, false, false, true, false, true];
    const ageBucket = (days: number) => plan.ageBounds.filter((b) => b <= days).length;
    expect(bucketAge(plan, ageBucket(10))).toBe(10);
    // 30 at 10 days: 15; the inquiry has no last activity, so no decay: 40; the title is fit: 15.
    expect(judge({ hits, ages: [ageBucket(10), null, null] }).totals).toEqual({ fit: 15, engagement: 55, total: 70 });
    // A form 60 days ago is worth round(30 / 64) = 0; an inquiry last active 20 days ago round(40 / 4) = 10.
    const old = judge({ hits, ages: [ageBucket(60), null, ageBucket(20)] });
    expect(old.totals).toEqual({ fit: 15, engagement: 10, total: 25 });
    expect(old.qualified).toBe(false);
    expect(old.parts.map((p) => p.rule)).toEqual([3, 5]);
  });

  it('counts leads whose decayed points dropped out, and the rules that alone keep others in', () => {
    const plan = planBacktest([decaying], ['form_submit']);
    const fresh = {
      outcome: 1 as const,
      origin: 'imported' as const,
      hits: [true, false, false, false, false, true],
      ages: [0, null, null],
      leads: 3,
    };
    const stale = { ...fresh, outcome: 0 as const, ages: [1, null, null], leads: 2 };
    const counts = countGroups(plan, [fresh, stale], { candidate: decaying, baseline: { ...decaying, decay: { kind: 'off' } }, now: NOW });
    expect(counts.candidate.qualified).toBe(3);
    expect(counts.baseline.qualified).toBe(5);
    expect(counts.moved).toEqual({ newlyQualified: 0, droppedOut: 2 });
    // The form matches all 5 leads but alone keeps only the 3 fresh ones over the line.
    expect(counts.rules.get(1)).toMatchObject({ hits: 5, moved: 3 });
    expect(counts.scores).toEqual([
      { fit: 15, engagement: 30, total: 45, leads: 3, withOutcome: 3, positive: 3 },
      { fit: 15, engagement: 0, total: 15, leads: 2, withOutcome: 2, positive: 0 },
    ]);
  });
});
