import { describe, expect, it } from 'vitest';
import { matches, resolveField, score } from '../../src/scoring/score.js';
import { DEFAULT_RULES, DEFAULT_THRESHOLD } from '../../src/scoring/default-criteria.js';
import { OPERATORS } from '../../src/scoring/types.js';
import type { Attributes, Criteria, Rule, ScorableEvent, ScorableLead } from '../../src/scoring/types.js';

function makeLead(overrides: Partial<ScorableLead> = {}, attributes: Attributes = {}): ScorableLead {
  return {
    source: 'api',
    externalId: 'ext-1',
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    company: 'Analytical Engines',
    title: 'Director of Engineering',
    country: 'Canada',
    attributes,
    ...overrides,
  };
}

let nextId = 1;
function makeRule(field: string, op: Rule['op'], value: string | null, points = 10, label: string | null = null): Rule {
  return { id: nextId++, field, op, value, points, label };
}

function criteria(rules: Rule[], threshold = 50, version = 3): Criteria {
  return { version, threshold, rules };
}

const events = (...types: string[]): ScorableEvent[] => types.map((type) => ({ type }));

/** Whether a single rule matches the given attributes / lead / events, through the public score(). */
function hit(
  field: string,
  op: Rule['op'],
  value: string | null,
  attributes: Attributes = {},
  lead: Partial<ScorableLead> = {},
  evts: ScorableEvent[] = [],
): boolean {
  const result = score(makeLead(lead, attributes), evts, criteria([makeRule(field, op, value)]));
  return result.breakdown.length === 1;
}

/** The reason sentence of one matching rule. */
function reasonOf(rule: Rule, attributes: Attributes = {}, lead: Partial<ScorableLead> = {}, evts: ScorableEvent[] = []): string {
  const result = score(makeLead(lead, attributes), evts, criteria([rule]));
  expect(result.breakdown).toHaveLength(1);
  return result.breakdown[0]!.reason;
}

describe('resolveField', () => {
  const lead = makeLead(
    { country: null },
    { 'Lead Origin': 'Lead Add Form', score: 1, Score: 2, Empty: null, TotalVisits: 7, Country: 'India' },
  );

  it('reads core fields case-insensitively', () => {
    expect(resolveField(lead, [], 'EMAIL')).toBe('ada@example.com');
    expect(resolveField(lead, [], 'Title')).toBe('Director of Engineering');
    expect(resolveField(lead, [], 'externalid')).toBe('ext-1');
    expect(resolveField(lead, [], 'externalId')).toBe('ext-1');
    expect(resolveField(lead, [], 'source')).toBe('api');
  });

  it('gives a core field precedence over an attribute of the same name', () => {
    // Core country is null; the "Country" attribute is not consulted.
    expect(resolveField(lead, [], 'country')).toBeNull();
  });

  it('counts events by type, case-insensitively, 0 when none', () => {
    const evts = events('form_submit', 'FORM_SUBMIT', 'email_click');
    expect(resolveField(lead, evts, 'events.form_submit')).toBe(2);
    expect(resolveField(lead, evts, 'Events.Form_Submit')).toBe(2);
    expect(resolveField(lead, evts, 'events.email_click')).toBe(1);
    expect(resolveField(lead, evts, 'events.webinar_attended')).toBe(0);
    expect(resolveField(lead, [], 'events.form_submit')).toBe(0);
  });

  it('reads attribute keys with spaces, exact key first, then case-insensitively', () => {
    expect(resolveField(lead, [], 'Lead Origin')).toBe('Lead Add Form');
    expect(resolveField(lead, [], 'lead origin')).toBe('Lead Add Form');
    expect(resolveField(lead, [], '  LEAD ORIGIN ')).toBe('Lead Add Form');
    expect(resolveField(lead, [], '"Lead Origin"')).toBe('Lead Add Form');
    expect(resolveField(lead, [], 'score')).toBe(1);
    expect(resolveField(lead, [], 'Score')).toBe(2);
    expect(resolveField(lead, [], 'totalvisits')).toBe(7);
  });

  it('returns null for missing and null attributes, and ignores inherited object keys', () => {
    expect(resolveField(lead, [], 'Phone')).toBeNull();
    expect(resolveField(lead, [], 'Empty')).toBeNull();
    expect(resolveField(lead, [], 'constructor')).toBeNull();
    expect(resolveField(lead, [], 'toString')).toBeNull();
  });
});

