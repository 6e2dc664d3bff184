export type {
  AssignmentMode,
  OfferMode,
  OfferReason,
  OfferStatus,
  Route,
  RouteCondition,
  RouteTeam,
} from '../../db/types.js';
export { ASSIGNMENT_MODES, OFFER_MODES, OFFER_REASONS, OFFER_STATUSES } from '../../db/types.js';

/** The offer DM's buttons; their value is the offer id. */
export const OFFER_ACTIONS = { accept: 'mql_offer_accept', pass: 'mql_offer_pass' } as const;

/** Arbitrary constant: the advisory lock every offer is made under, so counting a rep's load and offering are one step. */
export const ROUTING_LOCK_KEY = 727_014;
/** Arbitrary constant: the advisory lock every change of the routes is saved under. */
export const ROUTES_LOCK_KEY = 727_015;
