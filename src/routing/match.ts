import type { Route, RouteCondition } from '../../db/types.js';
import { conditionHolds, matches } from '../scoring/score.js';
import type { ScorableEvent, ScorableLead } from '../scoring/types.js';

/** The score's own figures a route may test: `score >= 60`, `fit >= 20`, `engagement >= 30`. */
export const SCORE_FIELDS = ['score', 'fit', 'engagement'] as const;
export type ScoreField = (typeof SCORE_FIELDS)[number];

export const scoreFieldOf = (field: string): ScoreField | null =>
  (SCORE_FIELDS as readonly string[]).includes(field.trim().toLowerCase()) ? (field.trim().toLowerCase() as ScoreField) : null;

export interface RoutedLead {
  lead: ScorableLead;
  events: ScorableEvent[];
  score: Record<ScoreField, number>;
}

/** Whether one condition holds; `score`, `fit` and `engagement` are the lead's score, never an attribute of that name. */
export function routeConditionHolds(condition: RouteCondition, routed: RoutedLead, now: Date): boolean {
  const scoreField = scoreFieldOf(condition.field);
  if (scoreField) return matches(routed.score[scoreField], condition);
  return conditionHolds(routed.lead, routed.events, condition, now);
}

/** The first route whose conditions all hold, or null: the default route (the sales channel, claim mode). */
export function routeFor(routes: readonly Route[], routed: RoutedLead, now: Date): Route | null {
  return routes.find((route) => route.conditions.every((c) => routeConditionHolds(c, routed, now))) ?? null;
}
