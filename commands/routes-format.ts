/** Slack text for routes and their spread (`/mql routes`, `routes add|remove|move|test`). Pure; typed text is escaped here. */
import type { AwayRow } from '../db/queries/rep-away.js';
import type { RoutingVersionRow } from '../db/queries/routing.js';
import { routeSyntaxParts } from '../src/routing/route-syntax.js';
import { SPREAD_DAYS, type RecentSpread } from '../src/routing/routes-service.js';
import type { RouteShare } from '../src/routing/spread.js';
import type { Route } from '../src/routing/types.js';
import { limitList, slackDate } from '../src/slack/mrkdwn.js';
import { code, escapeMrkdwn, n, person } from './reply.js';

/** `*2.* `emea when country = Germany` to <#C1> team <@U1> mode round-robin`: the typed part in code, mentions as names. */
export function routeLine(route: Route, number: number): string {
  const { test, target } = routeSyntaxParts(route);
  return `*${number}.* ${code(test)} ${target}`;
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

/** Notes about a route as saved: what its mode does without a team, and whether an earlier route takes all its leads. */
export function routeNotes(route: Route, routes: readonly Route[]): string[] {
  const notes: string[] = [];
  if (route.mode === 'owner' && !route.team) {
    notes.push('Without a team, a lead whose person or company nobody owns yet is posted for the first click (claim).');
  }
  const index = routes.findIndex((r) => r.name === route.name);
  const catchAll = routes.findIndex((r, i) => i < index && r.conditions.length === 0);
  if (catchAll >= 0) {
    notes.push(
      `:warning: Route ${code(routes[catchAll]!.name)} (number ${catchAll + 1}) has no conditions and takes every lead first, so this route is never reached: ${code(`/mql routes move ${route.name} to ${catchAll + 1}`)}.`,
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
export function spreadLines({ spread, total }: RecentSpread): string[] {
  if (spread.leads === 0) {
    return [`_No qualified lead came in or was active in the last ${SPREAD_DAYS} days, so there is nothing to spread yet._`];
  }
  const which = total > spread.leads ? `the latest ${n(spread.leads)} of the ${n(total)}` : `the ${n(spread.leads)}`;
  const owner = spread.routes.some((s) => s.route?.mode === 'owner');
  return [
    `*How ${which} qualified leads of the last ${SPREAD_DAYS} days would have been spread*`,
    ...spread.routes.map((share, i) => shareLine(share, i + 1, spread.leads)),
    `_Leads as they are stored now; reps taking turns with everyone available (nobody away, no caps), weights honoured.${owner ? ' Owner routes are shown as their fallback: who already owns a person or company is not looked up here.' : ''}_`,
  ];
}
