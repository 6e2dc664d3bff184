/*
 * Criteria changes in the syntax of `/mql criteria …` and the trial changes of `criteria test`: `add <rule>`,
 * `remove <id>`, `threshold <n>`, `qualify fit >= 20 and engagement >= 30`, `decay 30d`. Pure; errors are plain
 * sentences naming the problem, the caller adds its usage line.
 */
import { DAY_MS } from './axes.js';
import { durationText, parseDuration } from './duration-syntax.js';
import { parseRule, ruleSyntax } from './rule-syntax.js';
import { fail, isWord, ok, parseInteger, SEPARATOR, showToken, type Parsed, type Token } from './rule-tokens.js';
import type { AxisMinimums, CriteriaChange, Decay } from './types.js';

const MAX_THRESHOLD = 100_000;

function single<T>(tokens: Token[], what: string, parse: (t: Token) => T | null, bad: (t: Token) => string): Parsed<T> {
  if (tokens.length === 0) return fail(`missing the ${what}`);
  if (tokens.length > 1) return fail(`expected only the ${what}, not \`${tokens.map(showToken).join(' ')}\``);
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
    (t) => `\`${showToken(t)}\` is not a rule id; rule ids are the numbers \`/mql criteria\` shows, e.g. 7`,
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
    (t) => `the threshold must be a whole number like 40, not \`${showToken(t)}\``,
  );
}

/** `total >= 40`, or `fit >= 20 and engagement >= 30` (both axes); `>=` may be left out. */
export function parseQualify(tokens: Token[]): Parsed<CriteriaChange> {
  const parts: Token[][] = [[]];
  for (const t of tokens) {
    if (isWord(t, 'and')) parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  const found = new Map<string, number>();
  for (const part of parts) {
    const [name, maybeOp, maybeValue] = part;
    const what = ['total', 'fit', 'engagement'].find((w) => isWord(name, w));
    const valueToken = maybeOp?.op && maybeOp.text === '>=' ? maybeValue : maybeOp;
    const extra = part.length > (maybeOp?.op ? 3 : 2);
    const value = parseInteger(valueToken);
    if (!what || value === null || extra || (maybeOp?.op && maybeOp.text !== '>=')) {
      return fail(
        `\`${part.map(showToken).join(' ') || '(nothing)'}\` is not a minimum; write total >= 40, or fit >= 20 and engagement >= 30`,
      );
    }
    if (found.has(what)) return fail(`\`${what}\` is given twice`);
    if (Math.abs(value) > MAX_THRESHOLD) return fail(`a minimum must be at most ${MAX_THRESHOLD}`);
    found.set(what, value);
  }
  if (found.has('total')) {
    return found.size === 1
      ? ok({ kind: 'threshold', threshold: found.get('total')! })
      : fail('qualify on the total, or on fit and engagement, not both');
  }
  const fit = found.get('fit');
  const engagement = found.get('engagement');
  if (fit === undefined || engagement === undefined) {
    return fail('give a minimum for both axes, e.g. fit >= 20 and engagement >= 30 (or qualify on the total: total >= 40)');
  }
  const minimums: AxisMinimums = { fit, engagement };
  return ok({ kind: 'minimums', minimums });
}

const DECAY_FORM = 'off, a half-life like 30d, or window 90d';

/** `off`, `30d` or `half-life 30d` (points halve every 30 days), `window 90d` (full points for 90 days, then none). */
export function parseDecay(tokens: Token[]): Parsed<CriteriaChange> {
  if (tokens.length === 1 && isWord(tokens[0], 'off')) return ok({ kind: 'decay', decay: { kind: 'off' } });
  const [first, second, ...rest] = tokens;
  const kind = isWord(first, 'window') ? 'window' : isWord(first, 'half-life') || isWord(first, 'halflife') ? 'half-life' : null;
  const span = kind ? second : first;
  if (!span || rest.length > 0 || (!kind && second)) return fail(`decay takes ${DECAY_FORM}`);
  const value = parseDuration(span.text);
  if (value === null) return fail(`\`${showToken(span)}\` is not a duration from 1d to 3650d; decay takes ${DECAY_FORM}`);
  if (value % DAY_MS !== 0) return fail(`decay counts whole days; write \`${Math.max(1, Math.round(value / DAY_MS))}d\``);
  const decay: Decay = { kind: kind ?? 'half-life', days: value / DAY_MS };
  return ok({ kind: 'decay', decay });
}

const mapParsed = <T, U>(parsed: Parsed<T>, f: (value: T) => U): Parsed<U> => (parsed.ok ? ok(f(parsed.value)) : parsed);

/** The arguments of each change, as `/mql criteria <kind> …` and the trial changes of `criteria test` take them. */
export const CHANGE_PARSERS = {
  add: (args) => mapParsed(parseRule(args), (rule) => ({ kind: 'add', rule })),
  remove: (args) => mapParsed(parseRuleId(args), (ruleId) => ({ kind: 'remove', ruleId })),
  threshold: (args) => mapParsed(parseThreshold(args), (threshold) => ({ kind: 'threshold', threshold })),
  qualify: parseQualify,
  decay: parseDecay,
} satisfies Record<string, (args: Token[]) => Parsed<CriteriaChange>>;

type ChangeWord = keyof typeof CHANGE_PARSERS;

const CHANGE_FORMS = 'add <rule>, remove <id>, threshold <n>, qualify <minimums> or decay <half-life>, separated by `;`';

/** Trial changes for a backtest: `add <rule>; remove <id>; threshold <n>` (none: the active criteria as they are). */
export function parseChanges(tokens: Token[]): Parsed<CriteriaChange[]> {
  const segments: Token[][] = [[]];
  for (const token of tokens) {
    if (!token.quoted && token.text === SEPARATOR) segments.push([]);
    else segments[segments.length - 1]!.push(token);
  }
  const changes: CriteriaChange[] = [];
  for (const [keyword, ...args] of segments.filter((s) => s.length > 0)) {
    const kind = (Object.keys(CHANGE_PARSERS) as ChangeWord[]).find((k) => isWord(keyword, k));
    if (!kind) return fail(`unknown change \`${showToken(keyword!)}\`; use ${CHANGE_FORMS}`);
    const parsed = CHANGE_PARSERS[kind](args);
    if (!parsed.ok) {
      const extra = /^(unexpected|expected only)/.test(parsed.error) ? '; separate changes with `;`' : '';
      return fail(`${kind}: ${parsed.error}${extra}`);
    }
    changes.push(parsed.value);
  }
  return ok(changes);
}

function decaySyntax(decay: Decay): string {
  if (decay.kind === 'off') return 'off';
  const span = durationText(decay.days * DAY_MS);
  return decay.kind === 'window' ? `window ${span}` : span;
}

function changeSyntax(c: CriteriaChange): string {
  switch (c.kind) {
    case 'add':
      return `add ${ruleSyntax(c.rule)}`;
    case 'remove':
      return `remove ${c.ruleId}`;
    case 'threshold':
      return `threshold ${c.threshold}`;
    case 'minimums':
      return `qualify fit >= ${c.minimums.fit} and engagement >= ${c.minimums.engagement}`;
    case 'decay':
      return `decay ${decaySyntax(c.decay)}`;
    case 'revert':
      return `revert ${c.to.version}`;
  }
}

/** Changes as parseChanges reads them, e.g. `threshold 35; remove 7`. */
export function changesSyntax(changes: CriteriaChange[]): string {
  return changes.map(changeSyntax).join(`${SEPARATOR} `);
}
