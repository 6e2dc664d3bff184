import { ageInDays, axisTotals, decayedPoints, decayOf, minimumsOf, nextDecayChange, qualifies, ruleAxis } from './axes.js';
import { reasonText } from './reason-text.js';
import type { Criteria, Rule, ScorableEvent, ScorableLead, ScoreReason, ScoreResult } from './types.js';
import { containsWords, plainWords } from './words.js';

/** A resolved field value; null means the lead has no value for the field. */
export type FieldValue = string | number | boolean | null;

/** A Map, not an object: a field named `constructor` or `__proto__` must not find Object.prototype's members. */
const CORE_FIELDS = new Map<string, keyof ScorableLead>([
  ['email', 'email'],
  ['name', 'name'],
  ['company', 'company'],
  ['title', 'title'],
  ['country', 'country'],
  ['source', 'source'],
  ['externalid', 'externalId'],
  ['external_id', 'externalId'],
]);

const EVENTS_PREFIX = 'events.';

/**
 * Unicode-aware case folding: NFKC (full-width digits, ligatures), upper-then-lower so "ß"/"SS" and
 * final sigma fold alike, and drop the dot that lowercasing "İ" leaves so "İstanbul" = "istanbul".
 */
export function fold(text: string): string {
  const known = folded.get(text);
  if (known !== undefined) return known;
  const result = text
    .normalize('NFKC')
    .trim()
    .toUpperCase()
    .toLowerCase()
    .replace(/i\u0307/g, 'i')
    .normalize('NFC');
  remember(folded, text, result);
  return result;
}

/**
 * Folding and word splitting are most of scoring's time, and leads repeat their values (the same titles, the same
 * form answers) across rules and leads: remembered, up to a bound so a stream of unique values cannot grow it.
 */
const MEMO_LIMIT = 20_000;
const folded = new Map<string, string>();
const wordsOf = new Map<string, string[]>();

function remember<T>(memo: Map<string, T>, key: string, value: T): void {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
}

/** The whole words of a text, folded (see words.ts). */
function foldedWords(text: string): string[] {
  const known = wordsOf.get(text);
  if (known !== undefined) return known;
  const words = plainWords(fold(text));
  remember(wordsOf, text, words);
  return words;
}

/** Strips the quotes a rule may carry around a key with spaces (`"Lead Origin"`). */
export function unquote(field: string): string {
  const f = field.trim();
  return f.length >= 2 && f.startsWith('"') && f.endsWith('"') ? f.slice(1, -1).trim() : f;
}

interface Resolved {
  value: FieldValue;
  /** `events.<type>` counts: `exists` means "at least one", since a count is never missing. */
  isCount: boolean;
  /** For `events.<type>`: the events counted (what dates the rule's points and when its window changes). */
  counted?: ScorableEvent[];
}

/** Where a rule's field is read from; shared with the SQL backtest so both classify fields alike. */
export type FieldSource =
  | { kind: 'core'; key: keyof ScorableLead }
  | { kind: 'events'; type: string }
  | { kind: 'attribute'; name: string };

/**
 * Field lookup order: core field (case-insensitive), then `events.<type>` (a count, never missing; the type
 * folded), then attribute. A core field name always means the core field.
 */
/** The core field a name means (case-insensitive), if any: rules and the post's key fields agree on them. */
export const coreField = (name: string): keyof ScorableLead | undefined => CORE_FIELDS.get(name.toLowerCase());

export function fieldSource(field: string): FieldSource {
  const name = unquote(field);
  const core = coreField(name);
  if (core !== undefined) return { kind: 'core', key: core };
  if (name.toLowerCase().startsWith(EVENTS_PREFIX)) return { kind: 'events', type: fold(name.slice(EVENTS_PREFIX.length)) };
  return { kind: 'attribute', name };
}

/** An attribute by exact key, then by case-insensitive key (the first in the object's key order). */
export function resolveAttribute(attrs: ScorableLead['attributes'], name: string): FieldValue {
  if (Object.hasOwn(attrs, name)) return attrs[name] ?? null;
  const wanted = fold(name);
  const key = Object.keys(attrs).find((k) => fold(k) === wanted);
  return key === undefined ? null : (attrs[key] ?? null);
}

/** An `events.<type>` rule's counted events: of the type, and inside the rule's window when it has one. */
function countedEvents(events: ScorableEvent[], type: string, rule: Pick<Rule, 'withinMs'>, now: Date | undefined): ScorableEvent[] {
  const since = rule.withinMs && now ? now.getTime() - rule.withinMs : null;
  return events.filter((e) => fold(e.type) === type && (since === null || e.occurredAt.getTime() >= since));
}

/** The value a rule reads; a windowed event count needs `now`. */
function resolve(lead: ScorableLead, events: ScorableEvent[], rule: Pick<Rule, 'field' | 'withinMs'>, now?: Date): Resolved {
  const source = fieldSource(rule.field);
  switch (source.kind) {
    case 'core': {
      const value = lead[source.key];
      return { value: typeof value === 'string' ? value : null, isCount: false };
    }
    case 'events': {
      const counted = countedEvents(events, source.type, rule, now);
      return { value: counted.length, isCount: true, counted };
    }
    case 'attribute':
      return { value: resolveAttribute(lead.attributes, source.name), isCount: false };
  }
}

