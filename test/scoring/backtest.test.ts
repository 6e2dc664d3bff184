import { describe, expect, it } from 'vitest';
import { caseVariantKeys, decodeProjection, matchingProjections, planBacktest, textReadingSuffices } from '../../src/scoring/backtest.js';
import { countGroups, type BacktestCounts } from '../../src/scoring/backtest-counts.js';
import { summarize } from '../../src/scoring/backtest-report.js';
import { resolveField } from '../../src/scoring/score.js';
import type { Criteria, Rule } from '../../src/scoring/types.js';
import { NOW } from './fixtures.js';

const rule = (id: number, field: string, op: Rule['op'], value: string | null, points: number): Rule => ({
  id,
  field,
  op,
  value,
  points,
  label: null,
});

describe('planBacktest', () => {
  it('reads each field once, however many rules test it, and finds stored event types that fold alike', () => {
    const a: Criteria = {
      version: 1,
      threshold: 10,
      rules: [rule(1, 'title', 'contains', 'vp', 5), rule(2, 'Title', 'contains', 'chief', 5)],
    };
    const b: Criteria = { ...a, rules: [...a.rules, rule(3, 'events.Form_Submit', '>=', '1', 5), rule(4, '"Lead Origin"', '=', 'x', 5)] };
    const plan = planBacktest([a, b], ['form_submit', 'FORM_SUBMIT', 'email_click']);
    expect(plan.fields).toEqual([
      { source: { kind: 'core', key: 'title' }, eventTypes: [], withinMs: null },
      { source: { kind: 'events', type: 'form_submit' }, eventTypes: ['form_submit', 'FORM_SUBMIT'], withinMs: null },
      { source: { kind: 'attribute', name: 'Lead Origin' }, eventTypes: [], withinMs: null },
    ]);
    expect(plan.rules.map((r) => [r.rule.id, r.field])).toEqual([
      [1, 0],
      [2, 0],
      [3, 1],
      [4, 2],
    ]);
  });
});

describe('decodeProjection and matchingProjections', () => {
  const attr = { kind: 'attribute', name: 'Größe' } as const;

  it('decodes what the database projects', () => {
    expect(decodeProjection(attr, '')).toEqual({ value: null, isCount: false });
    expect(decodeProjection(attr, '7')).toEqual({ value: 7, isCount: false });
    expect(decodeProjection(attr, '"Zürich"')).toEqual({ value: 'Zürich', isCount: false });
    expect(decodeProjection(attr, 'null')).toEqual({ value: null, isCount: false });
    expect(decodeProjection({ kind: 'events', type: 'x' }, '3')).toEqual({ value: 3, isCount: true });
    expect(decodeProjection({ kind: 'core', key: 'country' }, '')).toEqual({ value: '', isCount: false });
  });

  it('judges each distinct value with the scoring semantics', () => {
    const values = ['"１２"', '12', '"12.0"', '"1,200"', '', 'true'];
    expect(matchingProjections(rule(1, 'Größe', '>=', '12', 1), attr, values)).toEqual(['"１２"', '12', '"12.0"']);
    expect(matchingProjections(rule(1, 'Größe', '!=', '12', 1), attr, values)).toEqual(['"1,200"', '', 'true']);
    expect(matchingProjections(rule(1, 'Größe', '=', 'yes', 1), attr, values)).toEqual(['true']);
    expect(matchingProjections(rule(1, 'events.x', 'exists', null, 1), { kind: 'events', type: 'x' }, ['0', '2'])).toEqual(['2']);
  });
});

