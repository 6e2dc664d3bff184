/*
 * The route syntax, both ways: `/mql routes add` reads a route with parseRoute and `/mql routes` writes each one
 * back with routeSyntax, so what is shown can be typed again. A route's conditions are the criteria's
 * (parseCondition) plus the score's own figures. Pure; errors are sentences naming the problem, the command adds
 * its usage line. Checks that need Slack (the channel, the people, the groups) or the other routes are the
 * command's and the service's.
 */
import { conditionSyntax, parseCondition } from '../scoring/rule-syntax.js';
import { fail, isWord, ok, parseInteger, type Parsed, type Token } from '../scoring/rule-tokens.js';
import { toNumber, listItems } from '../scoring/score.js';
import { scoreFieldOf } from './match.js';
import { CHANNEL_HOW, parseChannel, parseTeam, quoteToken, teamSyntax } from './team-syntax.js';
import { ASSIGNMENT_MODES, type AssignmentMode, type Route, type RouteCondition, type RouteTeam } from './types.js';

export const DEFAULT_ROUTE_NAME = 'default';
const MAX_CONDITIONS = 10;
const MAX_CAP = 1000;
const ROUTE_NAME = /^[a-z0-9_-]{1,40}$/i;

/** The words that may follow the channel, each at most once. */
const OPTIONS = ['team', 'mode', 'cap', 'hours'] as const;
type Option = (typeof OPTIONS)[number];
const optionOf = (token: Token | undefined): Option | null => OPTIONS.find((o) => isWord(token, o)) ?? null;

const SCORE_OPS = ['=', '!=', '>', '>=', '<', '<=', 'in'];

/** One condition (a part between `and`s): a criteria condition, where `score`, `fit` and `engagement` take numbers. */
function parseRouteCondition(part: Token[]): Parsed<RouteCondition> {
  const read = parseCondition(part);
  if (!read.ok) return read;
  const { condition, next } = read.value;
  if (next < part.length) {
    return fail(
      `unexpected ${quoteToken(part[next]!)} after the condition \`${routeConditionSyntax(condition)}\`; join conditions with \`and\``,
    );
  }
  const scoreField = scoreFieldOf(condition.field);
  if (scoreField) {
    const values = listItems(condition.value ?? '');
    if (!SCORE_OPS.includes(condition.op) || values.some((v) => toNumber(v) === null)) {
      return fail(
        `\`${scoreField}\` is the lead's ${scoreField === 'score' ? 'total score' : `${scoreField} score`}: compare it with a number, e.g. ${scoreField} >= 60`,
      );
    }
  }
  return ok(condition);
}