/** Whether a lead meets a rule's test (not its points): routes reuse the criteria's conditions. */
export function conditionHolds(
  lead: ScorableLead,
  events: ScorableEvent[],
  condition: Pick<Rule, 'field' | 'op' | 'value' | 'withinMs'>,
  now: Date,
): boolean {
  const resolved = resolve(lead, events, condition, now);
  return matches(resolved.value, condition, resolved.isCount);
}

export function resolveField(lead: ScorableLead, events: ScorableEvent[], field: string): FieldValue {
  return resolve(lead, events, { field }).value;
}

/** Plain decimals only: "1,532", "", "1e3" are not numbers, so ambiguous text never compares numerically. */
export function toNumber(value: FieldValue): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.normalize('NFKC').trim();
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : null;
}

function toBoolean(text: string): boolean | null {
  const t = fold(text);
  if (t === 'true' || t === 'yes') return true;
  if (t === 'false' || t === 'no') return false;
  return null;
}

export function isMissing(value: FieldValue): value is null | '' {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

export function asText(value: string | number | boolean): string {
  return typeof value === 'string' ? value : String(value);
}

function equals(actual: string | number | boolean, expected: string): boolean {
  if (typeof actual === 'boolean') return toBoolean(expected) === actual;
  const a = toNumber(actual);
  const e = toNumber(expected);
  if (a !== null && e !== null) return a === e;
  return fold(asText(actual)) === fold(expected);
}

/** The items of an `in` list: comma-separated, trimmed, empty ones dropped. */
export function listItems(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function numericMatch(op: '>' | '>=' | '<' | '<=', actual: number, expected: number): boolean {
  switch (op) {
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
  }
}

/**
 * Missing (null, absent or blank) values match nothing except `!=`: a lead without a country does
 * differ from "India". A rule without a value (other than `exists`) matches nothing.
 * Ordering ops compare numbers only; text is never compared lexicographically.
 */
export function matches(actual: FieldValue, rule: Pick<Rule, 'op' | 'value'>, isCount = false): boolean {
  if (rule.op === 'exists') return isCount ? actual !== 0 : !isMissing(actual);
  if (rule.value === null || rule.value.trim() === '') return false;
  if (isMissing(actual)) return rule.op === '!=';
  const value = rule.value;
  switch (rule.op) {
    case '=':
      return equals(actual, value);
    case '!=':
      return !equals(actual, value);
    case 'in':
      return listItems(value).some((item) => equals(actual, item));
    case 'contains':
      return containsWords(foldedWords(asText(actual)), foldedWords(value));
    case 'includes':
      return fold(asText(actual)).includes(fold(value));
    default: {
      const a = toNumber(actual);
      const e = toNumber(value);
      return a !== null && e !== null && numericMatch(rule.op, a, e);
    }
  }
}

/** What an engagement rule's points are measured from: its newest counted event (for `events.*`), else the lead's last activity. */
function evidenceOf(lead: ScorableLead, counted: ScorableEvent[] | undefined): Date | null {
  if (!counted) return lead.lastActivityAt ?? null;
  return counted.length ? new Date(Math.max(...counted.map((e) => e.occurredAt.getTime()))) : null;
}

/** When a windowed event count next changes: its oldest counted event leaves the window. */
function nextWindowChange(counted: ScorableEvent[] | undefined, rule: Rule): number | null {
  if (!counted?.length || !rule.withinMs) return null;
  return Math.min(...counted.map((e) => e.occurredAt.getTime())) + rule.withinMs + 1;
}

/**
 * The lead's score at `now`: fit points as they are, engagement points decayed with the age of their evidence,
 * and the verdict by the criteria's qualifying rule (the total threshold, or a minimum per axis).
 */
export function score(lead: ScorableLead, events: ScorableEvent[], criteria: Criteria, now: Date): ScoreResult {
  const decay = decayOf(criteria);
  const breakdown: ScoreReason[] = [];
  let next = Number.POSITIVE_INFINITY;
  for (const rule of criteria.rules) {
    const { value: actual, isCount, counted } = resolve(lead, events, rule, now);
    const windowChange = nextWindowChange(counted, rule);
    if (windowChange !== null) next = Math.min(next, windowChange);
    if (!matches(actual, rule, isCount)) continue;
    const axis = ruleAxis(rule);
    const evidence = axis === 'engagement' ? evidenceOf(lead, counted) : null;
    let points = rule.points;
    if (evidence) {
      const age = ageInDays(evidence, now);
      points = decayedPoints(rule.points, age, decay);
      const change = nextDecayChange(rule.points, evidence, age, decay);
      if (change) next = Math.min(next, change.getTime());
    }
    if (points === 0) continue;
    breakdown.push({
      ruleId: rule.id,
      points,
      reason: reasonText(rule, actual, points),
      axis,
      ...(points !== rule.points && { fullPoints: rule.points }),
      ...(evidence && { evidenceAt: evidence.toISOString() }),
    });
  }
  const totals = axisTotals(breakdown.map((b) => ({ axis: b.axis!, points: b.points })));
  return {
    ...totals,
    threshold: criteria.threshold,
    minimums: minimumsOf(criteria),
    qualified: qualifies(totals, criteria),
    criteriaVersion: criteria.version,
    breakdown,
    nextChangeAt: Number.isFinite(next) ? new Date(next) : null,
  };
}