describe('textReadingSuffices', () => {
  // Read with `->>`, the string "674" and the number 674 both arrive as 674; true and "true" as true.
  it('lets a field be read as text when no rule judges a value by its JSON type', () => {
    const texts = ['674', '1200', 'Google', '', null, 'true'];
    expect(textReadingSuffices([rule(1, 'x', '>=', '900', 1), rule(2, 'x', 'exists', null, 1)], texts)).toBe(true);
    expect(textReadingSuffices([rule(1, 'x', 'contains', 'google', 1), rule(2, 'x', '=', '674', 1)], texts)).toBe(true);
  });

  it('reads the field as JSON when a rule would judge the text and the value apart', () => {
    // `= yes` matches the boolean true, not the string "true".
    expect(textReadingSuffices([rule(1, 'x', '=', 'yes', 1)], ['true'])).toBe(false);
    // 1.50 as a number is 1.5 as text: `includes 50` tells them apart.
    expect(textReadingSuffices([rule(1, 'x', 'includes', '50', 1)], ['1.50'])).toBe(false);
    expect(textReadingSuffices([rule(1, 'x', 'includes', '50', 1)], ['"1.50"', 'abc50'])).toBe(true);
  });

  it('decodes a text read as text as the string it is, and a lacking key as null', () => {
    const attr = { kind: 'attribute', name: 'x' } as const;
    expect(decodeProjection(attr, '674', true)).toEqual({ value: '674', isCount: false });
    expect(decodeProjection(attr, null, true)).toEqual({ value: null, isCount: false });
    expect(matchingProjections(rule(1, 'x', '!=', 'a', 1), attr, ['a', 'b', null], true)).toEqual(['b', null]);
  });
});

describe('caseVariantKeys', () => {
  it('finds the keys score() falls back to, in the order it tries them', () => {
    const stored = ['Lead Source', 'LEAD SOURCE', 'lead source', ' Lead source', 'Leadsource', 'Größe', '10', '2'];
    expect(caseVariantKeys('lead source', stored)).toEqual(['LEAD SOURCE', 'Lead Source', ' Lead source']);
    expect(caseVariantKeys('GRÖSSE', stored)).toEqual(['Größe']);
    expect(caseVariantKeys('Leadsource', stored)).toEqual([]);
  });

  it('orders them as Object.keys orders attributes read back from jsonb', () => {
    // jsonb keeps keys shorter (in UTF-8) first, then bytewise: "x " (2 bytes) before "Ｘ" (3 bytes).
    expect(caseVariantKeys('x', ['Ｘ', 'x '])).toEqual(['x ', 'Ｘ']);
    const fromJsonb = JSON.parse('{"x ": 4, "Ｘ": 3}') as Record<string, number>;
    const lead = {
      source: 's',
      externalId: 'e',
      email: null,
      name: null,
      company: null,
      title: null,
      country: null,
      attributes: fromJsonb,
    };
    expect(resolveField(lead, [], 'x')).toBe(4);
    // JSON.parse puts array-index keys first, whatever their length.
    expect(caseVariantKeys('1', ['１', '1'])).toEqual(['１']);
    expect(caseVariantKeys('Ａ', ['aa', 'a', '0', 'A'])).toEqual(['A', 'a']);
  });
});