describe('operators', () => {
  it('= compares text case-insensitively and trims both sides', () => {
    expect(hit('Lead Origin', '=', 'lead add form', { 'Lead Origin': 'Lead Add Form' })).toBe(true);
    expect(hit('Lead Origin', '=', '  LEAD ADD FORM ', { 'Lead Origin': ' Lead Add Form  ' })).toBe(true);
    expect(hit('Lead Origin', '=', 'Lead Add', { 'Lead Origin': 'Lead Add Form' })).toBe(false);
    expect(hit('company', '=', 'analytical engines')).toBe(true);
  });

  it('!= is the negation of =', () => {
    expect(hit('Lead Origin', '!=', 'API', { 'Lead Origin': 'Lead Add Form' })).toBe(true);
    expect(hit('Lead Origin', '!=', 'lead add form', { 'Lead Origin': 'Lead Add Form' })).toBe(false);
    expect(hit('n', '!=', '10.0', { n: 10 })).toBe(false);
    expect(hit('n', '!=', '11', { n: 10 })).toBe(true);
  });

  it('compares numbers and numeric strings numerically', () => {
    expect(hit('n', '=', '10.0', { n: '10' })).toBe(true);
    expect(hit('n', '=', '10', { n: 10 })).toBe(true);
    expect(hit('n', '=', ' 1532 ', { n: 1532 })).toBe(true);
    expect(hit('n', '>', '600', { n: ' 1532 ' })).toBe(true);
    // Lexicographically "9" > "10"; numerically it is not.
    expect(hit('n', '>', '10', { n: '9' })).toBe(false);
    expect(hit('n', '<', '10', { n: '9' })).toBe(true);
    expect(hit('n', '>', '2.25', { n: '2.5' })).toBe(true);
    expect(hit('n', '<', '-2', { n: '-3' })).toBe(true);
    expect(hit('n', '>=', '+5', { n: 5 })).toBe(true);
  });

  it('>= <= include the boundary, > < exclude it', () => {
    expect(hit('n', '>=', '600', { n: 600 })).toBe(true);
    expect(hit('n', '>', '600', { n: 600 })).toBe(false);
    expect(hit('n', '<=', '600', { n: 600 })).toBe(true);
    expect(hit('n', '<', '600', { n: 600 })).toBe(false);
    expect(hit('n', '<=', '600', { n: 601 })).toBe(false);
    expect(hit('n', '<', '600', { n: 599.5 })).toBe(true);
  });

  it('does not compare text by order, nor thousands-separated or empty numbers', () => {
    expect(hit('s', '>', 'a', { s: 'b' })).toBe(false);
    expect(hit('s', '<', 'b', { s: 'a' })).toBe(false);
    expect(hit('n', '>', '600', { n: '1,532' })).toBe(false);
    expect(hit('n', '<', '600', { n: '1,532' })).toBe(false);
    expect(hit('n', '>=', '0', { n: '' })).toBe(false);
    expect(hit('n', '>', '600', { n: 'lots' })).toBe(false);
    expect(hit('n', '>', 'abc', { n: 5 })).toBe(false);
    // "1,532" is still equal to itself as text.
    expect(hit('n', '=', '1,532', { n: '1,532' })).toBe(true);
    expect(hit('n', '=', '1532', { n: '1,532' })).toBe(false);
  });

  it('in matches any trimmed item of a comma list, with = equality', () => {
    expect(hit('country', 'in', 'United States,  canada ,Mexico')).toBe(true);
    expect(hit('country', 'in', 'United States, Mexico')).toBe(false);
    expect(hit('country', 'in', 'Can')).toBe(false);
    expect(hit('n', 'in', '5, 10, 15', { n: '10.0' })).toBe(true);
    expect(hit('n', 'in', '5, ,15', { n: 10 })).toBe(false);
    expect(hit('s', 'in', ' , ', { s: '' })).toBe(false);
  });

  it('contains is a case-insensitive substring match', () => {
    expect(hit('title', 'contains', 'director')).toBe(true);
    expect(hit('title', 'contains', 'DIRECTOR OF')).toBe(true);
    expect(hit('title', 'contains', 'chief')).toBe(false);
    expect(hit('n', 'contains', '53', { n: 1532 })).toBe(true);
  });

  it('exists is true for present, non-empty values', () => {
    expect(hit('Phone', 'exists', null, { Phone: '+1 555 0100' })).toBe(true);
    expect(hit('Opted', 'exists', null, { Opted: false })).toBe(true);
    expect(hit('Visits', 'exists', null, { Visits: 0 })).toBe(true);
    expect(hit('Phone', 'exists', null, { Phone: '' })).toBe(false);
    expect(hit('Phone', 'exists', null, { Phone: '   ' })).toBe(false);
    expect(hit('Phone', 'exists', null, { Phone: null })).toBe(false);
    expect(hit('Phone', 'exists', null, {})).toBe(false);
    expect(hit('company', 'exists', null, {}, { company: null })).toBe(false);
    expect(hit('company', 'exists', null)).toBe(true);
  });

  it('exists on an event count means at least one event', () => {
    expect(hit('events.form_submit', 'exists', null, {}, {}, events('form_submit'))).toBe(true);
    expect(hit('events.form_submit', 'exists', null, {}, {}, events('email_click'))).toBe(false);
  });

  it('matches booleans against true/false/yes/no, case-insensitively', () => {
    expect(hit('Do Not Email', '=', 'yes', { 'Do Not Email': true })).toBe(true);
    expect(hit('Do Not Email', '=', 'TRUE', { 'Do Not Email': true })).toBe(true);
    expect(hit('Do Not Email', '=', 'No', { 'Do Not Email': false })).toBe(true);
    expect(hit('Do Not Email', '=', 'false', { 'Do Not Email': false })).toBe(true);
    expect(hit('Do Not Email', '=', 'no', { 'Do Not Email': true })).toBe(false);
    expect(hit('Do Not Email', '=', '1', { 'Do Not Email': true })).toBe(false);
    expect(hit('Do Not Email', '!=', 'yes', { 'Do Not Email': false })).toBe(true);
    expect(hit('Do Not Email', 'in', 'maybe, Yes', { 'Do Not Email': true })).toBe(true);
    // Text "Yes" (e.g. straight from a CSV) matches as text.
    expect(hit('Do Not Email', '=', 'YES', { 'Do Not Email': 'Yes' })).toBe(true);
  });

  it('exposes the matcher for single values', () => {
    expect(matches(3, { op: '>', value: '2' })).toBe(true);
    expect(matches(null, { op: '!=', value: 'x' })).toBe(true);
    expect(matches(0, { op: 'exists', value: null }, true)).toBe(false);
  });
});

