/** Criteria changes (rules, the qualifying rule, decay, a revert): checking, applying and describing them. Pure. */
import { decayOf, decayText, minimumsOf, qualifyingRuleText, reachable } from './axes.js';
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

const sameTest = (a: NewRule, b: NewRule) =>
  fold(a.field) === fold(b.field) &&
  a.op === b.op &&
  comparableValue(a) === comparableValue(b) &&
  (a.withinMs ?? null) === (b.withinMs ?? null);

const sameDecay = (a: Criteria, b: Criteria) => JSON.stringify(decayOf(a)) === JSON.stringify(decayOf(b));

/** Why the change cannot be made to these criteria (before its result is bounded), or null. */
function checkAgainst(criteria: Criteria, change: CriteriaChange): string | null {
  switch (change.kind) {
    case 'remove':
      return criteria.rules.some((r) => r.id === change.ruleId)
        ? null
        : `there is no active rule #${change.ruleId}; \`/mql criteria\` lists the rules with their ids`;
    case 'threshold':
      return change.threshold === criteria.threshold && !minimumsOf(criteria) ? `the threshold is already ${criteria.threshold}` : null;
    case 'minimums': {
      const m = minimumsOf(criteria);
      return m && m.fit === change.minimums.fit && m.engagement === change.minimums.engagement
        ? `leads already qualify at ${qualifyingRuleText(criteria)}`
        : null;
    }
    case 'decay':
      return sameDecay(criteria, { ...criteria, decay: change.decay }) ? `${decayText(change.decay)} already` : null;
    case 'revert':
      return describeChange(criteria, change.to).length === 0
        ? `the active criteria are already equal to version ${change.to.version}`
        : null;
    case 'add': {
      const twin = criteria.rules.find((r) => sameTest(r, change.rule));
      return twin ? `rule #${twin.id} already tests that: ${ruleSyntax(twin)}` : null;
    }
  }
}

/** Why criteria cannot be used: a line no lead could reach, or one every lead reaches with nothing. */
export function checkBounds(criteria: Criteria): string | null {
  const most = reachable(criteria.rules);
  const minimums = minimumsOf(criteria);
  if (!minimums) {
    if (criteria.threshold <= 0) return `the threshold must be above 0 (at ${criteria.threshold} a lead qualifies with no points)`;
    return criteria.threshold > most.total
      ? `no lead could reach ${criteria.threshold}: the most a lead can score is ${most.total} (every positive rule matching)`
      : null;
  }
  // As the threshold: at 0 an axis asks nothing of a lead.
  if (minimums.fit <= 0 || minimums.engagement <= 0) return 'each minimum must be above 0 (at 0 an axis asks nothing of a lead)';
  for (const axis of ['fit', 'engagement'] as const) {
    if (minimums[axis] > most[axis]) {
      return `no lead could reach ${axis} ${minimums[axis]}: the most a lead can score on ${axis} is ${most[axis]}`;
    }
  }
  return null;
}

/** The criteria with one change made; an added rule gets `id`. */
export function applyChange(criteria: Criteria, change: CriteriaChange, id: number): Criteria {
  switch (change.kind) {
    case 'remove':
      return { ...criteria, rules: criteria.rules.filter((r) => r.id !== change.ruleId) };
    case 'threshold':
      return { ...criteria, threshold: change.threshold, minimums: null };
    case 'minimums':
      return { ...criteria, minimums: change.minimums };
    case 'decay':
      return { ...criteria, decay: change.decay };
    case 'revert':
      return {
        ...criteria,
        threshold: change.to.threshold,
        minimums: minimumsOf(change.to),
        decay: decayOf(change.to),
        rules: change.to.rules,
      };
    case 'add':
      return { ...criteria, rules: [...criteria.rules, { id, ...change.rule }] };
  }
}

export type AppliedChange = { ok: true; criteria: Criteria } | { ok: false; error: string };

/** The change made, or why it cannot be: it does nothing, or the result has a line no lead (or every lead) reaches. */
export function tryChange(criteria: Criteria, change: CriteriaChange, id: number): AppliedChange {
  const problem = checkAgainst(criteria, change);
  if (problem) return { ok: false, error: problem };
  const next = applyChange(criteria, change, id);
  const bounds = checkBounds(next);
  return bounds ? { ok: false, error: bounds } : { ok: true, criteria: next };
}

/**
 * Trial changes for a backtest, made in order; added rules get ids -1, -2, … so they cannot be mistaken
 * for stored ones. Fails on the first change that cannot be made.
 */
export function applyTrialChanges(criteria: Criteria, changes: CriteriaChange[]): AppliedChange {
  let result = criteria;
  let nextId = -1;
  for (const change of changes) {
    const tried = tryChange(result, change, nextId);
    if (!tried.ok) return tried;
    result = tried.criteria;
    if (change.kind === 'add') nextId--;
  }
  return { ok: true, criteria: result };
}

const ruleRef = (rule: Rule) => (rule.id > 0 ? `#${rule.id}` : 'new');

/** One line per change, e.g. `+ #17 TotalVisits >= 10 5 as "Frequent visitor"`, `qualify total >= 30 → fit >= 20 and engagement >= 30`. */
export function describeChange(before: Criteria, after: Criteria): string[] {
  const beforeIds = new Set(before.rules.map((r) => r.id));
  const afterIds = new Set(after.rules.map((r) => r.id));
  const qualifyBefore = qualifyingRuleText(before);
  const qualifyAfter = qualifyingRuleText(after);
  const bothTotals = !minimumsOf(before) && !minimumsOf(after);
  return [
    ...before.rules.filter((r) => !afterIds.has(r.id)).map((r) => `- ${ruleRef(r)} ${ruleSyntax(r)}`),
    ...after.rules.filter((r) => !beforeIds.has(r.id)).map((r) => `+ ${ruleRef(r)} ${ruleSyntax(r)}`),
    ...(qualifyBefore === qualifyAfter
      ? []
      : [bothTotals ? `threshold ${before.threshold} → ${after.threshold}` : `qualify ${qualifyBefore} → ${qualifyAfter}`]),
    ...(sameDecay(before, after) ? [] : [`decay: ${decayText(decayOf(before))} → ${decayText(decayOf(after))}`]),
  ];
}
