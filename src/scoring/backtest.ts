/*
 * Backtest maths, no I/O. The database groups stored leads by the value each rule's field has (so a rule is
 * judged once per distinct value, here, with score.ts's own `matches`), then counts the leads; this module
 * plans that, decodes the values, and turns the counts into rates.
 */
import type { HitGroup } from '../../db/types.js';
import { fieldSource, fold, matches, type FieldSource, type FieldValue } from './score.js';
import type { Criteria, Rule } from './types.js';

/** A field as the database projects it, shared by all rules that read it. */
export interface PlannedField {
  source: FieldSource;
  /** For `events.<type>`: the stored event types that fold to the wanted type. */
  eventTypes: string[];
}

export interface BacktestPlan {
  fields: PlannedField[];
  /** Every rule of either criteria set, once, by id, with the index of its field. */
  rules: Array<{ rule: Rule; field: number }>;
}

const sourceKey = (s: FieldSource) => (s.kind === 'core' ? `c:${s.key}` : s.kind === 'events' ? `e:${s.type}` : `a:${s.name}`);

/** The distinct fields (and rules) the criteria sets read; `storedEventTypes` are the types in lead_events. */
export function planBacktest(criteriaSets: Criteria[], storedEventTypes: string[]): BacktestPlan {
  const fields: PlannedField[] = [];
  const fieldIndex = new Map<string, number>();
  const rules: BacktestPlan['rules'] = [];
  const seenRules = new Set<number>();
  for (const rule of criteriaSets.flatMap((c) => c.rules)) {
    if (seenRules.has(rule.id)) continue;
    seenRules.add(rule.id);
    const source = fieldSource(rule.field);
    const key = sourceKey(source);
    let index = fieldIndex.get(key);
    if (index === undefined) {
      index = fields.length;
      fieldIndex.set(key, index);
      const eventTypes = source.kind === 'events' ? storedEventTypes.filter((t) => fold(t) === source.type) : [];
      fields.push({ source, eventTypes });
    }
    rules.push({ rule, field: index });
  }
  return { fields, rules };
}

/**
 * The projection texts the database returns (see db/queries/backtest.ts): core the text ('' for null, which
 * every rule treats alike); attribute the value's JSON ('' when the lead has no such key); events the count.
 */
export function decodeProjection(source: FieldSource, text: string): { value: FieldValue; isCount: boolean } {
  if (source.kind === 'events') return { value: Number(text), isCount: true };
  if (source.kind === 'core') return { value: text, isCount: false };
  // An attribute is a scalar by contract; anything else is handed to `matches` exactly as score() would see it.
  return { value: text === '' ? null : ((JSON.parse(text) ?? null) as FieldValue), isCount: false };
}

const ARRAY_INDEX = /^(0|[1-9]\d{0,9})$/;
const isArrayIndex = (key: string) => ARRAY_INDEX.test(key) && Number(key) < 2 ** 32 - 1;

/**
 * The stored keys score.ts would fall back to for `name` when a lead lacks that exact key, in the order it
 * tries them: the order of `Object.keys` on attributes read from jsonb — array-index keys ascending, then
 * jsonb's own order (shorter UTF-8 first, then bytewise).
 */
export function caseVariantKeys(name: string, storedKeys: Iterable<string>): string[] {
  const wanted = fold(name);
  return [...new Set(storedKeys)]
    .filter((k) => k !== name && fold(k) === wanted)
    .sort((a, b) => {
      const ai = isArrayIndex(a);
      const bi = isArrayIndex(b);
      if (ai || bi) return ai && bi ? Number(a) - Number(b) : ai ? -1 : 1;
      return Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b));
    });
}

/** The projection texts among `values` for which the rule matches. */
export function matchingProjections(rule: Rule, source: FieldSource, values: string[]): string[] {
  return values.filter((text) => {
    const { value, isCount } = decodeProjection(source, text);
    return matches(value, rule, isCount);
  });
}

/** What the database counts for one criteria set. */
export interface OutcomeCounts {
  qualified: number;
  qualifiedWithOutcome: number;
  positiveAmongQualified: number;
  notQualifiedWithOutcome: number;
  positiveAmongNotQualified: number;
}

