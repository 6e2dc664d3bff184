/*
 * Whether a rule's field is one the stored leads have, and the closest names when it is not ("no lead has
 * `Lead Sorce`; did you mean `Lead Source`?"). Fields resolve as scoring resolves them (score.ts): core fields
 * by name, attribute keys and event types case-insensitively. Pure: the stored names are read by the caller.
 */
import { fieldSource, fold } from './score.js';

/** The core fields as a rule names them (score.ts resolves each, case-insensitively). */
export const CORE_FIELD_NAMES = ['email', 'name', 'company', 'title', 'country', 'source', 'external_id'] as const;

const EVENTS_PREFIX = 'events.';

/** What the stored leads hold: every attribute key and every event type. */
export interface StoredFieldNames {
  attributeKeys: readonly string[];
  eventTypes: readonly string[];
}

/**
 * Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`: the optimal string alignment
 * distance, so a typed transposition ("titel") counts as one slip.
 */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let older: number[] = [];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitute = previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1);
      let best = Math.min(previous[j]! + 1, row[j - 1]! + 1, substitute);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) best = Math.min(best, older[j - 2]! + 1);
      row.push(best);
    }
    [older, previous] = [previous, row];
  }
  return previous[y.length]!;
}

/** Close enough to be a slip: at most 2 edits in 5 characters (so "age" does not suggest "name"). */
const MAX_EDIT_SHARE = 0.4;

/**
 * Up to `max` of `known` closest to `name` (compared folded, so case never counts), nearest first, then
 * alphabetically; names too far to be a slip of the keyboard are left out. Names equal when folded appear once.
 */
export function closestNames(name: string, known: readonly string[], max = 3): string[] {
  const wanted = fold(name);
  const seen = new Set<string>();
  const ranked: Array<{ name: string; distance: number }> = [];
  for (const candidate of known) {
    const folded = fold(candidate);
    if (seen.has(folded)) continue;
    seen.add(folded);
    const distance = editDistance(wanted, folded);
    const longer = Math.max([...wanted].length, [...folded].length);
    if (distance <= Math.floor(longer * MAX_EDIT_SHARE)) ranked.push({ name: candidate, distance });
  }
  ranked.sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name));
  return ranked.slice(0, max).map((r) => r.name);
}

/** Every field a rule could read from the stored leads, as a rule writes it. */
export function knownFieldNames(stored: StoredFieldNames): string[] {
  return [...CORE_FIELD_NAMES, ...stored.attributeKeys, ...stored.eventTypes.map((type) => `${EVENTS_PREFIX}${type}`)];
}

/** Whether scoring would find `field` on some stored lead: a core field, a stored attribute key or event type. */
export function isStoredField(field: string, stored: StoredFieldNames): boolean {
  const source = fieldSource(field);
  switch (source.kind) {
    case 'core':
      return true;
    case 'events':
      return stored.eventTypes.some((type) => fold(type) === source.type);
    case 'attribute': {
      const wanted = fold(source.name);
      return stored.attributeKeys.some((key) => fold(key) === wanted);
    }
  }
}

/** Inline code for a name inside a message (a backtick in the name would end the span). */
const quoted = (name: string) => `\`${name.replace(/`/g, "'")}\``;

/** "no lead has `Lead Sorce`; did you mean `Lead Source`?" (or without the question when nothing is close). */
export function unknownFieldText(field: string, stored: StoredFieldNames): string {
  const close = closestNames(field, knownFieldNames(stored));
  const names = close.map(quoted);
  const question = names.length
    ? `; did you mean ${names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names[0]}?`
    : '';
  return `no lead has ${quoted(field)}${question}`;
}
