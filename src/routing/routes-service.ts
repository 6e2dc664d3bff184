/*
 * Routes where they meet the database: each change (add, remove, move, revert) saved as a new routing version with an
 * audit row, serialised by an advisory lock like criteria changes; and the spread of recent leads over routes.
 * Handoffs keep the route they were given: a change applies to leads handed over after it.
 */
import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../db/queries/audit-log.js';
import {
  eventsOfLeads,
  findActiveRouting,
  findRoutingVersion,
  recentQualifiedLeads,
  saveRoutingVersion,
  type RecentLead,
  type RoutingVersionRow,
} from '../../db/queries/routing.js';
import type { Deps } from '../deps.js';
import { closestNames } from '../scoring/field-names.js';
import { unknownFields } from '../scoring/field-service.js';
import { storedEventTypes } from '../../db/queries/leads-backtest.js';
import { fail, ok, type Parsed } from '../scoring/rule-tokens.js';
import { fieldSource, fold } from '../scoring/score.js';
import type { ScorableEvent } from '../scoring/types.js';
import { expandTeam, type TeamMembers } from './candidates.js';
import { scoreFieldOf } from './match.js';
import { spreadLeads, takesTurns, type Spread, type SpreadLead } from './spread.js';
import { ROUTES_LOCK_KEY, type Route } from './types.js';

export const MAX_ROUTES = 30;

export type RoutesChange =
  | { kind: 'add'; route: Route }
  | { kind: 'remove'; name: string }
  /** To a position (1 is first), or just before another route. */
  | { kind: 'move'; name: string; to: { position: number } | { before: string } }
  /** Back to the routes of an earlier version, saved as a new one. */
  | { kind: 'revert'; version: number };

type ListChange = Exclude<RoutesChange, { kind: 'revert' }>;

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Where the route named `name` is (names are told apart case-insensitively); -1 when there is none. */
export const routeIndex = (routes: readonly Route[], name: string) => routes.findIndex((r) => sameName(r.name, name));

/** The index of the route named `name`, or why there is none, with the names it may have meant. */
function indexOf(routes: readonly Route[], name: string): Parsed<number> {
  const index = routeIndex(routes, name);
  if (index >= 0) return ok(index);
  if (routes.length === 0) return fail(`there is no route named \`${name}\`: there are no routes yet`);
  const names = routes.map((r) => r.name);
  const close = closestNames(name, names);
  const hint = close.length ? `did you mean ${close.map((n) => `\`${n}\``).join(' or ')}?` : `the routes are ${names.join(', ')}`;
  return fail(`there is no route named \`${name}\`; ${hint}`);
}

/**
 * The list after a change, and the change in a few words for the version and the audit log (each version holds the
 * whole list, so what a removed route was stays in the one before); or why it cannot be made. Pure.
 */
export function applyRoutesChange(routes: readonly Route[], change: ListChange): Parsed<{ routes: Route[]; change: string }> {
  if (change.kind === 'add') {
    const taken = routeIndex(routes, change.route.name);
    if (taken >= 0) return fail(`a route named \`${routes[taken]!.name}\` exists already (number ${taken + 1}); choose another name`);
    if (routes.length >= MAX_ROUTES) return fail(`there are ${MAX_ROUTES} routes, the most there may be; remove one first`);
    return ok({ routes: [...routes, change.route], change: `add ${change.route.name} as number ${routes.length + 1}` });
  }
  const found = indexOf(routes, change.name);
  if (!found.ok) return found;
  const from = found.value;
  const route = routes[from]!;
  const rest = routes.filter((_, i) => i !== from);
  if (change.kind === 'remove') return ok({ routes: rest, change: `remove ${route.name} (number ${from + 1})` });

  let to: number;
  if ('before' in change.to) {
    if (sameName(change.to.before, route.name)) return fail(`\`${route.name}\` cannot move before itself`);
    const target = indexOf(rest, change.to.before);
    if (!target.ok) return target;
    to = target.value;
  } else {
    if (change.to.position < 1 || change.to.position > routes.length) {
      const range = routes.length === 1 ? 'the only position is 1' : `the position is a number from 1 to ${routes.length}`;
      return fail(`there ${routes.length === 1 ? 'is 1 route' : `are ${routes.length} routes`}: ${range}, not ${change.to.position}`);
    }
    to = change.to.position - 1;
  }
  if (to === from) return fail(`\`${route.name}\` is number ${from + 1} already`);
  const moved = [...rest.slice(0, to), route, ...rest.slice(to)];
  return ok({ routes: moved, change: `move ${route.name} from ${from + 1} to ${to + 1}` });
}

export const WHERE_VERSIONS_LISTED = '`/mql routes history` lists the versions';

