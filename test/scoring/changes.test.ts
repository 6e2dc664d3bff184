import { describe, expect, it } from 'vitest';
import { applyTrialChanges, describeChange, tryChange } from '../../src/scoring/changes.js';
import type { Criteria, CriteriaChange, Rule } from '../../src/scoring/types.js';

const rule = (id: number, field: string, op: Rule['op'], value: string | null, points: number, label: string | null = null): Rule => ({
  id,
  field,
  op,
  value,
  points,
  label,
});

const active: Criteria = {
  version: 4,
  threshold: 30,
  rules: [
    rule(1, 'Lead Origin', '=', 'Lead Add Form', 40, 'Inquiry form'),
    rule(2, 'Last Activity', 'in', 'Email Bounced, Unsubscribed', -10, 'Bad contact data'),
    rule(3, 'phone', 'exists', null, 5),
  ],
};

/** Why the change cannot be made to the active criteria, or null. */
function checkChange(criteria: Criteria, change: CriteriaChange): string | null {
  const tried = tryChange(criteria, change, 0);
  return tried.ok ? null : tried.error;
}

describe('tryChange', () => {
  it('refuses to remove a rule that is not active', () => {
    expect(checkChange(active, { kind: 'remove', ruleId: 9 })).toBe(
      'there is no active rule #9; `/mql criteria` lists the rules with their ids',
    );
    expect(checkChange(active, { kind: 'remove', ruleId: 2 })).toBeNull();
  });

  it('refuses the threshold it already has', () => {
    expect(checkChange(active, { kind: 'threshold', threshold: 30 })).toBe('the threshold is already 30');
  });

  it('refuses a rule that tests what an active rule tests, the way scoring compares', () => {
    const twin = { field: 'lead origin', op: '=' as const, value: 'LEAD ADD FORM', points: 5, label: null };
    expect(checkChange(active, { kind: 'add', rule: twin })).toMatch(/^rule #1 already tests that/);
    const list = { field: 'Last Activity', op: 'in' as const, value: 'unsubscribed, email bounced', points: 1, label: null };
    expect(checkChange(active, { kind: 'add', rule: list })).toMatch(/^rule #2 already tests that/);
    expect(checkChange(active, { kind: 'add', rule: { ...twin, op: '!=' } })).toBeNull();
  });
});

describe('applyTrialChanges and describeChange', () => {
  it('makes changes in order, numbering new rules -1, -2 and leaving the version alone', () => {
    const result = applyTrialChanges(active, [
      { kind: 'remove', ruleId: 3 },
      { kind: 'add', rule: { field: 'TotalVisits', op: '>=', value: '10', points: 5, label: 'Frequent' } },
      { kind: 'threshold', threshold: 35 },
    ]);
    if (!result.ok) throw new Error(result.error);
    expect(result.criteria.version).toBe(4);
    expect(result.criteria.threshold).toBe(35);
    expect(result.criteria.rules.map((r) => r.id)).toEqual([1, 2, -1]);
    expect(describeChange(active, result.criteria)).toEqual([
      '- #3 phone exists 5',
      '+ new TotalVisits >= 10 5 as Frequent',
      'threshold 30 → 35',
    ]);
  });

  it('fails on the first change that cannot be made', () => {
    expect(
      applyTrialChanges(active, [
        { kind: 'threshold', threshold: 40 },
        { kind: 'remove', ruleId: 77 },
      ]),
    ).toEqual({
      ok: false,
      error: 'there is no active rule #77; `/mql criteria` lists the rules with their ids',
    });
  });
});
