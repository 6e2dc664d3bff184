import { describe, expect, it } from 'vitest';
import { explain } from '../../src/scoring/reason-text.js';
import { resolveField, score } from '../../src/scoring/score.js';
import { DEFAULT_RULES, DEFAULT_THRESHOLD } from '../../src/scoring/default-criteria.js';
import { OPERATORS } from '../../src/scoring/types.js';
import type { Attributes, Rule, ScorableEvent, ScorableLead } from '../../src/scoring/types.js';
import { criteria, events, makeLead, makeRule, NOW } from './fixtures.js';

/** The rule-syntax sentence `/mql score` shows for one matching rule. */
function reasonOf(rule: Rule, attributes: Attributes = {}, lead: Partial<ScorableLead> = {}, evts: ScorableEvent[] = []): string {
  const scored = makeLead(lead, attributes);
  expect(score(scored, evts, criteria([rule]), NOW).breakdown).toHaveLength(1);
  return explain(rule, resolveField(scored, evts, rule.field));
}

describe('score', () => {
  const lead = makeLead({}, { 'Total Time Spent on Website': 1532, 'Do Not Email': true, Visits: 3 });

  it('sums the points of matching rules, including negative points', () => {
    const result = score(
      lead,
      events('form_submit'),
      criteria([
        makeRule('Total Time Spent on Website', '>', '600', 20),
        makeRule('Do Not Email', '=', 'yes', -10),
        makeRule('events.form_submit', '>=', '1', 25),
        makeRule('Visits', '>', '10', 100),
      ]),
      NOW,
    );
    expect(result.total).toBe(35);
    expect(result.breakdown.map((b) => b.points)).toEqual([20, -10, 25]);
  });

  it('qualifies when the total equals the threshold, not below it', () => {
    const rules = [makeRule('Visits', '>=', '1', 30), makeRule('country', '=', 'Canada', 20)];
    expect(score(lead, [], criteria(rules, 50), NOW).qualified).toBe(true);
    expect(score(lead, [], criteria(rules, 51), NOW).qualified).toBe(false);
    expect(score(lead, [], criteria(rules, 49), NOW).qualified).toBe(true);
  });

  it('reaches an equal threshold with fractional points', () => {
    const rules = [makeRule('Visits', '>=', '1', 0.1), makeRule('country', '=', 'Canada', 0.2)];
    const result = score(lead, [], criteria(rules, 0.3), NOW);
    expect(result.total).toBe(0.3);
    expect(result.qualified).toBe(true);
  });

  it('can be pushed below the threshold by negative points', () => {
    const rules = [makeRule('Visits', '>=', '1', 50), makeRule('Do Not Email', '=', 'yes', -1)];
    const result = score(lead, [], criteria(rules, 50), NOW);
    expect(result.total).toBe(49);
    expect(result.qualified).toBe(false);
  });

  it('keeps rule order in the breakdown and echoes threshold and version', () => {
    const rules = [
      { ...makeRule('country', '=', 'canada', 1), id: 30 },
      { ...makeRule('Visits', '=', '99', 2), id: 10 },
      { ...makeRule('title', 'contains', 'director', 3), id: 20 },
      { ...makeRule('email', 'exists', null, 4), id: 5 },
    ];
    const result = score(lead, [], criteria(rules, 7, 42), NOW);
    expect(result.breakdown.map((b) => b.ruleId)).toEqual([30, 20, 5]);
    expect(result).toMatchObject({ total: 8, threshold: 7, qualified: true, criteriaVersion: 42 });
  });

  it('scores 0 with no rules', () => {
    expect(score(lead, [], criteria([], 1), NOW)).toEqual({
      total: 0,
      fit: 0,
      engagement: 0,
      threshold: 1,
      minimums: null,
      qualified: false,
      criteriaVersion: 3,
      breakdown: [],
      nextChangeAt: null,
    });
    expect(score(lead, [], criteria([], 0), NOW).qualified).toBe(true);
  });
});