describe('missing values', () => {
  const ops = OPERATORS.filter((op) => op !== '!=');

  it.each(ops)('a missing attribute never matches %s', (op) => {
    expect(hit('Phone', op, op === 'exists' ? null : '1', {})).toBe(false);
  });

  it.each(ops)('a null attribute never matches %s', (op) => {
    expect(hit('Phone', op, op === 'exists' ? null : '1', { Phone: null })).toBe(false);
  });

  it('a missing or null value matches != (it differs from the rule value)', () => {
    expect(hit('Phone', '!=', '1', {})).toBe(true);
    expect(hit('Phone', '!=', '1', { Phone: null })).toBe(true);
    expect(hit('Phone', '!=', '1', { Phone: '' })).toBe(true);
    expect(hit('country', '!=', 'India', {}, { country: null })).toBe(true);
  });

  it('a null core field does not match = or contains', () => {
    expect(hit('title', '=', 'Director', {}, { title: null })).toBe(false);
    expect(hit('title', 'contains', 'dir', {}, { title: null })).toBe(false);
  });

  it('a rule without a value matches nothing but exists', () => {
    expect(hit('country', '=', null)).toBe(false);
    expect(hit('country', '!=', null)).toBe(false);
    expect(hit('country', 'contains', '')).toBe(false);
    expect(hit('country', '!=', '  ', {}, { country: null })).toBe(false);
  });

  it('event counts are never missing: 0 compares as a number', () => {
    expect(hit('events.form_submit', '=', '0')).toBe(true);
    expect(hit('events.form_submit', '<', '1')).toBe(true);
    expect(hit('events.form_submit', '>=', '1')).toBe(false);
    expect(hit('events.form_submit', '!=', '0')).toBe(false);
  });

  it('event types compare case-insensitively in both rule and event', () => {
    expect(hit('events.Webinar_Attended', '>=', '2', {}, {}, events('webinar_attended', 'WEBINAR_ATTENDED'))).toBe(true);
    expect(hit('events.webinar_attended', '>=', '3', {}, {}, events('webinar_attended', 'WEBINAR_ATTENDED'))).toBe(false);
  });
});

