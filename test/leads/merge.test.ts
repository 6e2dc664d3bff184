import { describe, expect, it } from 'vitest';
import type { LeadInput } from '../../src/leads/input.js';
import { combineDuplicates, mergeLeadFields, sameLeadFields, type StoredLeadFields } from '../../src/leads/merge.js';

const stored: StoredLeadFields = {
  email: 'ada@example.com',
  name: 'Ada',
  company: 'Engines Ltd',
  title: 'CTO',
  country: 'UK',
  attributes: { 'Lead Source': 'Google', visits: 3 },
};

const input = (o: Partial<LeadInput> = {}): LeadInput => ({ source: 'web', externalId: 'L1', ...o });
const at = (iso: string) => new Date(iso);

describe('mergeLeadFields', () => {
  it('a new lead takes the given fields; the rest are null, attributes as given', () => {
    expect(mergeLeadFields(undefined, input({ email: 'x@y.com', name: 'X', attributes: { a: 1 } }))).toEqual({
      email: 'x@y.com',
      name: 'X',
      company: null,
      title: null,
      country: null,
      attributes: { a: 1 },
    });
  });

  it('a new lead without attributes gets an empty object', () => {
    expect(mergeLeadFields(undefined, input()).attributes).toEqual({});
  });

  it('keeps stored core fields that the input leaves out', () => {
    expect(mergeLeadFields(stored, input({ title: 'CEO' }))).toEqual({ ...stored, title: 'CEO' });
  });

  it('clears a core field given as null or as an empty string', () => {
    const merged = mergeLeadFields(stored, input({ company: null, country: '' }));
    expect(merged.company).toBeNull();
    expect(merged.country).toBeNull();
    expect(merged.name).toBe('Ada');
  });

  it('merges attributes key by key: new keys added, given keys replaced, others kept', () => {
    expect(mergeLeadFields(stored, input({ attributes: { visits: 4, budget: 'yes', 'Lead Source': null } })).attributes).toEqual({
      'Lead Source': null,
      visits: 4,
      budget: 'yes',
    });
  });

  it('does not change the stored fields', () => {
    const copy = structuredClone(stored);
    mergeLeadFields(stored, input({ name: 'Other', attributes: { visits: 9 } }));
    expect(stored).toEqual(copy);
  });
});

describe('sameLeadFields', () => {
  it('is true for equal fields, whatever the attribute key order', () => {
    expect(sameLeadFields(stored, { ...stored, attributes: { visits: 3, 'Lead Source': 'Google' } })).toBe(true);
  });

  it('notices a changed core field', () => {
    for (const field of ['email', 'name', 'company', 'title', 'country'] as const) {
      expect(sameLeadFields(stored, { ...stored, [field]: null })).toBe(false);
    }
  });

  it('notices a changed, added or removed attribute', () => {
    expect(sameLeadFields(stored, { ...stored, attributes: { ...stored.attributes, visits: 4 } })).toBe(false);
    expect(sameLeadFields(stored, { ...stored, attributes: { ...stored.attributes, extra: null } })).toBe(false);
    expect(sameLeadFields(stored, { ...stored, attributes: { visits: 3 } })).toBe(false);
  });

  it('tells a number from the same digits as text', () => {
    expect(sameLeadFields(stored, { ...stored, attributes: { ...stored.attributes, visits: '3' } })).toBe(false);
  });

  it('sees an upsert that repeats the stored values as no change', () => {
    const replay = mergeLeadFields(stored, input({ name: 'Ada', attributes: { visits: 3 } }));
    expect(sameLeadFields(stored, replay)).toBe(true);
  });
});

describe('combineDuplicates', () => {
  it('leaves distinct leads alone, in order', () => {
    const a = input({ externalId: 'A' });
    const b = input({ externalId: 'B' });
    const c = input({ source: 'csv', externalId: 'A' }); // same id, other source: another lead
    expect(combineDuplicates([a, b, c])).toEqual([a, b, c]);
  });

  it('combines the same lead: later values win, attributes merge, events add up, at the first position', () => {
    const e1 = { type: 'form_submit', occurredAt: at('2026-01-01T00:00:00Z') };
    const e2 = { type: 'email_click', occurredAt: at('2026-01-02T00:00:00Z') };
    const e3 = { type: 'email_click', occurredAt: at('2026-01-03T00:00:00Z') };
    const result = combineDuplicates([
      input({ name: 'Ada', company: 'Old Co', attributes: { a: 1, b: 1 }, events: [e1] }),
      input({ externalId: 'OTHER' }),
      input({ company: 'New Co', title: 'CTO', attributes: { b: 2 }, events: [e2] }),
      input({ email: 'ada@example.com', events: [e3] }),
    ]);
    expect(result).toEqual([
      {
        source: 'web',
        externalId: 'L1',
        name: 'Ada',
        company: 'New Co',
        title: 'CTO',
        email: 'ada@example.com',
        attributes: { a: 1, b: 2 },
        events: [e1, e2, e3],
      },
      input({ externalId: 'OTHER' }),
    ]);
  });

  it('a later explicit null clears an earlier value; a missing field does not', () => {
    const [combined] = combineDuplicates([input({ name: 'Ada', company: 'Co' }), input({ name: null })]);
    expect(combined?.name).toBeNull();
    expect(combined?.company).toBe('Co');
  });

  it('does not change its inputs', () => {
    const first = input({ name: 'Ada', attributes: { a: 1 }, events: [] });
    const copy = structuredClone(first);
    combineDuplicates([first, input({ name: 'Bob', attributes: { a: 2 } })]);
    expect(first).toEqual(copy);
  });
});
