/*
 * The rule syntax, both ways: `/mql criteria add|remove|threshold|test` and the backtest API read rules and
 * change lists with the parsers here, and every place that shows a rule writes it with ruleSyntax, so what is
 * shown can be typed back. Routes (src/routing/route-syntax.ts) test leads with the same conditions (parseCondition).
 * Pure. Errors are plain sentences naming the problem; the caller adds its usage line.
 */
import { ruleAxis } from './axes.js';
import { durationText, parseDuration } from './duration-syntax.js';
import { fieldSource, listItems, toNumber } from './score.js';
import { fail, isWord, ok, parseInteger, showToken, type Parsed, type Token } from './rule-tokens.js';
import { AXES, OPERATORS, type Axis, type NewRule, type Operator } from './types.js';
import { plainWords } from './words.js';

const OPERATOR_LIST = OPERATORS.join(' ');
const UNKNOWN_OPERATOR_HINT = `use one of ${OPERATOR_LIST}`;

function asOperator(token: Token): Operator | null {
  if (token.quoted) return null;
  const text = token.text.toLowerCase();
  return (OPERATORS as readonly string[]).includes(text) ? (text as Operator) : null;
}

const MAX_POINTS = 10_000;
const MAX_FIELD = 200;
const MAX_VALUE = 500;
const MAX_LABEL = 100;

/** `in` takes a comma list; items may be spread over words (`India, "United States", Canada`): an unquoted comma joins them. */
function takeList(tokens: Token[], start: number): { value: string; next: number } {
  let i = start;
  const parts = [tokens[i]!.text];
  while (
    i + 1 < tokens.length &&
    !tokens[i + 1]!.op &&
    ((!tokens[i]!.quoted && tokens[i]!.text.endsWith(',')) || (!tokens[i + 1]!.quoted && tokens[i + 1]!.text.startsWith(',')))
  ) {
    i++;
    parts.push(tokens[i]!.text);
  }
  return { value: parts.join(' '), next: i + 1 };
}

function checkValue(op: Operator, value: string): string | null {
  if (value.length > MAX_VALUE) return `the value is longer than ${MAX_VALUE} characters`;
  if (op === 'in') return listItems(value).length ? null : '`in` needs a comma list of values, e.g. "United States,Canada"';
  if (value.trim() === '') return `\`${op}\` needs a value`;
  if (op === 'contains' && plainWords(value).length === 0) {
    return `\`contains\` matches whole words and \`${value}\` has none; use \`includes\` to match any text`;
  }
  if (['>', '>=', '<', '<='].includes(op) && toNumber(value) === null) {
    return `\`${op}\` compares numbers and \`${value}\` is not a number (write 1532, not 1,532)`;
  }
  return null;
}

/** The label after `as`: one quoted phrase or the remaining words. */
function takeLabel(tokens: Token[], start: number): Parsed<string | null> {
  const words = tokens.slice(start);
  if (words.length === 0) return fail('missing the label after `as`, e.g. as "Engaged on site"');
  const label = words
    .map((t) => t.text)
    .join(' ')
    .trim();
  if (label.length > MAX_LABEL) return fail(`the label is longer than ${MAX_LABEL} characters`);
  return ok(label || null);
}

/** Why the token at `at` is not the points, with a hint when the cause is likely a missing pair of quotes. */
function pointsProblem(tokens: Token[], at: number, op: Operator): string {
  const token = tokens[at]!;
  if (op === 'exists' && parseInteger(tokens[at + 1]) !== null) return '`exists` takes no value: write `<field> exists <points>`';
  const end = tokens.findIndex((t, i) => i > at && parseInteger(t) !== null);
  const spread = tokens.slice(at - 1, end);
  if (op !== 'exists' && op !== 'in' && end > 0 && spread.every((t) => !t.quoted && !t.op && !isWord(t, 'as'))) {
    return `a value with spaces needs quotes: "${spread.map((t) => t.text).join(' ')}"`;
  }
  return `the points must be a whole number like 20 or -10, not \`${showToken(token)}\``;
}

/** `events.<type> in 30d …`: the window cut out of the tokens, when the rule has one. */
function takeWindow(tokens: Token[]): Parsed<{ tokens: Token[]; withinMs: number | null }> {
  const [field, word, span, after] = tokens;
  if (!field || !isWord(word, 'in') || !span || !after || !(after.op || asOperator(after))) return ok({ tokens, withinMs: null });
  const withinMs = parseDuration(span.text);
  if (withinMs === null) return ok({ tokens, withinMs: null });
  if (fieldSource(field.text).kind !== 'events') {
    return fail(
      `only event counts take a window (\`events.form_submit in 30d >= 1\`); \`${showToken(field)}\` is not an \`events.<type>\` field`,
    );
  }
  return ok({ tokens: [field, ...tokens.slice(3)], withinMs });
}

const asAxis = (token: Token | undefined): Axis | null => AXES.find((axis) => isWord(token, axis)) ?? null;

/** A rule's or a route's test, as parseCondition reads it. */
export type Condition = Pick<NewRule, 'field' | 'op' | 'value'> & { withinMs?: number };

/**
 * The test part of a rule or a route, `<field> [in <duration>] <op> <value>`, read from `start`; `next` is the index
 * after it. `exists` takes no value; `in` a comma list; the window only for `events.<type>` counts. `thenWhat` names
 * what the caller's syntax wants after the value ("the points"), for the error when the value is missing.
 */