describe('unicode', () => {
  it('folds case beyond ASCII', () => {
    expect(hit('city', '=', 'ZÜRICH', { city: 'Zürich' })).toBe(true);
    expect(hit('city', '=', 'zurich', { city: 'Zürich' })).toBe(false);
    expect(hit('city', '=', 'istanbul', { city: 'İstanbul' })).toBe(true);
    expect(hit('city', '=', 'İSTANBUL', { city: 'istanbul' })).toBe(true);
    expect(hit('street', '=', 'STRASSE', { street: 'Straße' })).toBe(true);
    expect(hit('city', '=', 'МОСКВА', { city: 'Москва' })).toBe(true);
  });

  it('normalises composed and decomposed forms and full-width characters', () => {
    expect(hit('city', '=', 'Zu\u0308rich', { city: 'Z\u00fcrich' })).toBe(true);
    expect(hit('dept', '=', 'finance', { dept: 'ＦＩＮＡＮＣＥ' })).toBe(true);
    expect(hit('n', '>', '10', { n: '１２' })).toBe(true);
  });

  it('handles emoji in values and in contains', () => {
    expect(hit('tag', 'contains', '🚀', { tag: 'Launch 🚀 team' })).toBe(true);
    expect(hit('tag', '=', '🚀 launch', { tag: '🚀 Launch' })).toBe(true);
    expect(hit('tag', 'contains', '🔥', { tag: 'Launch 🚀 team' })).toBe(false);
  });

  it('matches non-ASCII attribute keys case-insensitively', () => {
    expect(hit('GRÖSSE', '>', '5', { Größe: 7 })).toBe(true);
  });
});

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
    );
    expect(result.total).toBe(35);
    expect(result.breakdown.map((b) => b.points)).toEqual([20, -10, 25]);
  });

  it('qualifies when the total equals the threshold, not below it', () => {
    const rules = [makeRule('Visits', '>=', '1', 30), makeRule('country', '=', 'Canada', 20)];
    expect(score(lead, [], criteria(rules, 50)).qualified).toBe(true);
    expect(score(lead, [], criteria(rules, 51)).qualified).toBe(false);
    expect(score(lead, [], criteria(rules, 49)).qualified).toBe(true);
  });

  it('reaches an equal threshold with fractional points', () => {
    const rules = [makeRule('Visits', '>=', '1', 0.1), makeRule('country', '=', 'Canada', 0.2)];
    const result = score(lead, [], criteria(rules, 0.3));
    expect(result.total).toBe(0.3);
    expect(result.qualified).toBe(true);
  });

  it('can be pushed below the threshold by negative points', () => {
    const rules = [makeRule('Visits', '>=', '1', 50), makeRule('Do Not Email', '=', 'yes', -1)];
    const result = score(lead, [], criteria(rules, 50));
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
    const result = score(lead, [], criteria(rules, 7, 42));
    expect(result.breakdown.map((b) => b.ruleId)).toEqual([30, 20, 5]);
    expect(result).toMatchObject({ total: 8, threshold: 7, qualified: true, criteriaVersion: 42 });
  });

  it('scores 0 with no rules', () => {
    expect(score(lead, [], criteria([], 1))).toEqual({
      total: 0,
      threshold: 1,
      qualified: false,
      criteriaVersion: 3,
      breakdown: [],
    });
    expect(score(lead, [], criteria([], 0)).qualified).toBe(true);
  });
});

