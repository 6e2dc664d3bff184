import type { Criteria, Rule, ScorableEvent, ScorableLead, ScoreReason, ScoreResult } from './types.js';

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
const MAX_SHOWN_CHARS = 80;
const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/**
 * Unicode-aware case folding: NFKC (full-width digits, ligatures), upper-then-lower so "ß"/"SS" and
 * final sigma fold alike, and drop the dot that lowercasing "İ" leaves so "İstanbul" = "istanbul".
 */
export function fold(text: string): string {
  return text
    .normalize('NFKC')
    .trim()
    .toUpperCase()
    .toLowerCase()
    .replace(/i\u0307/g, 'i')
    .normalize('NFC');
}

/** Strips the quotes a rule may carry around a key with spaces (`"Lead Origin"`). */
function unquote(field: string): string {
  const f = field.trim();
  return f.length >= 2 && f.startsWith('"') && f.endsWith('"') ? f.slice(1, -1).trim() : f;
}

interface Resolved {
  value: FieldValue;
  /** `events.<type>` counts: `exists` means "at least one", since a count is never missing. */
  isCount: boolean;
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

function resolve(lead: ScorableLead, events: ScorableEvent[], field: string): Resolved {
  const source = fieldSource(field);
  switch (source.kind) {
    case 'core': {
      const value = lead[source.key];
      return { value: typeof value === 'string' ? value : null, isCount: false };
    }
    case 'events':
      return { value: events.filter((e) => fold(e.type) === source.type).length, isCount: true };
    case 'attribute':
      return { value: resolveAttribute(lead.attributes, source.name), isCount: false };
  }
}

export function resolveField(lead: ScorableLead, events: ScorableEvent[], field: string): FieldValue {
  return resolve(lead, events, field).value;
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

function isMissing(value: FieldValue): value is null | '' {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

function asText(value: string | number | boolean): string {
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
      return fold(asText(actual)).includes(fold(value));
    default: {
      const a = toNumber(actual);
      const e = toNumber(value);
      return a !== null && e !== null && numericMatch(rule.op, a, e);
    }
  }
}

function truncate(text: string): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length <= MAX_SHOWN_CHARS ? chars.join('') : `${chars.slice(0, MAX_SHOWN_CHARS - 1).join('')}…`;
}

/** Numbers get thousands separators; code-like strings with leading zeros ("02134") stay verbatim. */
function showNumberOrText(value: string | number): string {
  const n = toNumber(value);
  const codeLike = typeof value === 'string' && /^[+-]?0\d/.test(value.trim());
  return n === null || codeLike ? truncate(String(value)) : numberFormat.format(n);
}

function showValue(value: FieldValue): string {
  if (isMissing(value)) return '(empty)';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return showNumberOrText(value);
}

function showRuleValue(rule: Rule): string {
  const value = rule.value ?? '';
  return rule.op === 'in' ? listItems(value).join(', ') : showNumberOrText(value);
}

/** E.g. "+20 Engaged on site: Total Time Spent on Website 1,532 > 600". */
export function explain(rule: Rule, actual: FieldValue): string {
  const sign = rule.points < 0 ? '-' : '+';
  const points = `${sign}${numberFormat.format(Math.abs(rule.points))}`;
  const label = rule.label?.trim() ? `${rule.label.trim()}: ` : '';
  const field = unquote(rule.field);
  const condition = rule.op === 'exists' ? 'exists' : `${showValue(actual)} ${rule.op} ${showRuleValue(rule)}`;
  return `${points} ${label}${field} ${condition}`;
}

export function score(lead: ScorableLead, events: ScorableEvent[], criteria: Criteria): ScoreResult {
  const breakdown: ScoreReason[] = [];
  let sum = 0;
  for (const rule of criteria.rules) {
    const { value: actual, isCount } = resolve(lead, events, rule.field);
    if (!matches(actual, rule, isCount)) continue;
    sum += rule.points;
    breakdown.push({ ruleId: rule.id, points: rule.points, reason: explain(rule, actual) });
  }
  // Rounded so fractional points (0.1 + 0.2) still reach an equal threshold.
  const total = Math.round(sum * 1e6) / 1e6;
  return {
    total,
    threshold: criteria.threshold,
    qualified: total >= criteria.threshold,
    criteriaVersion: criteria.version,
    breakdown,
  };
}
