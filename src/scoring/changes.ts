/** Criteria changes (add a rule, remove one, set the threshold): checking, applying and describing them. Pure. */
import { ruleSyntax } from './rule-syntax.js';
import { fold, listItems, toNumber } from './score.js';
import type { Criteria, CriteriaChange, NewRule, Rule } from './types.js';

/** A rule value the way scoring compares it: numbers as numbers, text folded, `in` lists as sets. */
function comparableValue(rule: NewRule): string {
  const one = (v: string) => {
    const n = toNumber(v);
    return n === null ? fold(v) : String(n);
  };
  if (rule.value === null) return '';
  return rule.op === 'in' ? [...new Set(listItems(rule.value).map(one))].sort().join('\u0000') : one(rule.value);
}

const sameTest = (a: NewRule, b: NewRule) => fold(a.field) === fold(b.field) && a.op === b.op && comparableValue(a) === comparableValue(b);

/** Why the change cannot be made to these criteria, or null. */
export function checkChange(criteria: Criteria, change: CriteriaChange): string | null {
  switch (change.kind) {
    case 'remove':
      return criteria.rules.some((r) => r.id === change.ruleId)
        ? null
        : `there is no active rule #${change.ruleId}; \`/mql criteria\` lists the rules with their ids`;
    case 'threshold':
      return change.threshold === criteria.threshold ? `the threshold is already ${criteria.threshold}` : null;
    case 'add': {
      const twin = criteria.rules.find((r) => sameTest(r, change.rule));
      return twin ? `rule #${twin.id} already tests that: ${ruleSyntax(twin)}` : null;
    }
  }
}

/** The criteria with one change made; an added rule gets `id`. */
export function applyChange(criteria: Criteria, change: CriteriaChange, id: number): Criteria {
  switch (change.kind) {
    case 'remove':
      return { ...criteria, rules: criteria.rules.filter((r) => r.id !== change.ruleId) };
    case 'threshold':
      return { ...criteria, threshold: change.threshold };
    case 'add':
      return { ...criteria, rules: [...criteria.rules, { id, ...change.rule }] };
  }
}

/**
 * Trial changes for a backtest, made in order; added rules get ids -1, -2, … so they cannot be mistaken
 * for stored ones. Fails on the first change that cannot be made.
 */
export function applyTrialChanges(
  criteria: Criteria,
  changes: CriteriaChange[],
): { ok: true; criteria: Criteria } | { ok: false; error: string } {
  let result = criteria;
  let nextId = -1;
  for (const change of changes) {
    const problem = checkChange(result, change);
    if (problem) return { ok: false, error: problem };
    result = applyChange(result, change, nextId);
    if (change.kind === 'add') nextId--;
  }
  return { ok: true, criteria: result };
}

const ruleRef = (rule: Rule) => (rule.id > 0 ? `#${rule.id}` : 'new');

/** One line per change, e.g. `+ #17 TotalVisits >= 10 5 as "Frequent visitor"`, `threshold 30 → 35`. */
export function describeChange(before: Criteria, after: Criteria): string[] {
  const beforeIds = new Set(before.rules.map((r) => r.id));
  const afterIds = new Set(after.rules.map((r) => r.id));
  return [
    ...before.rules.filter((r) => !afterIds.has(r.id)).map((r) => `- ${ruleRef(r)} ${ruleSyntax(r)}`),
    ...after.rules.filter((r) => !beforeIds.has(r.id)).map((r) => `+ ${ruleRef(r)} ${ruleSyntax(r)}`),
    ...(before.threshold === after.threshold ? [] : [`threshold ${before.threshold} → ${after.threshold}`]),
  ];
}