describe('breakdown sentences', () => {
  const time = { 'Total Time Spent on Website': 1532 };

  it('states points, field, actual value, op and rule value', () => {
    expect(reasonOf(makeRule('Total Time Spent on Website', '>', '600', 20), time)).toBe(
      '+20 Total Time Spent on Website 1,532 > 600',
    );
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
    expect(reasonOf(makeRule('Do Not Email', '=', 'yes', -10), { 'Do Not Email': true })).toBe(
      '-10 Do Not Email yes = yes',
    );
    expect(reasonOf(makeRule('Opted In', '=', 'false', 1000), { 'Opted In': false })).toBe(
      '+1,000 Opted In no = false',
    );
  });

  it('says "exists" for exists rules', () => {
    expect(reasonOf(makeRule('Phone', 'exists', null, 5), { Phone: '+1 555 0100' })).toBe('+5 Phone exists');
    expect(reasonOf(makeRule('Phone', 'exists', null, 5, 'Has phone'), { Phone: 'x' })).toBe(
      '+5 Has phone: Phone exists',
    );
  });

  it('shows event counts', () => {
    const evts = events('form_submit', 'form_submit');
    expect(reasonOf(makeRule('events.form_submit', '>=', '1', 25), {}, {}, evts)).toBe('+25 events.form_submit 2 >= 1');
    expect(reasonOf(makeRule('events.form_submit', '>=', '1', 25, 'Submitted a form'), {}, {}, evts)).toBe(
      '+25 Submitted a form: events.form_submit 2 >= 1',
    );
  });

  it('lists in-values trimmed, comma-separated', () => {
    expect(reasonOf(makeRule('Country', 'in', 'United States,Canada  ', 10))).toBe(
      '+10 Country Canada in United States, Canada',
    );
  });

  it('shows a missing value as (empty) for !=', () => {
    expect(reasonOf(makeRule('Phone', '!=', 'n/a', 1))).toBe('+1 Phone (empty) != n/a');
  });

  it('truncates long actual values to 80 characters', () => {
    const long = `${'a'.repeat(100)}🚀`;
    const reason = reasonOf(makeRule('Notes', 'contains', 'aaa', 1), { Notes: long });
    expect(reason).toBe(`+1 Notes ${'a'.repeat(79)}… contains aaa`);
    const exact = 'b'.repeat(80);
    expect(reasonOf(makeRule('Notes', 'exists', null, 1), { Notes: exact })).toBe('+1 Notes exists');
    expect(reasonOf(makeRule('Notes', '=', exact, 1), { Notes: exact })).toBe(`+1 Notes ${exact} = ${exact}`);
  });

  it('does not split an emoji when truncating and collapses line breaks', () => {
    const long = '🚀'.repeat(90);
    expect(reasonOf(makeRule('Notes', 'contains', '🚀', 1), { Notes: long })).toBe(
      `+1 Notes ${'🚀'.repeat(79)}… contains 🚀`,
    );
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
    expect(score({ ...noContact, attributes: { 'Lead Origin': 'Lead Add Form' } }, [], seeded).qualified).toBe(true);
    const pro = { 'What is your current occupation': 'Working Professional' };
    expect(score({ ...noContact, attributes: pro }, [], seeded).qualified).toBe(true);
    expect(score(noContact, events('form_submit'), seeded).qualified).toBe(true);
  });

  it('does not qualify a lead without signals, nor an engaged lead that opted out of email', () => {
    expect(score(noContact, [], seeded).qualified).toBe(false);
    const engaged = { 'Total Time Spent on Website': 1200 };
    expect(score({ ...noContact, attributes: engaged }, [], seeded).qualified).toBe(true);
    expect(score({ ...noContact, attributes: { ...engaged, 'Do Not Email': 'Yes' } }, [], seeded).qualified).toBe(false);
  });

  it('rewards title seniority', () => {
    const withTitle = score(makeLead({ title: 'VP Marketing' }), [], seeded);
    expect(withTitle.breakdown.map((b) => b.reason)).toContain('+15 VP: title VP Marketing contains vp');
  });
});
