/*
 * How leads would have been spread over routes and reps (`/mql routes test`, and the reply to `/mql routes add`).
 * Pure: the leads, the teams as users and the routes are read by the caller. Each lead takes the first route whose
 * conditions hold; a route with a team hands it to the rep chooser.ts picks, with everyone available (nobody away,
 * no caps), weights honoured, fairness counted over the window across all routes, as offers are counted.
 */
import type { TeamMembers } from './candidates.js';
import { chooseRep, type Candidate } from './chooser.js';
import { routeFor, type RoutedLead } from './match.js';
import type { Route } from './types.js';

export interface SpreadLead {
  routed: RoutedLead;
  /** When it was routed (or as near as is known): conditions are judged then, and turns are taken in this order. */
  at: Date;
}

export interface RepShare {
  userId: string;
  weight: number;
  leads: number;
}

export interface RouteShare {
  /** Null: the default route. */
  route: Route | null;
  leads: number;
  /** Per member, in the team's order, for a route with a team that has members; null otherwise. */
  reps: RepShare[] | null;
}

/** Per route in order, the default route last; every lead is counted once. */
export interface Spread {
  routes: RouteShare[];
  leads: number;
}

/** Whether a route's leads are handed to its team in turn: round-robin, and owner (owners are not looked up here). */
export const takesTurns = (route: Route): boolean => route.team !== null && route.mode !== 'claim';

/** Offers each rep was given, by time, across routes (fairness counts a rep's offers from every route). */
type History = Map<string, Date[]>;

/** How many of the (ascending) times are at or after `since`: a binary search, as a rep may hold thousands. */
function countSince(times: readonly Date[], since: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (times[mid]!.getTime() < since) low = mid + 1;
    else high = mid;
  }
  return times.length - low;
}

function candidateAt(userId: string, weight: number, history: History, at: Date, windowMs: number): Candidate {
  const times = history.get(userId) ?? [];
  return {
    userId,
    weight,
    away: false,
    inDnd: false,
    load: 0,
    cap: null,
    offeredAlready: false,
    assignments: countSince(times, at.getTime() - windowMs),
    lastAssignedAt: times[times.length - 1] ?? null,
  };
}

/**
 * Routes each lead, oldest first, and hands those of routes with a team to a rep in turn. `teams` holds each such
 * route's members by route name; a route whose team has no members now counts its leads but names no rep.
 */
export function spreadLeads(input: {
  routes: readonly Route[];
  teams: ReadonlyMap<string, TeamMembers>;
  leads: readonly SpreadLead[];
  windowMs: number;
}): Spread {
  const { routes, teams, windowMs } = input;
  const shares: RouteShare[] = [...routes, null].map((route) => {
    const team = route && takesTurns(route) ? teams.get(route.name) : undefined;
    const reps = team?.users.length ? team.users.map((userId) => ({ userId, weight: team.weights[userId] ?? 1, leads: 0 })) : null;
    return { route, leads: 0, reps };
  });
  const shareOf = new Map(shares.map((s) => [s.route, s]));
  const history: History = new Map();
  const oldestFirst = [...input.leads].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const { routed, at } of oldestFirst) {
    const share = shareOf.get(routeFor(routes, routed, at))!;
    share.leads++;
    if (!share.reps) continue;
    const chosen = chooseRep(share.reps.map((r) => candidateAt(r.userId, r.weight, history, at, windowMs)));
    if (!chosen) continue;
    share.reps.find((r) => r.userId === chosen.userId)!.leads++;
    const times = history.get(chosen.userId) ?? [];
    times.push(at);
    history.set(chosen.userId, times);
  }
  return { routes: shares, leads: input.leads.length };
}
