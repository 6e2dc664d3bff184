/*
 * Routing figures: what became of the offers made in a period, per route and per rep, and how they read in
 * `/mql stats`, the digest and the managers' Home. Pure: the offers come from db/queries/offer-figures.ts.
 */
import type { KnownBlock } from '@slack/types';
import type { OfferStatus } from '../../db/types.js';
import { context } from '../slack/blocks.js';
import { escapeMrkdwn, formatDuration, truncate } from '../slack/mrkdwn.js';
import { counted, listSection } from '../sla/lead-lines.js';
import { median, share } from '../sla/stats.js';
import { DEFAULT_ROUTE_NAME } from './route-syntax.js';

/** An offer as the figures count it (a row of `offers`). */
export interface OfferOutcome {
  userId: string;
  /** Null: the default route (e.g. an offer made when a lead missed its claim SLA). */
  routeName: string | null;
  status: OfferStatus;
  offeredAt: Date;
  answeredAt: Date | null;
}

export interface OfferFigures {
  offers: number;
  accepted: number;
  passed: number;
  timedOut: number;
  withdrawn: number;
  /** Still waiting for an answer. */
  open: number;
  /** Accepted of those the rep answered or let run out (withdrawn and open offers were never the rep's to lose). */
  acceptRate: number | null;
  /** From the offer to the rep's Accept or Pass. */
  medianAnswerMs: number | null;
}

export interface RoutingFigures {
  total: OfferFigures;
  /** Most offers first. */
  byRoute: Array<OfferFigures & { route: string }>;
  byRep: Array<OfferFigures & { rep: string }>;
}

const MAX_ROUTES = 10;
const MAX_REPS = 15;

function figuresOf(offers: readonly OfferOutcome[]): OfferFigures {
  const count = (status: OfferStatus) => offers.filter((o) => o.status === status).length;
  const [accepted, passed, timedOut] = [count('accepted'), count('passed'), count('timed_out')];
  const answerTimes = offers
    .filter((o) => (o.status === 'accepted' || o.status === 'passed') && o.answeredAt)
    .map((o) => o.answeredAt!.getTime() - o.offeredAt.getTime());
  return {
    offers: offers.length,
    accepted,
    passed,
    timedOut,
    withdrawn: count('withdrawn'),
    open: count('open'),
    acceptRate: share(accepted, accepted + passed + timedOut),
    medianAnswerMs: median(answerTimes),
  };
}

/** The figures of each group of offers, most offers first (then by key, so the order is stable). */
function figuresBy(offers: readonly OfferOutcome[], keyOf: (o: OfferOutcome) => string): Array<[string, OfferFigures]> {
  const groups = new Map<string, OfferOutcome[]>();
  for (const offer of offers) {
    const list = groups.get(keyOf(offer));
    if (list) list.push(offer);
    else groups.set(keyOf(offer), [offer]);
  }
  return [...groups]
    .map(([key, list]): [string, OfferFigures] => [key, figuresOf(list)])
    .sort(([a, fa], [b, fb]) => fb.offers - fa.offers || a.localeCompare(b));
}

/** The figures of these offers; null when there are none, so an install without routing shows nothing new. */
export function routingFigures(offers: readonly OfferOutcome[]): RoutingFigures | null {
  if (offers.length === 0) return null;
  return {
    total: figuresOf(offers),
    byRoute: figuresBy(offers, (o) => o.routeName ?? DEFAULT_ROUTE_NAME).map(([route, f]) => ({ route, ...f })),
    byRep: figuresBy(offers, (o) => o.userId).map(([rep, f]) => ({ rep, ...f })),
  };
}

/** A route's name as typed by a manager, safe in mrkdwn. */
export const routeLabel = (route: string) => escapeMrkdwn(truncate(route, 80));

/**
 * "4 offers · 2 accepted · 1 passed · 0 timed out · 1 withdrawn · 0 still open": every outcome, zeros too, so the
 * lines of a list read alike and each adds up to its offers.
 */
export function offerCountsText(f: OfferFigures): string {
  const outcomes = [`${f.accepted} accepted`, `${f.passed} passed`, `${f.timedOut} timed out`, `${f.withdrawn} withdrawn`];
  return [counted(f.offers, 'offer'), ...outcomes, `${f.open} still open`].join(' · ');
}

const rateAndAnswer = (f: OfferFigures) =>
  `accept rate ${f.acceptRate === null ? '—' : `${f.acceptRate}%`} · median answer ${f.medianAnswerMs === null ? '—' : formatDuration(f.medianAnswerMs)}`;

type FiguresLine = (who: string, f: OfferFigures) => string;
const countsLine: FiguresLine = (who, f) => `• ${who} — ${offerCountsText(f)}`;
const countsAndRatesLine: FiguresLine = (who, f) => `${countsLine(who, f)} · ${rateAndAnswer(f)}`;

/** A heading (the totals), then the offers per route ("default" for the default route) and per rep, each list capped. */
function byRouteAndRepBlocks(heading: string, figures: RoutingFigures, line: FiguresLine): KnownBlock[] {
  return [
    listSection(
      `${heading}\n*By route*`,
      figures.byRoute.map((r) => line(`*${routeLabel(r.route)}*`, r)),
      MAX_ROUTES,
    ),
    listSection(
      '*By rep*',
      figures.byRep.map((r) => line(`<@${r.rep}>`, r)),
      MAX_REPS,
    ),
  ];
}

/** The routing part of `/mql stats`: the period's offers, per route then per rep, with accept rates and answer times. */
export function routingStatsBlocks(figures: RoutingFigures): KnownBlock[] {
  return [
    ...byRouteAndRepBlocks(`*Routing:* ${offerCountsText(figures.total)} · ${rateAndAnswer(figures.total)}`, figures, countsAndRatesLine),
    context('Accept rate: accepted of the offers a rep accepted, passed or let time out. Median answer: from the offer to Accept or Pass.'),
  ];
}

/**
 * A day's offers (the digest's last 24 hours, the managers' Home today), per route then per rep, worded as in
 * `/mql stats` but without the rates: a day holds too few answers per rep for them to mean much.
 */
export function routingCountsBlocks(title: string, figures: RoutingFigures): KnownBlock[] {
  return byRouteAndRepBlocks(`*${title}:* ${offerCountsText(figures.total)}`, figures, countsLine);
}
