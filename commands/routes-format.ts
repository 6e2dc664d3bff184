/** Slack text for routes and their spread (`/mql routes`, `routes add|remove|move|test`). Pure; typed text is escaped here. */
import type { AwayRow } from '../db/queries/rep-away.js';
import type { RoutingVersionRow } from '../db/queries/routing.js';
import { routeSyntaxParts } from '../src/routing/route-syntax.js';
import { SPREAD_DAYS, type RecentSpread } from '../src/routing/routes-service.js';
import type { RouteShare } from '../src/routing/spread.js';
import type { Route, RouteCondition } from '../src/routing/types.js';
import { fold, listItems } from '../src/scoring/score.js';
import { formatDuration, limitList, slackDate } from '../src/slack/mrkdwn.js';
import { code, escapeMrkdwn, n, person, problem } from './reply.js';
import type { Reply, Usage } from './types.js';

/** `*2.* `emea when country = Germany` to <#C1> team <@U1> mode round-robin`: the typed part in code, mentions as names. */
export function routeLine(route: Route, number: number): string {
  const { test, target } = routeSyntaxParts(route);
  return `*${number}.* ${code(test)} ${target}`;
}

/** Slack's mentions of people, channels and user groups, escaped: only these ids, never `<!channel>` or a link. */
const ESCAPED_MENTION = /&lt;(@[UW][A-Z0-9]+|#[CG][A-Z0-9]+|!subteam\^S[A-Z0-9]+)&gt;/g;

/**
 * problem() for route errors, whose mentions (written outside code by the route syntax) Slack then shows as the
 * names the user picked, rather than as `<@U1>`. Everything else stays escaped.
 */
export function routesProblem(message: string, usage: Pick<Usage, 'usage' | 'example'>): Reply {
  const reply = problem(message, usage);
  return { ...reply, text: reply.text.replace(ESCAPED_MENTION, '<$1>') };
}

/** A refused change's reason, saying nothing changed (after a question, as a sentence of its own). */
export const nothingChanged = (error: string) => (error.endsWith('?') ? `${error} Nothing was changed.` : `${error}; nothing was changed`);

/** The route every lead no route takes: today's behaviour. */
export const defaultRouteLine = (salesChannel: string) => `*default:* everything else → <#${salesChannel}> claim (the first click wins)`;

export function versionLine(version: RoutingVersionRow): string {
  return `Version ${version.version}, changed by ${person(version.createdBy)} ${slackDate(version.createdAt)}: ${escapeMrkdwn(version.change)}`;
}

const MAX_AWAY_SHOWN = 20;

/** "Away now: <@U1> until …, <@U2> until they are back", or that nobody is. */
export function awayLine(rows: AwayRow[]): string {
  if (rows.length === 0) return 'Away now: nobody.';
  const names = rows.map((r) => `${person(r.userId)} ${r.awayUntil ? `until ${slackDate(r.awayUntil)}` : 'until they are back'}`);
  return `Away now: ${limitList(names, MAX_AWAY_SHOWN, (k) => `and ${n(k)} more`).join(', ')}.`;
}

/** A condition as matching reads it: names and values folded, an `in` list as a set. */
function conditionKey(c: RouteCondition): string {
  const value =
    c.op === 'in'
      ? listItems(c.value ?? '')
          .map(fold)
          .sort()
          .join('\n')
      : fold(c.value ?? '');
  return JSON.stringify([fold(c.field), c.op, value, c.withinMs ?? null]);
}

/** The first route before `index` that takes every lead the route at `index` would: its conditions are all among this one's. */
function earlierCover(routes: readonly Route[], index: number): number {
  const own = new Set(routes[index]!.conditions.map(conditionKey));
  return routes.findIndex((r, i) => i < index && r.conditions.every((c) => own.has(conditionKey(c))));
}

/** Notes about a route as saved: what its mode does without a team, and whether an earlier route takes all its leads. */
export function routeNotes(route: Route, routes: readonly Route[], reassignOnClaimSla: boolean): string[] {
  const notes: string[] = [];
  if (route.mode === 'claim' && route.team) {
    notes.push(
      reassignOnClaimSla
        ? 'The first click wins; a lead still unclaimed at its claim SLA is offered to the team, one rep at a time.'
        : ':warning: The first click wins, and the team is offered only leads unclaimed at their claim SLA, which needs `REASSIGN_ON_CLAIM_SLA=true` (off now).',
    );
  }
  if (route.mode === 'owner' && !route.team) {
    notes.push('Without a team, a lead whose person or company nobody owns yet is posted for the first click (claim).');
  }
  const index = routes.findIndex((r) => r.name === route.name);
  const cover = earlierCover(routes, index);
  if (cover >= 0) {
    const earlier = routes[cover]!;
    const why =
      earlier.conditions.length === 0
        ? 'has no conditions and takes every lead first'
        : new Set(earlier.conditions.map(conditionKey)).size === new Set(route.conditions.map(conditionKey)).size
          ? 'has the same conditions and takes these leads first'
          : 'has only conditions this route has too and takes its leads first';
    notes.push(
      `:warning: Route ${code(earlier.name)} (number ${cover + 1}) ${why}, so this route is never reached: ${code(`/mql routes move ${route.name} to ${cover + 1}`)}.`,
    );
  }
  return notes;
}

const percentOf = (part: number, whole: number) => (whole === 0 ? '' : ` (${Math.round((part / whole) * 100)}%)`);

function shareLine(share: RouteShare, number: number, total: number): string {
  const name = share.route ? `*${number}. ${escapeMrkdwn(share.route.name)}*` : '*default*';
  const head = `${name}: ${n(share.leads)} ${share.leads === 1 ? 'lead' : 'leads'}${percentOf(share.leads, total)}`;
  if (share.route?.team && share.route.mode !== 'claim' && !share.reps) {
    return `${head} — its team has no members now, so they are open to all`;
  }
  if (!share.reps) return head;
  const reps = share.reps.map((r) => `${person(r.userId)}${r.weight !== 1 ? ` (weight ${r.weight})` : ''} ${n(r.leads)}`);
  return `${head} — ${reps.join(', ')}`;
}

/** Per route (the default last): how many of the recent qualified leads it takes, and per rep for routes with a team. */
export function spreadLines({ spread, total, windowMs }: RecentSpread): string[] {
  if (spread.leads === 0) {
    return [`_No qualified lead came in or was active in the last ${SPREAD_DAYS} days, so there is nothing to spread yet._`];
  }
  const which = total > spread.leads ? `the latest ${n(spread.leads)} of the ${n(total)}` : `the ${n(spread.leads)}`;
  const owner = spread.routes.some((s) => s.route?.mode === 'owner');
  return [
    `*How ${which} qualified leads of the last ${SPREAD_DAYS} days would have been spread*`,
    ...spread.routes.map((share, i) => shareLine(share, i + 1, spread.leads)),
    `_Leads as they are stored now; reps taking turns with everyone available (nobody away, no caps), weights honoured. Turns are counted across all routes over the last ${formatDuration(windowMs)} (ROUTING_WINDOW), so a rep busy on another route gets fewer here.${owner ? ' Owner routes are shown as their fallback: who already owns a person or company is not looked up here.' : ''}_`,
  ];
}
