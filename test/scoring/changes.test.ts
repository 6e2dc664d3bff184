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

describe('bounds, minimums, decay and reverts', () => {
  it('refuses a threshold no lead can reach or every lead reaches', () => {
    expect(checkChange(active, { kind: 'threshold', threshold: -5 })).toBe(
      'the threshold must be above 0 (at -5 a lead qualifies with no points)',
    );
    expect(checkChange(active, { kind: 'threshold', threshold: 0 })).toMatch(/^the threshold must be above 0/);
    expect(checkChange(active, { kind: 'threshold', threshold: 46 })).toBe(
      'no lead could reach 46: the most a lead can score is 45 (every positive rule matching)',
    );
    expect(checkChange(active, { kind: 'threshold', threshold: 45 })).toBeNull();
    // Removing the rule that makes the threshold reachable is refused too.
    expect(checkChange(active, { kind: 'remove', ruleId: 1 })).toBe(
      'no lead could reach 30: the most a lead can score is 5 (every positive rule matching)',
    );
  });

  it('bounds each minimum by what its axis can reach', () => {
    const withEvents: Criteria = { ...active, rules: [...active.rules, rule(4, 'events.form_submit', '>=', '1', 30)] };
    expect(checkChange(withEvents, { kind: 'minimums', minimums: { fit: 20, engagement: 30 } })).toBeNull();
    expect(checkChange(withEvents, { kind: 'minimums', minimums: { fit: 20, engagement: 31 } })).toBe(
      'no lead could reach engagement 31: the most a lead can score on engagement is 30',
    );
    expect(checkChange(withEvents, { kind: 'minimums', minimums: { fit: 0, engagement: 30 } })).toBe(
      'each minimum must be above 0 (at 0 an axis asks nothing of a lead)',
    );
    const axes = applyTrialChanges(withEvents, [{ kind: 'minimums', minimums: { fit: 20, engagement: 30 } }]);
    if (!axes.ok) throw new Error(axes.error);
    expect(checkChange(axes.criteria, { kind: 'minimums', minimums: { fit: 20, engagement: 30 } })).toBe(
      'leads already qualify at fit >= 20 and engagement >= 30',
    );
    // Back to the total: the same threshold is a change when minimums were set.
    expect(checkChange(axes.criteria, { kind: 'threshold', threshold: 30 })).toBeNull();
    expect(describeChange(withEvents, axes.criteria)).toEqual(['qualify total >= 30 → fit >= 20 and engagement >= 30']);
  });

  it('describes decay changes and refuses the decay already set', () => {
    const halfLife = applyTrialChanges(active, [{ kind: 'decay', decay: { kind: 'half-life', days: 30 } }]);
    if (!halfLife.ok) throw new Error(halfLife.error);
    expect(describeChange(active, halfLife.criteria)).toEqual([
      'decay: engagement points do not decay → engagement points halve every 30 days',
    ]);
    expect(checkChange(halfLife.criteria, { kind: 'decay', decay: { kind: 'half-life', days: 30 } })).toBe(
      'engagement points halve every 30 days already',
    );
  });

  it('reverts to an old version: its rules, qualifying rule and decay', () => {
    const old: Criteria = { version: 2, threshold: 40, decay: { kind: 'window', days: 30 }, rules: [active.rules[0]!] };
    const reverted = applyTrialChanges(active, [{ kind: 'revert', to: old }]);
    if (!reverted.ok) throw new Error(reverted.error);
    expect(reverted.criteria).toMatchObject({ version: 4, threshold: 40, decay: { kind: 'window', days: 30 }, rules: [active.rules[0]] });
    expect(describeChange(active, reverted.criteria)).toEqual([
      '- #2 "Last Activity" in "Email Bounced,Unsubscribed" -10 as "Bad contact data"',
      '- #3 phone exists 5',
      'threshold 30 → 40',
      'decay: engagement points do not decay → engagement points count for 30 days, then drop to 0',
    ]);
    expect(checkChange(active, { kind: 'revert', to: { ...active, version: 1 } })).toBe(
      'the active criteria are already equal to version 1',
    );
  });
});
