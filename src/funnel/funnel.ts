/*
 * The funnel MQL → accepted (SQL) → opportunity → won of a cohort of MQLs: what became of the handoffs opened in
 * a period, followed to today. Pure: the rows come from db/queries/funnel.ts.
 *
 * One handoff is one MQL (a lead that qualifies again later is a new MQL). Stages are cumulative and the CRM has
 * the last word: an MQL reached
 * - won: the lead has a `won` outcome dated at or after the handoff opened (and before its next handoff opened);
 * - opportunity: an `opportunity`, `won` or `lost` outcome in that window (a lost deal was an opportunity);
 * - accepted (SQL): the rep accepted it, or it reached opportunity.
 */
import type { CohortHandoff, CohortOutcome } from '../../db/queries/funnel.js';
import type { OutcomeStage } from '../../db/schema.js';
import { DEFAULT_ROUTE_NAME } from '../routing/route-syntax.js';
import { median, share } from '../sla/stats.js';

export const FUNNEL_GROUPINGS = ['version', 'source', 'rep', 'route'] as const;
export type FunnelGrouping = (typeof FUNNEL_GROUPINGS)[number];

/** A handoff of the cohort, with what the grouping and the stages read (as db/queries/funnel.ts reads it). */
export type FunnelHandoff = CohortHandoff;
/** A CRM outcome of a lead (a row of lead_outcomes). */
export type FunnelOutcome = CohortOutcome;

export interface FunnelFigures {
  mqls: number;
  accepted: number;
  opportunities: number;
  won: number;
  /** Whole percentages step to step, and won of all MQLs; null when there is nothing to divide. */
  rates: { mqlToSql: number | null; sqlToOpportunity: number | null; opportunityToWon: number | null; mqlToWon: number | null };
  /** Median spans between the steps (milliseconds); null when no MQL has both ends. */
  medianMs: { mqlToSql: number | null; sqlToOpportunity: number | null; opportunityToWon: number | null };
}

export interface Funnel {
  by: FunnelGrouping;
  total: FunnelFigures;
  /** Versions newest first; sources, reps and routes most MQLs first (then by key). */
  groups: Array<FunnelFigures & { key: string }>;
}

/** What one MQL reached, and its spans between steps (null: not reached, or an outcome dated before its start). */
interface Journey {
  accepted: boolean;
  opportunity: boolean;
  won: boolean;
  toSql: number | null;
  toOpportunity: number | null;
  toWon: number | null;
}

const earliest = (dates: Date[]) => (dates.length ? new Date(Math.min(...dates.map((d) => d.getTime()))) : null);
/** A span, or null when either end is missing or the end is dated before the start. */
const span = (from: Date | null, to: Date | null) => (from && to && to >= from ? to.getTime() - from.getTime() : null);

function journeyOf(h: FunnelHandoff, outcomes: readonly FunnelOutcome[]): Journey {
  const mine = outcomes.filter((o) => o.occurredAt >= h.createdAt && (h.nextCreatedAt === null || o.occurredAt < h.nextCreatedAt));
  const at = (stages: readonly OutcomeStage[]) => earliest(mine.filter((o) => stages.includes(o.stage)).map((o) => o.occurredAt));
  const firstOutcome = at(['opportunity', 'won', 'lost']);
  const won = at(['won']);
  const repAccepted = h.decision === 'accepted';
  const sqlAt = repAccepted && h.decidedAt ? h.decidedAt : h.createdAt;
  return {
    accepted: repAccepted || firstOutcome !== null,
    opportunity: firstOutcome !== null,
    won: won !== null,
    toSql: repAccepted ? span(h.createdAt, h.decidedAt) : null,
    toOpportunity: span(firstOutcome && sqlAt, firstOutcome),
    toWon: span(at(['opportunity']), won),
  };
}

const nonNull = (values: Array<number | null>) => values.filter((v): v is number => v !== null);

function figuresOf(journeys: readonly Journey[]): FunnelFigures {
  const mqls = journeys.length;
  const accepted = journeys.filter((j) => j.accepted).length;
  const opportunities = journeys.filter((j) => j.opportunity).length;
  const won = journeys.filter((j) => j.won).length;
  return {
    mqls,
    accepted,
    opportunities,
    won,
    rates: {
      mqlToSql: share(accepted, mqls),
      sqlToOpportunity: share(opportunities, accepted),
      opportunityToWon: share(won, opportunities),
      mqlToWon: share(won, mqls),
    },
    medianMs: {
      mqlToSql: median(nonNull(journeys.map((j) => j.toSql))),
      sqlToOpportunity: median(nonNull(journeys.map((j) => j.toOpportunity))),
      opportunityToWon: median(nonNull(journeys.map((j) => j.toWon))),
    },
  };
}

/** The group an MQL counts in: the rep is who decided it, else who holds it, else "nobody". */
function groupKey(h: FunnelHandoff, by: FunnelGrouping): string {
  switch (by) {
    case 'version':
      return String(h.criteriaVersion);
    case 'source':
      return h.source;
    case 'rep':
      return h.decidedBy ?? h.claimedBy ?? 'nobody';
    case 'route':
      return h.routeName ?? DEFAULT_ROUTE_NAME;
  }
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The funnel of these MQLs, in total and per group; `outcomes` are their leads' CRM outcomes (others are ignored). */
export function funnelOf(handoffs: readonly FunnelHandoff[], outcomes: readonly FunnelOutcome[], by: FunnelGrouping): Funnel {
  const byLead = new Map<number, FunnelOutcome[]>();
  for (const o of outcomes) pushTo(byLead, o.leadId, o);
  const groups = new Map<string, Journey[]>();
  const all: Journey[] = [];
  for (const h of handoffs) {
    const journey = journeyOf(h, byLead.get(h.leadId) ?? []);
    all.push(journey);
    pushTo(groups, groupKey(h, by), journey);
  }
  const figures = [...groups].map(([key, journeys]) => ({ key, ...figuresOf(journeys) }));
  // Versions newest first, so the latest criteria lead; other groups by size.
  figures.sort((a, b) => (by === 'version' ? Number(b.key) - Number(a.key) : b.mqls - a.mqls || a.key.localeCompare(b.key)));
  return { by, total: figuresOf(all), groups: figures };
}
