/*
 * `/mql` text → tokens → typed arguments. Pure: no I/O, no Slack formatting. Errors are plain sentences
 * naming the problem; the command that asked adds its usage line.
 */
import { listItems, toNumber } from '../src/scoring/score.js';
import type { CriteriaChange, NewRule } from '../src/scoring/changes.js';
import { OPERATORS, type Operator } from '../src/scoring/types.js';

export type { CriteriaChange, NewRule };

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

export interface Token {
  text: string;
  /** Written in quotes: never an operator or keyword, may contain spaces. */
  quoted: boolean;
  /** A run of comparison characters (`>=`, `=>`, `!=`) written outside quotes. */
  op: boolean;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>' };

/**
 * Undoes Slack's escaping of slash-command text: mentions and channels lose their labels (`<@U1|ann>` →
 * `<@U1>`), links become their text (`<mailto:a@b.co|a@b.co>` → `a@b.co`), then `&amp;` `&lt;` `&gt;`
 * become `&` `<` `>` (once: `&amp;lt;` is the text `&lt;`).
 */
export function decodeSlackText(text: string): string {
  return text
    .replace(/<([@#!][^|>]*)\|[^>]*>/g, '<$1>')
    .replace(/<((?:mailto:|tel:|https?:\/\/)[^|>]*)\|([^>]*)>/g, '$2')
    .replace(/<((?:mailto:|tel:|https?:\/\/)[^|>]*)>/g, (_m, link: string) => link.replace(/^(mailto|tel):/, ''))
    .replace(/&(amp|lt|gt);/g, (_m, name: string) => ENTITIES[name]!)
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .trim();
}

/** Straight and typographic double quotes (macOS turns `"` into “ ” as you type). */
const QUOTES = new Set(['"', '\u201c', '\u201d', '\u201e', '\u201f', '\u00ab', '\u00bb']);
/** `≥ ≤ ≠` typed (or auto-corrected) for `>= <= !=`. */
const TYPOGRAPHIC_OPS: Record<string, string> = { '\u2265': '>=', '\u2264': '<=', '\u2260': '!=' };

/** Splits an unquoted word at runs of comparison characters: `visits>=5` → `visits`, `>=`, `5`. */
function splitOperators(word: string): Token[] {
  // Mentions (`<@U1>`, `<#C1>`, `<!subteam^S1>`) contain `<` `>` but are one word.
  if (/^<[@#!][^>]*>$/.test(word)) return [{ text: word, quoted: false, op: false }];
  const tokens: Token[] = [];
  for (const part of word.match(/[<>=!\u2264\u2265\u2260]+|[^<>=!\u2264\u2265\u2260]+/g) ?? []) {
    // A run of only "!" is not an operator: "Yes!" stays one word.
    const isOp = /[<>=\u2264\u2265\u2260]/.test(part);
    const last = tokens[tokens.length - 1];
    if (isOp) tokens.push({ text: TYPOGRAPHIC_OPS[part] ?? part, quoted: false, op: true });
    else if (last && !last.op) last.text += part;
    else tokens.push({ text: part, quoted: false, op: false });
  }
  return tokens;
}

/** `;` separates trial changes; it is a token of its own unless quoted. */
export const SEPARATOR = ';';

/** Words, "quoted phrases" (straight or curly quotes) and operators. Fails on an unclosed quote. */
export function tokenize(text: string): Parsed<Token[]> {
  const tokens: Token[] = [];
  const chars = [...text];
  let word = '';
  const endWord = () => {
    if (word) tokens.push(...splitOperators(word));
    word = '';
  };
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (/\s/.test(char)) {
      endWord();
    } else if (char === SEPARATOR) {
      endWord();
      tokens.push({ text: SEPARATOR, quoted: false, op: false });
    } else if (QUOTES.has(char) && word === '') {
      const close = chars.findIndex((c, j) => j > i && QUOTES.has(c));
      if (close < 0) return fail(`unclosed quote in \`${chars.slice(i).join('')}\`; end the phrase with a second quote`);
      tokens.push({ text: chars.slice(i + 1, close).join(''), quoted: true, op: false });
      i = close;
    } else {
      word += char;
    }
  }
  endWord();
  return ok(tokens);
}

/** Whether an unquoted token is the keyword `word` (case-insensitive). */
export const isWord = (token: Token | undefined, word: string): boolean =>
  !!token && !token.quoted && !token.op && token.text.toLowerCase() === word;

const OPERATOR_LIST = OPERATORS.join(' ');
export const UNKNOWN_OPERATOR_HINT = `use one of ${OPERATOR_LIST}`;

function asOperator(token: Token): Operator | null {
  if (token.quoted) return null;
  const text = token.text.toLowerCase();
  return (OPERATORS as readonly string[]).includes(text) ? (text as Operator) : null;
}

const MAX_POINTS = 10_000;
const MAX_THRESHOLD = 100_000;
const MAX_FIELD = 200;
const MAX_VALUE = 500;
const MAX_LABEL = 100;

/** A whole number, optionally signed (`-20`, `+5`, or `−20` with the typographic minus). */
export function parseInteger(token: Token | undefined): number | null {
  if (!token || token.op) return null;
  const text = token.text.trim().replace(/^\u2212/, '-');
  return /^[+-]?\d{1,9}$/.test(text) ? Number(text) : null;
}

const show = (token: Token) => (token.quoted ? `"${token.text}"` : token.text);

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
  if (['>', '>=', '<', '<='].includes(op) && toNumber(value) === null) {
    return `\`${op}\` compares numbers and \`${value}\` is not a number (write 1532, not 1,532)`;
  }
  return null;
}

/** The label after `as`: one quoted phrase or the remaining words. */
function takeLabel(tokens: Token[], start: number): Parsed<string | null> {
  const words = tokens.slice(start);
  if (words.length === 0) return fail('missing the label after `as`, e.g. as "Engaged on site"');
  const label = words.map((t) => t.text).join(' ').trim();
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
  return `the points must be a whole number like 20 or -10, not \`${show(token)}\``;
}

/** `<field> <op> <value> <points> [as "label"]`; `exists` takes no value; `in` a comma list. */
export function parseRule(tokens: Token[]): Parsed<NewRule> {
  const [fieldToken, opToken] = tokens;
  if (!fieldToken) return fail('missing the rule');
  if (fieldToken.op) return fail(`missing the field before \`${fieldToken.text}\``);
  const field = fieldToken.text.trim();
  if (!field) return fail('the field name is empty');
  if (field.length > MAX_FIELD) return fail(`the field name is longer than ${MAX_FIELD} characters`);
  if (/^events\.\s*$/i.test(field)) return fail('name the event type after `events.`, e.g. events.form_submit');
  if (!opToken) return fail(`missing the operator after \`${show(fieldToken)}\`; ${UNKNOWN_OPERATOR_HINT}`);
  const op = asOperator(opToken);
  if (!op) {
    const laterOp = tokens.findIndex((t, i) => i > 1 && asOperator(t) !== null && (t.op || !t.quoted));
    if (!fieldToken.quoted && !opToken.op && laterOp > 0 && tokens.slice(0, laterOp).every((t) => !t.quoted && !t.op)) {
      const words = tokens.slice(0, laterOp).map((t) => t.text).join(' ');
      return fail(`a field name with spaces needs quotes: "${words}"`);
    }
    return fail(`unknown operator \`${opToken.text}\`; ${UNKNOWN_OPERATOR_HINT}`);
  }

  let next = 2;
  let value: string | null = null;
  if (op !== 'exists') {
    const valueToken = tokens[next];
    if (!valueToken || isWord(valueToken, 'as')) return fail(`missing the value and the points after \`${op}\``);
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

  const pointsToken = tokens[next];
  if (!pointsToken || isWord(pointsToken, 'as')) {
    return fail(op === 'exists' ? 'missing the points after `exists`' : `missing the points after the value \`${value}\``);
  }
  const points = parseInteger(pointsToken);
  if (points === null) return fail(pointsProblem(tokens, next, op));
  if (points === 0) return fail('a rule worth 0 points changes nothing; give it points like 20 or -10');
  if (Math.abs(points) > MAX_POINTS) return fail(`the points must be between -${MAX_POINTS} and ${MAX_POINTS}`);
  next++;

  let label: string | null = null;
  if (next < tokens.length) {
    if (!isWord(tokens[next], 'as')) {
      return fail(`unexpected \`${show(tokens[next]!)}\` after the points; a label goes after \`as\`, e.g. as "Engaged on site"`);
    }
    const parsed = takeLabel(tokens, next + 1);
    if (!parsed.ok) return parsed;
    label = parsed.value;
  }
  return ok({ field, op, value, points, label });
}

function single<T>(tokens: Token[], what: string, parse: (t: Token) => T | null, bad: (t: Token) => string): Parsed<T> {
  if (tokens.length === 0) return fail(`missing the ${what}`);
  if (tokens.length > 1) return fail(`expected only the ${what}, not \`${tokens.map(show).join(' ')}\``);
  const value = parse(tokens[0]!);
  return value === null ? fail(bad(tokens[0]!)) : ok(value);
}

/** `7` or `#7`. */
export function parseRuleId(tokens: Token[]): Parsed<number> {
  return single(
    tokens,
    'rule id (the number `/mql criteria` shows, e.g. 7)',
    (t) => {
      const n = parseInteger({ ...t, text: t.text.replace(/^#/, '') });
      return n !== null && n > 0 ? n : null;
    },
    (t) => `\`${show(t)}\` is not a rule id; rule ids are the numbers \`/mql criteria\` shows, e.g. 7`,
  );
}

export function parseThreshold(tokens: Token[]): Parsed<number> {
  return single(
    tokens,
    'threshold (a whole number, e.g. 40)',
    (t) => {
      const n = parseInteger(t);
      return n !== null && Math.abs(n) <= MAX_THRESHOLD ? n : null;
    },
    (t) => `the threshold must be a whole number like 40, not \`${show(t)}\``,
  );
}

export const mapParsed = <T, U>(parsed: Parsed<T>, f: (value: T) => U): Parsed<U> => (parsed.ok ? ok(f(parsed.value)) : parsed);

/** The arguments of each change, as `/mql criteria <kind> …` and the trial changes of `criteria test` take them. */
export const CHANGE_PARSERS: Record<CriteriaChange['kind'], (args: Token[]) => Parsed<CriteriaChange>> = {
  add: (args) => mapParsed(parseRule(args), (rule) => ({ kind: 'add', rule })),
  remove: (args) => mapParsed(parseRuleId(args), (ruleId) => ({ kind: 'remove', ruleId })),
  threshold: (args) => mapParsed(parseThreshold(args), (threshold) => ({ kind: 'threshold', threshold })),
};

const CHANGE_FORMS = 'add <rule>, remove <id> or threshold <n>, separated by `;`';

/** Trial changes for a backtest: `add <rule>; remove <id>; threshold <n>` (none: the active criteria as they are). */
export function parseChanges(tokens: Token[]): Parsed<CriteriaChange[]> {
  const segments: Token[][] = [[]];
  for (const token of tokens) {
    if (!token.quoted && token.text === SEPARATOR) segments.push([]);
    else segments[segments.length - 1]!.push(token);
  }
  const changes: CriteriaChange[] = [];
  for (const [keyword, ...args] of segments.filter((s) => s.length > 0)) {
    const kind = (Object.keys(CHANGE_PARSERS) as Array<CriteriaChange['kind']>).find((k) => isWord(keyword, k));
    if (!kind) return fail(`unknown change \`${show(keyword!)}\`; use ${CHANGE_FORMS}`);
    const parsed = CHANGE_PARSERS[kind](args);
    if (!parsed.ok) {
      const extra = /^(unexpected|expected only)/.test(parsed.error) ? '; separate changes with `;`' : '';
      return fail(`${kind}: ${parsed.error}${extra}`);
    }
    changes.push(parsed.value);
  }
  return ok(changes);
}