export function parseCondition(all: Token[], start = 0, thenWhat?: string): Parsed<{ condition: Condition; next: number }> {
  const window = takeWindow(all.slice(start));
  if (!window.ok) return window;
  const { tokens, withinMs } = window.value;
  const [fieldToken, opToken] = tokens;
  if (!fieldToken) return fail('missing the condition');
  if (fieldToken.op) return fail(`missing the field before \`${fieldToken.text}\``);
  const field = fieldToken.text.trim();
  if (!field) return fail('the field name is empty');
  if (field.length > MAX_FIELD) return fail(`the field name is longer than ${MAX_FIELD} characters`);
  if (/^events\.\s*$/i.test(field)) return fail('name the event type after `events.`, e.g. events.form_submit');
  if (!opToken) return fail(`missing the operator after \`${showToken(fieldToken)}\`; ${UNKNOWN_OPERATOR_HINT}`);
  const op = asOperator(opToken);
  if (!op) {
    const laterOp = tokens.findIndex((t, i) => i > 1 && asOperator(t) !== null && (t.op || !t.quoted));
    if (!fieldToken.quoted && !opToken.op && laterOp > 0 && tokens.slice(0, laterOp).every((t) => !t.quoted && !t.op)) {
      const words = tokens
        .slice(0, laterOp)
        .map((t) => t.text)
        .join(' ');
      return fail(`a field name with spaces needs quotes: "${words}"`);
    }
    return fail(`unknown operator \`${opToken.text}\`; ${UNKNOWN_OPERATOR_HINT}`);
  }

  let next = 2;
  let value: string | null = null;
  if (op !== 'exists') {
    const valueToken = tokens[next];
    if (!valueToken || isWord(valueToken, 'as')) return fail(`missing the value${thenWhat ? ` and ${thenWhat}` : ''} after \`${op}\``);
    if (valueToken.op) return fail(`unexpected \`${valueToken.text}\` after \`${op}\`; write one operator`);
    if (op === 'in') {
      const list = takeList(tokens, next);
      value = listItems(list.value).join(', ');
      next = list.next;
    } else {
      value = valueToken.text.trim();
      next++;
    }
    const problem = checkValue(op, value);
    if (problem) return fail(problem);
  }
  // The window's two words were cut out after the field: count them back in.
  const consumed = next + (withinMs === null ? 0 : 2);
  return ok({ condition: { field, op, value, ...(withinMs && { withinMs }) }, next: start + consumed });
}

/** `<condition> <points> [fit|engagement] [as "label"]`; the condition as parseCondition reads it. */
export function parseRule(tokens: Token[]): Parsed<NewRule> {
  if (tokens.length === 0) return fail('missing the rule');
  const read = parseCondition(tokens, 0, 'the points');
  if (!read.ok) return read;
  const { field, op, value, withinMs } = read.value.condition;
  let next = read.value.next;

  const pointsToken = tokens[next];
  if (!pointsToken || isWord(pointsToken, 'as')) {
    return fail(op === 'exists' ? 'missing the points after `exists`' : `missing the points after the value \`${value}\``);
  }
  const points = parseInteger(pointsToken);
  if (points === null) return fail(pointsProblem(tokens, next, op));
  if (points === 0) return fail('a rule worth 0 points changes nothing; give it points like 20 or -10');
  if (Math.abs(points) > MAX_POINTS) return fail(`the points must be between -${MAX_POINTS} and ${MAX_POINTS}`);
  next++;
  const written = asAxis(tokens[next]);
  if (written) next++;
  // Kept only where it differs from the field's own axis, so a rule has one stored form.
  const axis = written && written !== ruleAxis({ field }) ? written : null;

  let label: string | null = null;
  if (next < tokens.length) {
    if (!isWord(tokens[next], 'as')) {
      return fail(
        `unexpected \`${showToken(tokens[next]!)}\` after the points; an axis (fit or engagement) and then a label after \`as\` may follow, e.g. engagement as "Engaged on site"`,
      );
    }
    const parsed = takeLabel(tokens, next + 1);
    if (!parsed.ok) return parsed;
    label = parsed.value;
  }
  return ok({ field, op, value, points, label, ...(axis && { axis }), ...(withinMs && { withinMs }) });
}

/**
 * A field, value or label as the syntax takes it: quoted when it would not read back as one word (`and` and `to`
 * end a route's condition).
 */
function quoted(text: string): string {
  const plain = text !== '' && !/[\s"“”„‟«»;<>=!≤≥≠]/.test(text) && !/^(as|in|contains|includes|exists|fit|engagement|and|to)$/i.test(text);
  return plain ? text : `"${text}"`;
}

/** A rule's test in the syntax, e.g. `"Lead Origin" = "Lead Add Form"`, `events.form_submit in 30d >= 1`. */
export function conditionSyntax(rule: Pick<NewRule, 'field' | 'op' | 'value' | 'withinMs'>): string {
  const field = `${quoted(rule.field)}${rule.withinMs ? ` in ${durationText(rule.withinMs)}` : ''}`;
  if (rule.op === 'exists') return `${field} exists`;
  const value = rule.op === 'in' ? listItems(rule.value ?? '').join(',') : (rule.value ?? '');
  return `${field} ${rule.op} ${quoted(value)}`;
}

/** A whole rule as parseRule reads it, e.g. `"Lead Origin" = "Lead Add Form" 40 engagement as "Inquiry form"`. */
export function ruleSyntax(rule: NewRule): string {
  // The axis is written only where it is not the field's own, so a rule reads back the same either way.
  const axis = rule.axis && rule.axis !== ruleAxis({ field: rule.field }) ? ` ${rule.axis}` : '';
  return `${conditionSyntax(rule)} ${rule.points}${axis}${rule.label ? ` as ${quoted(rule.label)}` : ''}`;
}
