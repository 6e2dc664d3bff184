import { describe, expect, it } from 'vitest';
import {
  CORE_FIELD_NAMES,
  closestNames,
  editDistance,
  isStoredField,
  knownFieldNames,
  unknownFieldText,
} from '../../src/scoring/field-names.js';
import { fieldSource } from '../../src/scoring/score.js';

// The attribute keys of the real X Education leads (a few of them) and some event types.
const stored = {
  attributeKeys: ['Lead Origin', 'Lead Source', 'Do Not Email', 'TotalVisits', 'Total Time Spent on Website', 'Page Views Per Visit'],
  eventTypes: ['form_submit', 'email_click', 'Webinar'],
};

describe('editDistance', () => {
  it('counts inserts, deletes, substitutions and a swap of neighbours as one edit each', () => {
    expect(editDistance('Lead Source', 'Lead Source')).toBe(0);
    expect(editDistance('lead sorce', 'lead source')).toBe(1);
    expect(editDistance('titel', 'title')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('ca', 'abc')).toBe(3);
    // Characters, not UTF-16 units: an emoji is one character.
    expect(editDistance('a😀b', 'ab')).toBe(1);
  });
});

describe('closestNames', () => {
  const known = knownFieldNames(stored);

  it('suggests the stored names a slip away, nearest first, whatever the case', () => {
    expect(closestNames('Lead Sorce', known)).toEqual(['Lead Source']);
    expect(closestNames('LEAD SORCE', known)).toEqual(['Lead Source']);
    expect(closestNames('Total Visits', known)).toEqual(['TotalVisits']);
    expect(closestNames('titel', known)).toEqual(['title']);
    expect(closestNames('events.form_sumbit', known)).toEqual(['events.form_submit']);
    expect(closestNames('externalid', known)).toEqual(['external_id']);
    expect(closestNames('form_submit', known)).toEqual(['events.form_submit']);
  });

  it('ranks by distance and then by name, and gives at most three', () => {
    const names = ['abcd', 'abce', 'abcf', 'abxy', 'abcg'];
    expect(closestNames('abcz', names)).toEqual(['abcd', 'abce', 'abcf']);
    expect(closestNames('abcz', names, 1)).toEqual(['abcd']);
    expect(closestNames('Lead Orign', known)).toEqual(['Lead Origin']);
  });

  it('leaves out names too far to be a slip, and names the same but for case appear once', () => {
    expect(closestNames('age', known)).toEqual([]);
    expect(closestNames('Budget', known)).toEqual([]);
    expect(closestNames('x', known)).toEqual([]);
    expect(closestNames('lead sorce', ['Lead Source', 'lead source', 'LEAD SOURCE'])).toEqual(['Lead Source']);
  });
});

describe('isStoredField', () => {
  it('knows core fields always, attribute keys and event types case-insensitively, as scoring resolves them', () => {
    for (const name of CORE_FIELD_NAMES) expect(fieldSource(name).kind).toBe('core');
    expect(isStoredField('Title', { attributeKeys: [], eventTypes: [] })).toBe(true);
    expect(isStoredField('lead source', stored)).toBe(true);
    expect(isStoredField('"Lead Source"', stored)).toBe(true);
    expect(isStoredField('Events.WEBINAR', stored)).toBe(true);
    expect(isStoredField('Lead Sorce', stored)).toBe(false);
    expect(isStoredField('events.demo_request', stored)).toBe(false);
    // An attribute named like an event type is not that event type.
    expect(isStoredField('form_submit', stored)).toBe(false);
  });
});

describe('unknownFieldText', () => {
  it('names the field and the closest names, or only the field when nothing is close', () => {
    expect(unknownFieldText('Lead Sorce', stored)).toBe('no lead has `Lead Sorce`; did you mean `Lead Source`?');
    expect(unknownFieldText('Lead Orign', { ...stored, attributeKeys: [...stored.attributeKeys, 'Lead Origins', 'Lead Orig'] })).toBe(
      'no lead has `Lead Orign`; did you mean `Lead Orig`, `Lead Origin` or `Lead Origins`?',
    );
    expect(unknownFieldText('Budget', stored)).toBe('no lead has `Budget`');
    expect(unknownFieldText('a`b', stored)).toBe("no lead has `a'b`");
  });
});
