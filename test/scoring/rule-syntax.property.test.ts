import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changesSyntax, parseChanges } from '../../src/scoring/change-syntax.js';
import { parseRule, ruleSyntax } from '../../src/scoring/rule-syntax.js';
import { tokenize, type Parsed, type Token } from '../../src/scoring/rule-tokens.js';
import { ruleAxis } from '../../src/scoring/axes.js';
import { fieldSource } from '../../src/scoring/score.js';
import { AXES, OPERATORS, type CriteriaChange, type NewRule } from '../../src/scoring/types.js';
import { plainWords } from '../../src/scoring/words.js';

/*
 * What is shown can be typed back: print a rule (or a change list), read it, and get the same thing.
 * Texts never hold a double quote (straight or curly): the syntax has no escape for one inside a phrase.
 */

const CHARS = [..."aZ09 éßİ🚀\u00a0'’.,#-+_&;<>=!≥≠/"];
const KEYWORDS = [
  'as',
  'AS',
  'in',
  'contains',
  'includes',
  'exists',
  'Exists',
  'add',
  'remove',
  'threshold',
  'qualify',
  'decay',
  'fit',
  'engagement',
  'and',
  'off',
  'window',
  '30d',
  'events.form_submit',
];

const text = fc
  .oneof(fc.string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength: 24 }), fc.constantFrom(...KEYWORDS))
  .map((t) => t.trim())
  .filter((t) => t !== '' && !/^events\.\s*$/i.test(t));
const listItem = text.map((t) => t.replace(/,/g, '').trim()).filter((t) => t !== '');
const number = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.tuple(fc.integer({ min: -999, max: 999 }), fc.integer({ min: 0, max: 99 })).map(([a, b]) => `${a}.${b}`),
  fc.constantFrom('+3', '.5', '-0.25'),
);

function valueFor(op: NewRule['op']): fc.Arbitrary<string | null> {
  if (op === 'exists') return fc.constant(null);
  // Parsing writes a list back as `a, b`: generated lists are already in that form.
  if (op === 'in') return fc.array(listItem, { minLength: 1, maxLength: 4 }).map((items) => items.join(', '));
  if (op === 'contains') return text.filter((t) => plainWords(t).length > 0);
  if (op === '=' || op === '!=' || op === 'includes') return text;
  return number;
}

const eventField = fc.constantFrom('events.form_submit', 'EVENTS.webinar', 'events.page view');
const DAY = 86_400_000;

const rule: fc.Arbitrary<NewRule> = fc
  .constantFrom(...OPERATORS)
  .chain((op) =>
    fc.record({
      field: fc.oneof(text, eventField),
      op: fc.constant(op),
      value: valueFor(op),
      points: fc.integer({ min: -10_000, max: 10_000 }).filter((p) => p !== 0),
      label: fc.option(text, { nil: null }),
      axis: fc.constantFrom(...AXES, undefined),
      withinMs: fc.constantFrom(undefined, 3_600_000, 30 * DAY, 14 * DAY, 90 * 60_000),
    }),
  )
  // Stored forms only: an axis only where it is not the field's own, a window only on event counts.
  .map(({ axis, withinMs, ...r }) => ({
    ...r,
    ...(axis && axis !== ruleAxis({ field: r.field }) && { axis }),
    ...(withinMs && fieldSource(r.field).kind === 'events' && { withinMs }),
  }));

const change: fc.Arbitrary<CriteriaChange> = fc.oneof(
  rule.map((r) => ({ kind: 'add' as const, rule: r })),
  fc.integer({ min: 1, max: 999_999_999 }).map((ruleId) => ({ kind: 'remove' as const, ruleId })),
  fc.integer({ min: -100_000, max: 100_000 }).map((threshold) => ({ kind: 'threshold' as const, threshold })),
  fc
    .record({ fit: fc.integer({ min: 0, max: 100_000 }), engagement: fc.integer({ min: 0, max: 100_000 }) })
    .map((minimums) => ({ kind: 'minimums' as const, minimums })),
  fc
    .oneof(
      fc.constant({ kind: 'off' as const }),
      fc.record({ kind: fc.constantFrom('half-life' as const, 'window' as const), days: fc.integer({ min: 1, max: 3650 }) }),
    )
    .map((decay) => ({ kind: 'decay' as const, decay })),
);

function reread<T>(written: string, parse: (tokens: Token[]) => Parsed<T>): Parsed<T> {
  const tokens = tokenize(written);
  return tokens.ok ? parse(tokens.value) : tokens;
}

describe('the rule syntax, printed then parsed', () => {
  it('gives back the same rule', () => {
    fc.assert(
      fc.property(rule, (r) => {
        expect(reread(ruleSyntax(r), parseRule)).toEqual({ ok: true, value: r });
      }),
      { numRuns: 2000 },
    );
  });

  it('gives back the same change list', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 5 }), (changes) => {
        expect(reread(changesSyntax(changes), parseChanges)).toEqual({ ok: true, value: changes });
      }),
      { numRuns: 1000 },
    );
  });
});