describe('the rule syntax of a reason, for marketers (/mql score)', () => {
  const time = { 'Total Time Spent on Website': 1532 };

  it('states points, field, actual value, op and rule value', () => {
    expect(reasonOf(makeRule('Total Time Spent on Website', '>', '600', 20), time)).toBe('+20 Total Time Spent on Website 1,532 > 600');
  });

  it('puts the label first when there is one', () => {
    expect(reasonOf(makeRule('Total Time Spent on Website', '>', '600', 20, 'Engaged on site'), time)).toBe(
      '+20 Engaged on site: Total Time Spent on Website 1,532 > 600',
    );
    expect(reasonOf(makeRule('Total Time Spent on Website', '>', '600', 20, '  '), time)).toBe(
      '+20 Total Time Spent on Website 1,532 > 600',
    );
  });

  it('formats numeric strings and rule values with separators, up to 2 decimals', () => {
    expect(reasonOf(makeRule('n', '>=', '1000', 5), { n: ' 1234.5678 ' })).toBe('+5 n 1,234.57 >= 1,000');
    expect(reasonOf(makeRule('n', '=', '10', 5), { n: '10.0' })).toBe('+5 n 10 = 10');
  });

  it('keeps code-like values with leading zeros verbatim', () => {
    expect(reasonOf(makeRule('zip', '=', '02134', 5), { zip: '02134' })).toBe('+5 zip 02134 = 02134');
  });

  it('shows negative points and booleans as yes/no', () => {
    expect(reasonOf(makeRule('Do Not Email', '=', 'yes', -10), { 'Do Not Email': true })).toBe('-10 Do Not Email yes = yes');
    expect(reasonOf(makeRule('Opted In', '=', 'false', 1000), { 'Opted In': false })).toBe('+1,000 Opted In no = false');
  });

  it('says "exists" for exists rules', () => {
    expect(reasonOf(makeRule('Phone', 'exists', null, 5), { Phone: '+1 555 0100' })).toBe('+5 Phone exists');
    expect(reasonOf(makeRule('Phone', 'exists', null, 5, 'Has phone'), { Phone: 'x' })).toBe('+5 Has phone: Phone exists');
  });

  it('shows event counts', () => {
    const evts = events('form_submit', 'form_submit');
    expect(reasonOf(makeRule('events.form_submit', '>=', '1', 25), {}, {}, evts)).toBe('+25 events.form_submit 2 >= 1');
    expect(reasonOf(makeRule('events.form_submit', '>=', '1', 25, 'Submitted a form'), {}, {}, evts)).toBe(
      '+25 Submitted a form: events.form_submit 2 >= 1',
    );
  });

  it('lists in-values trimmed, comma-separated', () => {
    expect(reasonOf(makeRule('Country', 'in', 'United States,Canada  ', 10))).toBe('+10 Country Canada in United States, Canada');
  });

  it('shows a missing value as (empty) for !=', () => {
    expect(reasonOf(makeRule('Phone', '!=', 'n/a', 1))).toBe('+1 Phone (empty) != n/a');
  });

  it('truncates long actual values to 80 characters', () => {
    const long = `${'a'.repeat(100)}🚀`;
    const reason = reasonOf(makeRule('Notes', 'includes', 'aaa', 1), { Notes: long });
    expect(reason).toBe(`+1 Notes ${'a'.repeat(79)}… includes aaa`);
    const exact = 'b'.repeat(80);
    expect(reasonOf(makeRule('Notes', 'exists', null, 1), { Notes: exact })).toBe('+1 Notes exists');
    expect(reasonOf(makeRule('Notes', '=', exact, 1), { Notes: exact })).toBe(`+1 Notes ${exact} = ${exact}`);
  });

  it('does not split an emoji when truncating and collapses line breaks', () => {
    const long = '🚀'.repeat(90);
    expect(reasonOf(makeRule('Notes', 'contains', '🚀', 1), { Notes: long })).toBe(`+1 Notes ${'🚀'.repeat(79)}… contains 🚀`);
    expect(reasonOf(makeRule('Notes', 'contains', 'two', 1), { Notes: 'line one\nline  two' })).toBe(
      '+1 Notes line one line two contains two',
    );
  });
});

describe('default criteria', () => {
  const rules: Rule[] = DEFAULT_RULES.map((r, i) => ({ ...r, id: i + 1 }));
  const seeded = criteria(rules, DEFAULT_THRESHOLD);
  const noContact = makeLead({ title: null, email: null, company: null });

  it('labels every rule, uses known operators and never reads outcome-leaking columns', () => {
    for (const rule of rules) {
      expect(rule.label?.trim()).toBeTruthy();
      expect(OPERATORS).toContain(rule.op);
      expect(rule.field).not.toMatch(/^(Converted|Tags|Lead Quality|Asymmetrique.*|Last Notable Activity)$/i);
    }
  });

  it('qualifies an inquiry-form lead and a working professional on their own', () => {
    expect(score({ ...noContact, attributes: { 'Lead Origin': 'Lead Add Form' } }, [], seeded, NOW).qualified).toBe(true);
    const pro = { 'What is your current occupation': 'Working Professional' };
    expect(score({ ...noContact, attributes: pro }, [], seeded, NOW).qualified).toBe(true);
    expect(score(noContact, events('form_submit'), seeded, NOW).qualified).toBe(true);
  });

  it('does not qualify a lead without signals, nor an engaged lead that opted out of email', () => {
    expect(score(noContact, [], seeded, NOW).qualified).toBe(false);
    const engaged = { 'Total Time Spent on Website': 1200 };
    expect(score({ ...noContact, attributes: engaged }, [], seeded, NOW).qualified).toBe(true);
    expect(score({ ...noContact, attributes: { ...engaged, 'Do Not Email': 'Yes' } }, [], seeded, NOW).qualified).toBe(false);
  });

  it('rewards title seniority', () => {
    const withTitle = score(makeLead({ title: 'VP Marketing' }), [], seeded, NOW);
    expect(withTitle.breakdown.map((b) => b.reason)).toContain('+15 VP · VP Marketing');
  });
});
