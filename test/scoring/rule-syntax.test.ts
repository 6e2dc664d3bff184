import { describe, expect, it } from 'vitest';
import { parseChanges, parseRuleId, parseThreshold } from '../../src/scoring/change-syntax.js';
import { parseRule, ruleSyntax } from '../../src/scoring/rule-syntax.js';
import { tokenize, type Parsed } from '../../src/scoring/rule-tokens.js';
import type { Rule } from '../../src/scoring/types.js';
import { parsedValue } from '../helpers/parsed.js';

const tokens = (text: string) => parsedValue(tokenize(text));
const rule = (text: string) => parsedValue(parseRule(tokens(text)));

function ruleError(text: string): string {
  const result = parseRule(tokens(text));
  if (result.ok) throw new Error(`expected an error for ${text}, got ${JSON.stringify(result.value)}`);
  return result.error;
}

const errorOf = <T>(result: Parsed<T>) => (result.ok ? null : result.error);

describe('parseRule', () => {
  it('reads field, operator, value, points and label', () => {
    expect(rule('"Total Time Spent on Website" > 600 20 as "Engaged on site"')).toEqual({
      field: 'Total Time Spent on Website',
      op: '>',
      value: '600',
      points: 20,
      label: 'Engaged on site',
    });
    expect(rule('TotalVisits >= 5 5')).toEqual({ field: 'TotalVisits', op: '>=', value: '5', points: 5, label: null });
  });

  it('takes curly quotes as macOS types them', () => {
    expect(rule('“Lead Origin” = “Lead Add Form” 40 as “Inquiry form”')).toMatchObject({
      field: 'Lead Origin',
      value: 'Lead Add Form',
      label: 'Inquiry form',
    });
  });

  it('accepts negative points (also with the typographic minus) and signed numbers', () => {
    expect(rule('"Do Not Email" = Yes -20').points).toBe(-20);
    expect(rule('"Do Not Email" = Yes −20').points).toBe(-20);
    expect(rule('score < -5 +5')).toMatchObject({ value: '-5', points: 5 });
  });

  it('takes a comma list for in, quoted or spread over words', () => {
    expect(rule('country in "United States,Canada" 10').value).toBe('United States, Canada');
    expect(rule('country in India, Canada , Mexico 10')).toMatchObject({ value: 'India, Canada, Mexico', points: 10 });
    expect(rule('country in "United States", Canada 10').value).toBe('United States, Canada');
    expect(rule('country in India 10').value).toBe('India');
  });

  it('takes no value for exists', () => {
    expect(rule('phone exists 5 as "Has a phone"')).toEqual({ field: 'phone', op: 'exists', value: null, points: 5, label: 'Has a phone' });
    expect(rule('events.webinar_attended EXISTS 15').op).toBe('exists');
    expect(ruleError('phone exists yes 5')).toBe('`exists` takes no value: write `<field> exists <points>`');
  });

  it('accepts an unquoted label of several words', () => {
    expect(rule('title contains chief 20 as C-level exec').label).toBe('C-level exec');
  });

  it('names an unknown operator and lists the valid ones', () => {
    expect(ruleError('TotalVisits => 5 5')).toBe('unknown operator `=>`; use one of = != > >= < <= in contains includes exists');
    expect(ruleError('TotalVisits >> 5 5')).toBe('unknown operator `>>`; use one of = != > >= < <= in contains includes exists');
    expect(ruleError('TotalVisits is 5 5')).toMatch(/^unknown operator `is`/);
  });

  it('asks for quotes around field names and values with spaces', () => {
    expect(ruleError('Total Time Spent on Website > 600 20')).toBe('a field name with spaces needs quotes: "Total Time Spent on Website"');
    expect(ruleError('"Lead Origin" = Lead Add Form 40')).toBe('a value with spaces needs quotes: "Lead Add Form"');
  });

  it('names each missing part', () => {
    expect(errorOf(parseRule([]))).toBe('missing the rule');
    expect(ruleError('TotalVisits')).toMatch(/^missing the operator after `TotalVisits`/);
    expect(ruleError('TotalVisits >=')).toBe('missing the value and the points after `>=`');
    expect(ruleError('TotalVisits >= 5')).toBe('missing the points after the value `5`');
    expect(ruleError('phone exists')).toBe('missing the points after `exists`');
    expect(ruleError('TotalVisits >= 5 5 as')).toBe('missing the label after `as`, e.g. as "Engaged on site"');
    expect(ruleError('>= 5 5')).toBe('missing the field before `>=`');
  });

  it('refuses bad points, values and extra words', () => {
    expect(ruleError('TotalVisits >= 5 five')).toBe('the points must be a whole number like 20 or -10, not `five`');
    expect(ruleError('TotalVisits >= 5 2.5')).toBe('the points must be a whole number like 20 or -10, not `2.5`');
    expect(ruleError('TotalVisits >= 5 0')).toMatch(/^a rule worth 0 points changes nothing/);
    expect(ruleError('TotalVisits >= 5 20000')).toBe('the points must be between -10000 and 10000');
    expect(ruleError('TotalVisits >= lots 5')).toMatch(/^`>=` compares numbers and `lots` is not a number/);
    expect(ruleError('TotalVisits >= 1,532 5')).toMatch(/`1,532` is not a number/);
    expect(ruleError('country = "" 5')).toBe('`=` needs a value');
    expect(ruleError('country in " , " 5')).toMatch(/^`in` needs a comma list/);
    expect(ruleError('TotalVisits >= 5 5 extra')).toMatch(
      /^unexpected `extra` after the points; an axis \(fit or engagement\) and then a label after `as` may follow/,
    );
    expect(ruleError('events. >= 1 5')).toMatch(/^name the event type/);
  });
});

