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

/** "4 offers · 2 accepted · 1 passed · 1 timed out", then withdrawn and still open when there are any. */
export function offerCountsText(f: OfferFigures): string {
  const parts = [counted(f.offers, 'offer'), `${f.accepted} accepted`, `${f.passed} passed`, `${f.timedOut} timed out`];
  if (f.withdrawn) parts.push(`${f.withdrawn} withdrawn`);
  if (f.open) parts.push(`${f.open} still open`);
  return parts.join(' · ');
}

const rateAndAnswer = (f: OfferFigures) =>
  `accept rate ${f.acceptRate === null ? '—' : `${f.acceptRate}%`} · median answer ${f.medianAnswerMs === null ? '—' : formatDuration(f.medianAnswerMs)}`;

/** "• <@U1> — 4 offers · 2 accepted · 1 passed · 1 timed out": a rep's offers, as the digest and the Home list them. */
export const repOffersLine = (r: RoutingFigures['byRep'][number]) => `• <@${r.rep}> — ${offerCountsText(r)}`;

/** The routing part of `/mql stats`: the period's offers, per route then per rep, with accept rates and answer times. */
export function routingStatsBlocks(figures: RoutingFigures): KnownBlock[] {
  const line = (who: string, f: OfferFigures) => `• ${who} — ${offerCountsText(f)} · ${rateAndAnswer(f)}`;
  const byRoute = figures.byRoute.map((r) => line(`*${routeLabel(r.route)}*`, r));
  const byRep = figures.byRep.map((r) => line(`<@${r.rep}>`, r));
  return [
    listSection(`*Routing:* ${offerCountsText(figures.total)} · ${rateAndAnswer(figures.total)}\n*By route*`, byRoute, MAX_ROUTES),
    listSection('*By rep*', byRep, MAX_REPS),
    context('Accept rate: accepted of the offers a rep accepted, passed or let time out. Median answer: from the offer to Accept or Pass.'),
  ];
}

/** The routing part of the digest: one section, the day's offers per rep. */
export function routingDigestBlock(figures: RoutingFigures): KnownBlock {
  return listSection(`*Routing, last 24 hours:* ${offerCountsText(figures.total)}`, figures.byRep.map(repOffersLine), MAX_REPS);
}