/** The routes of version `version` as the next change, or why it cannot be gone back to. */
async function revertTo(tx: DbOrTx, active: { version: number }, version: number): Promise<Parsed<{ routes: Route[]; change: string }>> {
  if (active.version === 0) return fail('there are no routing versions yet, so there is none to go back to');
  if (version === active.version) {
    return fail(`version ${version} is the active version; name an earlier one (${WHERE_VERSIONS_LISTED})`);
  }
  const old = await findRoutingVersion(tx, version);
  if (!old) return fail(`there is no version ${version}; the versions are 1 to ${active.version} (${WHERE_VERSIONS_LISTED})`);
  return ok({ routes: old.routes, change: `revert to version ${version}` });
}

export type SavedRoutes =
  | { ok: true; before: { version: number; routes: Route[] }; after: RoutingVersionRow }
  | { ok: false; error: string };

/**
 * Makes one change as a new routing version and audits it (`routing.changed`). Two managers changing at once are
 * serialised by the lock, so each change builds on the one before and gets its own version. A change that cannot
 * be made (a taken name, an unknown one, too many routes) is returned as an error and writes nothing.
 */
export async function saveRoutesChange(db: Db, change: RoutesChange, actor: string, now: Date): Promise<SavedRoutes> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ROUTES_LOCK_KEY})`);
    const before = await findActiveRouting(tx);
    const applied = change.kind === 'revert' ? await revertTo(tx, before, change.version) : applyRoutesChange(before.routes, change);
    if (!applied.ok) return applied;
    const after = await saveRoutingVersion(tx, { routes: applied.value.routes, change: applied.value.change, createdBy: actor, now });
    await recordAudit(
      tx,
      [
        {
          actor,
          action: 'routing.changed',
          entity: 'routing',
          entityId: after.version,
          fromState: String(before.version),
          toState: String(after.version),
          details: { change: applied.value.change },
        },
      ],
      now,
    );
    return { ok: true, before, after };
  });
}

/**
 * Why each condition's field is one no stored lead has (as `criteria add` refuses such a field), with the closest
 * names there are; none when every field is found. The score's own figures are the route's, not a lead's.
 */
export async function unknownConditionFields(db: DbOrTx, route: Route): Promise<string[]> {
  return unknownFields(
    db,
    route.conditions.map((c) => c.field).filter((f) => !scoreFieldOf(f)),
  );
}

/** How far back `routes test` looks, and how many of those leads it reads at most (the most recent). */
export const SPREAD_DAYS = 30;
export const SPREAD_LEADS = 5_000;

export interface RecentSpread {
  spread: Spread;
  /** Qualified leads seen in the period; `spread.leads` of them (the most recent) were spread. */
  total: number;
  /** How far back each rep's turns are counted (ROUTING_WINDOW). */
  windowMs: number;
}

/** The stored types of the events the routes count (`events.<type>`, folded as scoring folds them). */
async function countedEventTypes(db: DbOrTx, routes: readonly Route[]): Promise<string[]> {
  const wanted = new Set<string>();
  for (const c of routes.flatMap((r) => r.conditions)) {
    const source = fieldSource(c.field);
    if (source.kind === 'events') wanted.add(source.type);
  }
  return wanted.size ? (await storedEventTypes(db)).filter((type) => wanted.has(fold(type))) : [];
}

function spreadLead(row: RecentLead, events: ScorableEvent[]): SpreadLead {
  // Reasons stored before axes existed have none: counted as fit, the axis of every rule but event counts.
  const points = (axis: 'fit' | 'engagement') =>
    row.scoreBreakdown.filter((r) => (r.axis ?? 'fit') === axis).reduce((sum, r) => sum + r.points, 0);
  const at = row.lastActivityAt && row.lastActivityAt > row.createdAt ? row.lastActivityAt : row.createdAt;
  return { routed: { lead: row, events, score: { score: row.score, fit: points('fit'), engagement: points('engagement') } }, at };
}

/**
 * How the qualified leads of the last SPREAD_DAYS (at most SPREAD_LEADS, the most recent) would have been spread
 * under `routes`: teams as their members are now, everyone available.
 */
export async function spreadOfRecentLeads(
  deps: Pick<Deps, 'database' | 'groups' | 'config'>,
  routes: readonly Route[],
  now: Date,
): Promise<RecentSpread> {
  const db = deps.database.db;
  const since = new Date(now.getTime() - SPREAD_DAYS * 86_400_000);
  const recent = await recentQualifiedLeads(db, since, SPREAD_LEADS);
  const events = await eventsOfLeads(
    db,
    recent.leads.map((l) => l.id),
    await countedEventTypes(db, routes),
  );
  const eventsOf = new Map<number, ScorableEvent[]>();
  for (const e of events) {
    const own = eventsOf.get(e.leadId) ?? [];
    own.push(e);
    eventsOf.set(e.leadId, own);
  }
  const teams = new Map<string, TeamMembers>();
  for (const route of routes) if (route.team && takesTurns(route)) teams.set(route.name, await expandTeam(deps, route.team));
  const spread = spreadLeads({
    routes,
    teams,
    leads: recent.leads.map((row) => spreadLead(row, eventsOf.get(row.id) ?? [])),
    windowMs: deps.config.routing.fairnessWindowMs,
  });
  return { spread, total: recent.total, windowMs: deps.config.routing.fairnessWindowMs };
}