/** Leads whose verdict differs between the baseline and the candidate. */
export interface MovedCounts {
  newlyQualified: number;
  droppedOut: number;
}

export interface RuleCounts {
  hits: number;
  hitsWithOutcome: number;
  hitsPositive: number;
  /** Leads whose qualification this rule alone decides: without it they would land on the other side. */
  moved: number;
}

export interface BacktestCounts {
  evaluated: number;
  withOutcome: number;
  positive: number;
  /** Known outcomes that came from the import (the rest came from handoff decisions). */
  importedOutcomes: number;
  candidate: OutcomeCounts;
  baseline: OutcomeCounts;
  moved: MovedCounts;
  /** Per candidate rule id. */
  rules: Map<number, RuleCounts>;
}

export interface BacktestInput {
  /** The criteria evaluated (the active ones, or the active ones with trial changes). */
  candidate: Criteria;
  /** What to compare with ("was K"); usually the active criteria. */
  baseline: Criteria;
  /** The moment scores are computed at (decay, event windows). */
  now: Date;
}

/** The criteria's total for a hit pattern, rounded like score() rounds. */
export function totalOf(plan: BacktestPlan, hits: boolean[], criteria: Criteria): number {
  const ids = new Set(criteria.rules.map((r) => r.id));
  const sum = plan.rules.reduce((s, { rule }, i) => s + (hits[i] && ids.has(rule.id) ? rule.points : 0), 0);
  return Math.round(sum * 1e6) / 1e6;
}

const noOutcomes = (): OutcomeCounts => ({
  qualified: 0,
  qualifiedWithOutcome: 0,
  positiveAmongQualified: 0,
  notQualifiedWithOutcome: 0,
  positiveAmongNotQualified: 0,
});

function tally(counts: OutcomeCounts, qualified: boolean, g: HitGroup): void {
  if (qualified) {
    counts.qualified += g.leads;
    if (g.outcome !== null) counts.qualifiedWithOutcome += g.leads;
    if (g.outcome === 1) counts.positiveAmongQualified += g.leads;
  } else {
    if (g.outcome !== null) counts.notQualifiedWithOutcome += g.leads;
    if (g.outcome === 1) counts.positiveAmongNotQualified += g.leads;
  }
}

/** Sums the groups into the backtest's counts; a rule "moves" a lead when, without it, the lead would land on the other side. */
export function countGroups(plan: BacktestPlan, groups: HitGroup[], { candidate, baseline }: BacktestInput): BacktestCounts {
  const candidateIds = new Set(candidate.rules.map((r) => r.id));
  const counts: BacktestCounts = {
    evaluated: 0,
    withOutcome: 0,
    positive: 0,
    importedOutcomes: 0,
    candidate: noOutcomes(),
    baseline: noOutcomes(),
    moved: { newlyQualified: 0, droppedOut: 0 },
    rules: new Map(candidate.rules.map((r) => [r.id, { hits: 0, hitsWithOutcome: 0, hitsPositive: 0, moved: 0 }])),
  };
  for (const g of groups) {
    counts.evaluated += g.leads;
    if (g.outcome !== null) counts.withOutcome += g.leads;
    if (g.outcome === 1) counts.positive += g.leads;
    if (g.imported) counts.importedOutcomes += g.leads;
    const wasQualified = totalOf(plan, g.hits, baseline) >= baseline.threshold;
    tally(counts.baseline, wasQualified, g);
    const total = totalOf(plan, g.hits, candidate);
    const qualified = total >= candidate.threshold;
    tally(counts.candidate, qualified, g);
    if (qualified && !wasQualified) counts.moved.newlyQualified += g.leads;
    if (!qualified && wasQualified) counts.moved.droppedOut += g.leads;
    plan.rules.forEach(({ rule }, i) => {
      if (!g.hits[i] || !candidateIds.has(rule.id)) return;
      const c = counts.rules.get(rule.id)!;
      c.hits += g.leads;
      if (g.outcome !== null) c.hitsWithOutcome += g.leads;
      if (g.outcome === 1) c.hitsPositive += g.leads;
      if (Math.round((total - rule.points) * 1e6) / 1e6 >= candidate.threshold !== qualified) c.moved += g.leads;
    });
  }
  return counts;
}