/** The conditions between `when` and `to`, joined by `and`. */
function parseConditions(tokens: Token[]): Parsed<RouteCondition[]> {
  const parts: Token[][] = [[]];
  for (const t of tokens) {
    if (isWord(t, 'and')) parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  if (parts.length > MAX_CONDITIONS) return fail(`a route has at most ${MAX_CONDITIONS} conditions, not ${parts.length}`);
  const conditions: RouteCondition[] = [];
  for (const [i, part] of parts.entries()) {
    if (part.length === 0) {
      return fail(
        parts.length === 1
          ? 'missing the condition after `when`, e.g. when country = Germany'
          : `missing a condition ${i === 0 ? 'before' : 'after'} \`and\``,
      );
    }
    const read = parseRouteCondition(part);
    if (!read.ok) return read;
    conditions.push(read.value);
  }
  return ok(conditions);
}

function parseName(token: Token | undefined): Parsed<string> {
  if (!token || isWord(token, 'when') || isWord(token, 'to')) return fail('missing the route name: one short word first, e.g. emea');
  if (token.quoted || token.op || !ROUTE_NAME.test(token.text)) {
    return fail(`${quoteToken(token)} is not a route name: use one word of letters, digits, - and _ (at most 40), e.g. emea`);
  }
  if (token.text.toLowerCase() === DEFAULT_ROUTE_NAME) return fail('`default` is the route every other lead takes; choose another name');
  return ok(token.text);
}

interface Options {
  team: RouteTeam | null;
  mode: AssignmentMode | null;
  cap: number | null;
  hours: boolean;
}

/** `team …`, `mode …`, `cap <n>`, `hours` after the channel, in any order, each once. */
function parseOptions(tokens: Token[], start: number): Parsed<Options> {
  const options: Options = { team: null, mode: null, cap: null, hours: false };
  const seen = new Set<Option>();
  let i = start;
  while (i < tokens.length) {
    const option = optionOf(tokens[i]);
    if (!option) return fail(`unexpected ${quoteToken(tokens[i]!)} after the channel; team, mode, cap and hours may follow`);
    if (seen.has(option)) return fail(`\`${option}\` is given twice`);
    seen.add(option);
    const arg = tokens[i + 1];
    if (option === 'team') {
      const read = parseTeam(tokens, i + 1, (t) => optionOf(t) !== null);
      if (!read.ok) return read;
      options.team = read.value.team;
      i = read.value.next;
    } else if (option === 'mode') {
      const mode = ASSIGNMENT_MODES.find((m) => isWord(arg, m));
      if (!mode) {
        return fail(`${arg ? `unknown mode ${quoteToken(arg)}` : 'missing the mode after `mode`'}; use claim, round-robin or owner`);
      }
      options.mode = mode;
      i += 2;
    } else if (option === 'cap') {
      const cap = parseInteger(arg);
      if (cap === null || cap < 1 || cap > MAX_CAP) {
        return fail(
          `the cap is how many open leads a rep may hold, a whole number from 1 to ${MAX_CAP}, not ${arg ? quoteToken(arg) : 'nothing'}`,
        );
      }
      options.cap = cap;
      i += 2;
    } else {
      options.hours = true;
      i += 1;
    }
  }
  return ok(options);
}

/** The mode a route's options amount to, or why they do not fit together. */
function modeOf({ team, mode, cap, hours }: Options): Parsed<AssignmentMode> {
  const chosen = mode ?? (team ? 'round-robin' : 'claim');
  if (chosen === 'round-robin' && !team) return fail('`mode round-robin` needs a team to take turns: add `team` and its members');
  if (chosen !== 'claim') return ok(chosen);
  const offersOnly =
    cap !== null ? '`cap` limits the leads offered to each rep' : hours ? '`hours` holds offers outside business hours' : null;
  // A claim route's team is offered only leads left unclaimed past their claim SLA (REASSIGN_ON_CLAIM_SLA).
  if (offersOnly && !team) return fail(`${offersOnly}; \`mode claim\` offers none: give a team (round-robin) or use mode owner`);
  return ok(chosen);
}

/**
 * `<name> [when <condition> [and <condition>]…] to <channel> [team <members>] [mode claim|round-robin|owner] [cap <n>]
 * [hours]`. Without `when` the route takes every lead that reaches it. Members are people and user groups, a person
 * optionally with a weight (`<@U1> *2`). The mode is claim without a team and round-robin with one.
 */
export function parseRoute(tokens: Token[]): Parsed<Route> {
  const name = parseName(tokens[0]);
  if (!name.ok) return name;
  let conditions: RouteCondition[] = [];
  let to = 1;
  if (isWord(tokens[1], 'when')) {
    to = tokens.findIndex((t, i) => i > 1 && isWord(t, 'to'));
    if (to < 0) return fail('missing `to <channel>` after the conditions, e.g. to #emea-sales');
    const read = parseConditions(tokens.slice(2, to));
    if (!read.ok) return read;
    conditions = read.value;
  } else if (!isWord(tokens[1], 'to')) {
    return fail(
      tokens[1]
        ? `expected \`when <condition>\` or \`to <channel>\` after the name, not ${quoteToken(tokens[1])}`
        : 'missing `to <channel>` after the name, e.g. to #emea-sales',
    );
  }
  const channelToken = tokens[to + 1];
  if (!channelToken || optionOf(channelToken)) return fail(`missing the channel after \`to\`: ${CHANNEL_HOW}`);
  const channel = parseChannel(channelToken);
  if (!channel.ok) return channel;
  const options = parseOptions(tokens, to + 2);
  if (!options.ok) return options;
  const mode = modeOf(options.value);
  if (!mode.ok) return mode;
  const { team, cap, hours } = options.value;
  return ok({
    name: name.value,
    conditions,
    channel: channel.value,
    team,
    mode: mode.value,
    ...(cap !== null && { maxOpen: cap }),
    ...(hours && { businessHours: true }),
  });
}

/**
 * A condition as it was typed: an `in` list keeps the spaces after its commas (`country in "Germany, France"`),
 * where conditionSyntax writes criteria lists without them. The field part and the quoted list are conditionSyntax's.
 */
export function routeConditionSyntax(condition: RouteCondition): string {
  if (condition.op !== 'in') return conditionSyntax(condition);
  const field = conditionSyntax({ ...condition, op: 'exists' }).slice(0, -' exists'.length);
  const list = conditionSyntax({ ...condition, op: '=' }).slice(`${field} = `.length);
  return `${field} in ${list}`;
}

/**
 * A route as parseRoute reads it, in two parts: `test`, the name and conditions (typed text, to be escaped where
 * shown), and `target`, where it goes (ids, keywords and numbers only, so mrkdwn shows its mentions as names).
 */
export function routeSyntaxParts(route: Route): { test: string; target: string } {
  const test = `${route.name}${route.conditions.length ? ` when ${route.conditions.map(routeConditionSyntax).join(' and ')}` : ''}`;
  const target = [
    `to <#${route.channel}>`,
    ...(route.team ? [`team ${teamSyntax(route.team)}`] : []),
    `mode ${route.mode}`,
    ...(route.maxOpen !== undefined ? [`cap ${route.maxOpen}`] : []),
    ...(route.businessHours ? ['hours'] : []),
  ].join(' ');
  return { test, target };
}

export function routeSyntax(route: Route): string {
  const { test, target } = routeSyntaxParts(route);
  return `${test} ${target}`;
}
