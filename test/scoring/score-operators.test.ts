import { describe, expect, it } from 'vitest';
import { matches, resolveField, score } from '../../src/scoring/score.js';
import { OPERATORS } from '../../src/scoring/types.js';
import type { Attributes, Rule, ScorableEvent, ScorableLead } from '../../src/scoring/types.js';
import { criteria, events, makeLead, makeRule, NOW } from './fixtures.js';

/** Whether a single rule matches the given attributes / lead / events, through the public score(). */
function hit(
  field: string,
  op: Rule['op'],
  value: string | null,
  attributes: Attributes = {},
  lead: Partial<ScorableLead> = {},
  evts: ScorableEvent[] = [],
): boolean {
  const result = score(makeLead(lead, attributes), evts, criteria([makeRule(field, op, value)]), NOW);
  return result.breakdown.length === 1;
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

  it('includes is a case-insensitive substring match', () => {
    expect(hit('title', 'includes', 'direct')).toBe(true);
    expect(hit('title', 'includes', 'DIRECTOR OF')).toBe(true);
    expect(hit('title', 'includes', 'chief')).toBe(false);
    expect(hit('n', 'includes', '53', { n: 1532 })).toBe(true);
  });

  it('contains matches whole words and phrases, case- and accent-insensitively', () => {
    const title = (t: string, value: string) => hit('title', 'contains', value, {}, { title: t });
    expect(title('VP of Sales', 'vp')).toBe(true);
    expect(title('vp, marketing', 'vp')).toBe(true);
    expect(title('Network Engineer (VPN)', 'vp')).toBe(false);
    expect(title('SVP Sales', 'vp')).toBe(false);
    expect(title('Director of Ops', 'cto')).toBe(false);
    expect(title('CTO/co-founder', 'cto')).toBe(true);
    expect(title('Head of Growth', 'head of')).toBe(true);
    expect(title('Head-of-Growth', 'head of')).toBe(true);
    expect(title('Head Office of Growth', 'head of')).toBe(false);
    expect(title('Directrice Générale', 'generale')).toBe(true);
    expect(title('Vice-Président', 'VICE PRESIDENT')).toBe(true);
    expect(title('Директор по продажам', 'директор')).toBe(true);
    expect(title('Генеральный директор', 'дир')).toBe(false);
    expect(title('Διευθυντής Πωλήσεων', 'διευθυντης')).toBe(true);
    expect(title('مدير المبيعات', 'مدير')).toBe(true);
    expect(title('销售经理', '经理')).toBe(true);
    expect(title('営業部長', '部長')).toBe(true);
    expect(hit('n', 'contains', '53', { n: 1532 })).toBe(false);
    expect(hit('n', 'contains', '1532', { n: 1532 })).toBe(true);
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
