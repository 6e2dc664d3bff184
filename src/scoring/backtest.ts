/*
 * The backtest's plan, no I/O. The database groups stored leads by the value each rule's field has (so a rule is
 * judged once per distinct value, here, with score.ts's own `matches`) and by how old the evidence of decaying
 * points is, then counts the leads; this module plans that and decodes the values. backtest-counts.ts turns the
 * groups into verdicts and counts.
 */
import { decayedPoints, decayOf, ruleAxis } from './axes.js';
import { fieldSource, fold, matches, type FieldSource, type FieldValue } from './score.js';
import type { Criteria, Decay, Rule } from './types.js';

/** A field as the database projects it, shared by all rules that read it. */
export interface PlannedField {
  source: FieldSource;
  /** For attributes: read as text rather than JSON (prepareScan decides, see `textReadingSuffices`). */
  asText?: boolean;
  /** For `events.<type>`: the stored event types that fold to the wanted type. */
  eventTypes: string[];
  /** For `events.<type>`: only events in this span before `now` count (the rules' window); null: all of them. */
  withinMs: number | null;
}

/**
 * What dates decaying engagement points: the newest counted event of an `events.*` field, or (field null) the
 * lead's last activity. The database sorts its age into buckets only for leads that match one of `rules`.
 */
export interface PlannedEvidence {
  field: number | null;
  /** Indices into `BacktestPlan.rules`. */
  rules: number[];
}

export interface BacktestPlan {
  fields: PlannedField[];
  /** Every rule of either criteria set, once, by id, with its field and (when its points decay) its evidence. */
  rules: Array<{ rule: Rule; field: number; evidence: number | null }>;
  evidence: PlannedEvidence[];
  /**
   * Ascending ages in whole days at which some decaying rule's points change: the lower bounds of the buckets
   * evidence ages fall in. Every age in a bucket gives every rule the same points, so a bucket stands for them all.
   */
  ageBounds: number[];
}

const sourceKey = (s: FieldSource, withinMs: number | null) =>
  s.kind === 'core' ? `c:${s.key}` : s.kind === 'events' ? `e:${s.type}:${withinMs ?? ''}` : `a:${s.name}`;

/** The ages at which a rule's decayed points differ from the day before (they only ever step towards 0). */
function pointChanges(points: number, decay: Decay): number[] {
  if (decay.kind === 'off' || points === 0) return [];
  if (decay.kind === 'window') return decay.days > 0 ? [decay.days] : [];
  const size = (age: number) => Math.abs(decayedPoints(points, age, decay));
  const changes: number[] = [];
  let age = 0;
  for (let level = size(0); level > 0; level = size(age)) {
    // Rounded points drop below `level` once |points| · 2^(-age/days) < level − ½; the estimate is then corrected
    // against decayedPoints itself, so floating point cannot put a bound a day off.
    let next = Math.max(age + 1, Math.floor(decay.days * Math.log2(Math.abs(points) / (level - 0.5))) + 1);
    while (next - 1 > age && size(next - 1) < level) next--;
    while (size(next) >= level) next++;
    changes.push(next);
    age = next;
  }
  return changes;
}

/** Every age at which some decaying engagement rule of the criteria sets changes its points. */
export function decayAgeBounds(criteriaSets: Criteria[]): number[] {
  const bounds = new Set<number>();
  for (const criteria of criteriaSets) {
    const decay = decayOf(criteria);
    for (const rule of criteria.rules) {
      if (ruleAxis(rule) === 'engagement') for (const age of pointChanges(rule.points, decay)) bounds.add(age);
    }
  }
  return [...bounds].sort((a, b) => a - b);
}

/** The age a bucket stands for: its lower bound (0 for the first). */
export const bucketAge = (plan: Pick<BacktestPlan, 'ageBounds'>, bucket: number) => (bucket === 0 ? 0 : plan.ageBounds[bucket - 1]!);

/** The distinct fields (and rules) the criteria sets read; `storedEventTypes` are the types in lead_events. */
export function planBacktest(criteriaSets: Criteria[], storedEventTypes: string[]): BacktestPlan {
  const fields: PlannedField[] = [];
  const fieldIndex = new Map<string, number>();
  const rules: BacktestPlan['rules'] = [];
  const seenRules = new Set<number>();
  const ageBounds = decayAgeBounds(criteriaSets);
  const decaying = new Set(
    criteriaSets.filter((c) => ageBounds.length && decayOf(c).kind !== 'off').flatMap((c) => c.rules.map((r) => r.id)),
  );
  const evidence: PlannedEvidence[] = [];
  const evidenceIndex = new Map<number | null, number>();
  for (const rule of criteriaSets.flatMap((c) => c.rules)) {
    if (seenRules.has(rule.id)) continue;
    seenRules.add(rule.id);
    const source = fieldSource(rule.field);
    const withinMs = source.kind === 'events' ? rule.withinMs || null : null;
    const key = sourceKey(source, withinMs);
    let field = fieldIndex.get(key);
    if (field === undefined) {
      field = fields.length;
      fieldIndex.set(key, field);
      const eventTypes = source.kind === 'events' ? storedEventTypes.filter((t) => fold(t) === source.type) : [];
      fields.push({ source, eventTypes, withinMs });
    }
    let dated: number | null = null;
    // An events field with no stored events of its type has no evidence to date anything by.
    const undated = source.kind === 'events' && fields[field]!.eventTypes.length === 0;
    if (decaying.has(rule.id) && ruleAxis(rule) === 'engagement' && !undated) {
      const from = source.kind === 'events' ? field : null;
      dated = evidenceIndex.get(from) ?? evidence.push({ field: from, rules: [] }) - 1;
      evidenceIndex.set(from, dated);
      evidence[dated]!.rules.push(rules.length);
    }
    rules.push({ rule, field, evidence: dated });
  }
  return { fields, rules, evidence, ageBounds };
}

/**
 * The projection texts the database returns (see db/queries/leads-projection.ts): core the text ('' for null,
 * which every rule treats alike); events the count; attributes the value's JSON ('' when the lead has no such
 * key), or read `asText` the value as text (a string as it is; '' for JSON null, which rules treat alike; null
 * when the lead has no such key).
 */
export function decodeProjection(source: FieldSource, text: string | null, asText = false): { value: FieldValue; isCount: boolean } {
  if (source.kind === 'events') return { value: Number(text), isCount: true };
  if (source.kind === 'core' || asText || text === null) return { value: text, isCount: false };
  // An attribute is a scalar by contract; anything else is handed to `matches` exactly as score() would see it.
  return { value: text === '' ? null : ((JSON.parse(text) ?? null) as FieldValue), isCount: false };
}

/** What a text read with `->>` is when the value was not a string: a number, boolean, object or array. */
function nonStringReading(text: string): FieldValue | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value !== 'string' ? (value as FieldValue) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the rules judge each attribute text alike whatever JSON type it came from ("674" or 674, "true" or
 * true), so the field can be read as text: every rule's verdict on it as a string equals its verdict on its
 * non-string reading.
 */
export function textReadingSuffices(rules: Rule[], texts: Array<string | null>): boolean {
  return texts.every((text) => {
    const other = text === null ? undefined : nonStringReading(text);
    return other === undefined || rules.every((rule) => matches(text, rule) === matches(other, rule));
  });
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
export function matchingProjections<T extends string | null>(rule: Rule, source: FieldSource, values: T[], asText = false): T[] {
  return values.filter((text) => {
    const { value, isCount } = decodeProjection(source, text, asText);
    return matches(value, rule, isCount);
  });
}