describe('rule ids, thresholds and trial changes', () => {
  it('reads a rule id with or without #', () => {
    expect(parseRuleId(tokens('7'))).toEqual({ ok: true, value: 7 });
    expect(parseRuleId(tokens('#12'))).toEqual({ ok: true, value: 12 });
    expect(errorOf(parseRuleId(tokens('seven')))).toMatch(/^`seven` is not a rule id/);
    expect(errorOf(parseRuleId(tokens('')))).toMatch(/^missing the rule id/);
    expect(errorOf(parseRuleId(tokens('7 8')))).toMatch(/^expected only the rule id/);
  });

  it('reads a whole-number threshold, negative allowed', () => {
    expect(parseThreshold(tokens('40'))).toEqual({ ok: true, value: 40 });
    expect(parseThreshold(tokens('-5'))).toEqual({ ok: true, value: -5 });
    expect(errorOf(parseThreshold(tokens('4o')))).toBe('the threshold must be a whole number like 40, not `4o`');
    expect(errorOf(parseThreshold(tokens('')))).toMatch(/^missing the threshold/);
  });

  it('reads several trial changes separated by ;', () => {
    expect(parseChanges(tokens('threshold 35; remove #7; add TotalVisits >= 10 5 as "Frequent"'))).toEqual({
      ok: true,
      value: [
        { kind: 'threshold', threshold: 35 },
        { kind: 'remove', ruleId: 7 },
        { kind: 'add', rule: { field: 'TotalVisits', op: '>=', value: '10', points: 5, label: 'Frequent' } },
      ],
    });
    expect(parseChanges([])).toEqual({ ok: true, value: [] });
  });

  it('names the change that is wrong', () => {
    expect(errorOf(parseChanges(tokens('drop 7')))).toBe(
      'unknown change `drop`; use add <rule>, remove <id>, threshold <n>, qualify <minimums> or decay <half-life>, separated by `;`',
    );
    expect(errorOf(parseChanges(tokens('threshold 35 remove 7')))).toBe(
      'threshold: expected only the threshold (a whole number, e.g. 40), not `35 remove 7`; separate changes with `;`',
    );
    expect(errorOf(parseChanges(tokens('add TotalVisits => 5 5')))).toBe(
      'add: unknown operator `=>`; use one of = != > >= < <= in contains includes exists',
    );
  });
});

describe('ruleSyntax', () => {
  const stored = (field: string, op: Rule['op'], value: string | null, points: number, label: string | null = null): Rule => ({
    id: 1,
    field,
    op,
    value,
    points,
    label,
  });

  it('writes rules the way parseRule reads them back', () => {
    for (const r of [
      stored('Lead Origin', '=', 'Lead Add Form', 40, 'Inquiry form'),
      stored('Last Activity', 'in', 'Email Bounced, Unsubscribed', -10, 'Bad contact data'),
      stored('phone', 'exists', null, 5),
      stored('Total Time Spent on Website', '>=', '900', 30, 'Engaged on site'),
      stored('country', 'in', 'India,Canada', 5),
      stored('as', '=', 'exists', -3, 'a quoted word?'),
      stored('title', 'contains', 'vp', 15),
    ]) {
      const { id: _id, ...fields } = r;
      expect(rule(ruleSyntax(r))).toEqual({
        ...fields,
        value:
          r.op === 'in'
            ? r
                .value!.split(',')
                .map((v) => v.trim())
                .join(', ')
            : r.value,
      });
    }
    expect(ruleSyntax(stored('Lead Origin', '=', 'Lead Add Form', 40, 'Inquiry form'))).toBe(
      '"Lead Origin" = "Lead Add Form" 40 as "Inquiry form"',
    );
    expect(ruleSyntax(stored('phone', 'exists', null, 5))).toBe('phone exists 5');
  });
});