describe('countGroups', () => {
  // Inquiry (40) alone qualifies at 30; visits (10) and opted-out (-20) only move leads in combination.
  const rules = [rule(1, 'origin', '=', 'form', 40), rule(2, 'visits', '>=', '5', 10), rule(3, 'optout', '=', 'yes', -20)];
  const criteria: Criteria = { version: 1, threshold: 30, rules };
  const plan = planBacktest([criteria], []);
  const groups = [
    { outcome: 1 as const, origin: 'imported' as const, hits: [true, false, false], ages: [], leads: 5 }, // 40: qualified
    { outcome: 0 as const, origin: 'handoffs' as const, hits: [true, false, true], ages: [], leads: 2 }, // 20: held back by opt-out
    { outcome: null, origin: null, hits: [true, true, true], ages: [], leads: 3 }, // 30: qualified, by inquiry and visits both
    { outcome: 1 as const, origin: 'imported' as const, hits: [false, true, false], ages: [], leads: 4 }, // 10
  ];

  it('counts qualification against outcomes and which rules decide it', () => {
    const counts = countGroups(plan, groups, { candidate: criteria, baseline: { ...criteria, threshold: 10 }, now: NOW });
    expect(counts).toMatchObject({
      evaluated: 14,
      withOutcome: 11,
      positive: 9,
      outcomesFrom: { crm: 0, imported: 9, handoffs: 2 },
      candidate: {
        qualified: 8,
        qualifiedWithOutcome: 5,
        positiveAmongQualified: 5,
        notQualifiedWithOutcome: 6,
        positiveAmongNotQualified: 4,
      },
      baseline: { qualified: 14, qualifiedWithOutcome: 11, positiveAmongQualified: 9 },
    });
    expect(counts.rules.get(1)).toEqual({ hits: 10, hitsWithOutcome: 7, hitsPositive: 5, moved: 8 });
    expect(counts.rules.get(2)).toEqual({ hits: 7, hitsWithOutcome: 4, hitsPositive: 4, moved: 3 });
    expect(counts.rules.get(3)).toEqual({ hits: 5, hitsWithOutcome: 2, hitsPositive: 0, moved: 2 });
  });

  it('counts only the candidate’s rules, with the baseline’s rules kept for "was"', () => {
    const withoutOptOut: Criteria = { ...criteria, rules: rules.slice(0, 2) };
    const both = planBacktest([withoutOptOut, criteria], []);
    const counts = countGroups(both, groups, { candidate: withoutOptOut, baseline: criteria, now: NOW });
    expect(counts.candidate.qualified).toBe(10);
    expect(counts.baseline.qualified).toBe(8);
    expect([...counts.rules.keys()]).toEqual([1, 2]);
  });
});

describe('summarize', () => {
  const criteria: Criteria = {
    version: 2,
    threshold: 30,
    rules: [rule(1, 'a', 'exists', null, 30), rule(2, 'b', 'exists', null, -10), rule(3, 'c', 'exists', null, 5)],
  };
  const counts: BacktestCounts = {
    evaluated: 100,
    withOutcome: 80,
    positive: 20,
    outcomesFrom: { crm: 5, imported: 65, handoffs: 10 },
    moved: { newlyQualified: 0, droppedOut: 0 },
    candidate: {
      qualified: 25,
      qualifiedWithOutcome: 20,
      positiveAmongQualified: 15,
      notQualifiedWithOutcome: 60,
      positiveAmongNotQualified: 5,
    },
    baseline: {
      qualified: 0,
      qualifiedWithOutcome: 0,
      positiveAmongQualified: 0,
      notQualifiedWithOutcome: 80,
      positiveAmongNotQualified: 20,
    },
    rules: new Map([
      [1, { hits: 40, hitsWithOutcome: 30, hitsPositive: 15, moved: 25 }],
      [2, { hits: 10, hitsWithOutcome: 10, hitsPositive: 1, moved: 8 }],
      [3, { hits: 5, hitsWithOutcome: 0, hitsPositive: 0, moved: 0 }],
    ]),
    scores: [],
  };

  it('turns counts into rates, precision and recall', () => {
    const report = summarize(counts, criteria, { ...criteria, threshold: 1000 });
    expect(report).toMatchObject({
      evaluated: 100,
      qualified: 25,
      qualifiedRate: 0.25,
      conversionRateQualified: 0.75,
      conversionRateNotQualified: 5 / 60,
      precision: 0.75,
      recall: 0.75,
      threshold: 30,
      outcomes: { crm: 5, imported: 65, fromHandoffs: 10 },
    });
    expect(report.baseline).toMatchObject({ qualified: 0, precision: null, recall: 0, threshold: 1000 });
  });

  it('ranks the rules that move leads across the threshold, leaving out those that move none', () => {
    const report = summarize(counts, criteria, criteria);
    expect(report.topRules.map((r) => [r.rule.id, r.moved, r.direction])).toEqual([
      [1, 25, 'lifts'],
      [2, 8, 'holds back'],
    ]);
    expect(report.rules.find((r) => r.rule.id === 3)?.conversionRate).toBeNull();
  });
});
