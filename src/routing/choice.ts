import type { NewHandoff } from '../../db/queries/handoffs.js';
import type { Route } from '../../db/types.js';
import { routeFor, type RoutedLead } from './match.js';

type RouteColumns = Required<Pick<NewHandoff, 'routeName' | 'routingVersion' | 'postChannel' | 'offerMode'>>;

/** How a route starts a handoff's offers: the owner first, the team in turn, or none (posted for the first click). */
export function firstOfferMode(route: Pick<Route, 'mode' | 'team'>): RouteColumns['offerMode'] {
  if (route.mode === 'owner') return 'owner';
  return route.mode === 'round-robin' && route.team ? 'round-robin' : null;
}

/** What a new handoff records of its route: the default route (all null) unless a route matches. */
export function routeChoice(routing: { version: number; routes: readonly Route[] }, routed: RoutedLead, now: Date): RouteColumns {
  const route = routeFor(routing.routes, routed, now);
  if (!route) return { routeName: null, routingVersion: routing.version || null, postChannel: null, offerMode: null };
  return { routeName: route.name, routingVersion: routing.version, postChannel: route.channel, offerMode: firstOfferMode(route) };
}
