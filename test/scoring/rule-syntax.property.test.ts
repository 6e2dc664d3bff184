import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changesSyntax, parseChanges, parseRule, ruleSyntax } from '../../src/scoring/rule-syntax.js';
import { tokenize, type Parsed, type Token } from '../../src/scoring/rule-tokens.js';
import { OPERATORS, type CriteriaChange, type NewRule } from '../../src/scoring/types.js';

/*
 * What is shown can be typed back: print a rule (or a change list), read it, and get the same thing.
 * Texts never hold a double quote (straight or curly): the syntax has no escape for one inside a phrase.
 */

const CHARS = [..."aZ09 éßİ🚀\u00a0'’.,#-+_&;<>=!≥≠/"];
const KEYWORDS = ['as', 'AS', 'in', 'contains', 'exists', 'Exists', 'add', 'remove', 'threshold', 'events.form_submit'];

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
  if (op === '=' || op === '!=' || op === 'contains') return text;
  return number;
}

const rule: fc.Arbitrary<NewRule> = fc.constantFrom(...OPERATORS).chain((op) =>
  fc.record({
    field: text,
    op: fc.constant(op),
    value: valueFor(op),
    points: fc.integer({ min: -10_000, max: 10_000 }).filter((p) => p !== 0),
    label: fc.option(text, { nil: null }),
  }),
);

const change: fc.Arbitrary<CriteriaChange> = fc.oneof(
  rule.map((r) => ({ kind: 'add' as const, rule: r })),
  fc.integer({ min: 1, max: 999_999_999 }).map((ruleId) => ({ kind: 'remove' as const, ruleId })),
  fc.integer({ min: -100_000, max: 100_000 }).map((threshold) => ({ kind: 'threshold' as const, threshold })),
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
