/**
 * A matched rule as text: in plain words for reps (the stored breakdown, the post) and in rule syntax for
 * marketers (`/mql score`). Pure.
 */
import { signalPhrase } from '../leads/signal-words.js';
import { fieldPhrase } from './field-words.js';
import { fieldSource, fold, isMissing, listItems, toNumber, unquote, type FieldValue } from './score.js';
import type { Rule } from './types.js';

const MAX_SHOWN_CHARS = 80;
const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

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

export const signedPoints = (points: number) => `${points < 0 ? '-' : '+'}${numberFormat.format(Math.abs(points))}`;

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** E.g. "+20 Engaged on site: Total Time Spent on Website 1,532 > 600" (for marketers: the rule's test and the value). */
export function explain(rule: Rule, actual: FieldValue, points = rule.points): string {
  const label = rule.label?.trim() ? `${rule.label.trim()}: ` : '';
  const field = unquote(rule.field);
  const condition = rule.op === 'exists' ? 'exists' : `${showValue(actual)} ${rule.op} ${showRuleValue(rule)}`;
  return `${signedPoints(points)} ${label}${field} ${condition}`;
}

/** What the lead did or is, in words: the count of events, the value in its unit, the text that matched. */
function evidence(rule: Rule, actual: FieldValue, field: string, labelled: boolean): string | null {
  const source = fieldSource(rule.field);
  if (source.kind === 'events') return typeof actual === 'number' && actual > 1 ? `${numberFormat.format(actual)} times` : null;
  if (isMissing(actual) || rule.op === 'exists' || rule.op === '!=') return null;
  const n = toNumber(actual);
  if (['>', '>=', '<', '<='].includes(rule.op) && n !== null) return fieldPhrase(field, n) ?? `${field} ${numberFormat.format(n)}`;
  // A label names what `=` tested ("Working professional"); the value would only repeat it.
  if (labelled && rule.op === '=') return null;
  const shown = showValue(actual);
  return fold(shown) === fold(field) ? null : shown;
}

/**
 * The reason a rep reads: the rule's label (or what the event means, or the field) and the evidence, e.g.
 * "+30 Engaged on site · 25 min on site", "+15 VP · VP of Sales", "+15 Submitted a form (decayed from +30)".
 * When the evidence happened is added where the reason is shown, so a stored reason never says a stale "2 h ago".
 */
export function reasonText(rule: Rule, actual: FieldValue, points: number): string {
  const source = fieldSource(rule.field);
  const field = source.kind === 'core' ? source.key : source.kind === 'attribute' ? source.name : rule.field;
  const label = rule.label?.trim();
  const name = label || (source.kind === 'events' ? capitalised(signalPhrase(source.type)) : field);
  const unlabelled = !label && source.kind !== 'events';
  const shown = evidence(rule, actual, field, Boolean(label));
  let text = name;
  if (shown && unlabelled) text = shown.startsWith(name) ? shown : `${name}: ${shown}`;
  else if (shown) text = `${name} · ${shown}`;
  return `${signedPoints(points)} ${text}${points !== rule.points ? decayNote(rule.points) : ''}`;
}

/** How a decayed reason ends (" (decayed from +30)"): where a reason is shown, its age goes before this note. */
export const decayNote = (fullPoints: number) => ` (decayed from ${signedPoints(fullPoints)})`;
