/*
 * What the App Home shows, worked out from the handoffs, offers and away spells (db/queries/) at `now`. Pure:
 * the blocks (./blocks.ts) only lay it out.
 */
import type { HomeHandoff, HomeOffer } from '../../db/queries/home.js';
import type { AwayRow } from '../../db/queries/rep-away.js';
import { routingFigures, type RoutingFigures } from '../routing/figures.js';
import { DEFAULT_ROUTE_NAME } from '../routing/route-syntax.js';
import { leadDisplayName } from '../leads/display-name.js';
import { messageLink } from '../slack/links.js';
import { slaDeadline, slaElapsedMs, zonedParts, zonedTimeToInstant } from '../sla/clock.js';
import { pastSla, type SlaPolicy } from '../sla/policy.js';
import { pastSlaLead } from '../sla/report.js';

/** A lead as the Home names it: linked to its post. */
export interface NamedPost {
  name: string;
  link: string | null;
}

export interface HeldLead extends NamedPost {
  id: number;
  score: number;
  /** When the decision SLA runs out (business hours counted as the SLAs count them). */
  decideBy: Date;
}

export interface WaitingLead extends NamedPost {
  id: number;
  score: number;
  /** Since the lead was first posted, releases included: how long it has waited in total. */
  waitedMs: number;
  /** Offered to another rep: only they can take it until the offer ends. */
  offer: { to: string; until: Date } | null;
  /** Being offered to its route's team one rep at a time, between two offers or waiting for business hours. */
  withTeam?: boolean;
}

/** A lead offered to this rep: Accept claims it, Pass (or no answer by `answerBy`) offers it to the next rep. */
export interface OfferedLead extends NamedPost {
  offerId: number;
  score: number;
  route: string;
  answerBy: Date;
}

export interface RepHome {
  /** Open offers to the rep, newest first. */
  offered: OfferedLead[];
  held: HeldLead[];
  /** Unclaimed leads not offered to the rep, oldest first. */
  unclaimed: WaitingLead[];
  /** While the rep is away: until when (null: until they say they are back). */
  away: { until: Date | null } | null;
}

/** What routing adds to the Home: every open offer and the day's, and who is away now. */
export interface HomeRouting {
  offers: HomeOffer[];
  away: AwayRow[];
}

/** An install that never offers leads to reps and where nobody is away. */
export const NO_ROUTING: HomeRouting = { offers: [], away: [] };

export interface RepLoad {
  rep: string;
  leads: string[];
}

/** An SLA missed today: still open (a manager can act: Assign) or met late earlier today. */
export type SlaMiss = NamedPost & {
  id: number;
  /** How long the clock ran (SLA time) until now, or until the late claim or decision. */
  tookMs: number;
} & ({ kind: 'unclaimed'; who: null } | { kind: 'undecided' | 'claimed_late' | 'decided_late'; who: string });

export interface TeamHome {
  byRep: RepLoad[];
  unclaimed: number;
  misses: SlaMiss[];
  /** The offers made since midnight, per route and per rep; null when there were none. */
  offersToday: RoutingFigures | null;
  /** Who is away now, soonest back first. */
  away: Array<{ rep: string; until: Date | null }>;
}

const isOpen = (h: HomeHandoff) => h.decision === null;
const named = (h: Pick<HomeHandoff, 'lead' | 'channel' | 'messageTs'>): NamedPost => ({
  name: leadDisplayName(h.lead),
  link: h.channel && h.messageTs ? messageLink(h.channel, h.messageTs) : null,
});
const nameOf = (h: HomeHandoff) => leadDisplayName(h.lead);
const openOffers = (routing: HomeRouting) => routing.offers.filter((o) => o.status === 'open');

/** Midnight of `now`'s day in the time zone (the digest's zone): where "today" starts. */
export function startOfDay(now: Date, timeZone: string): Date {
  const { year, month, day } = zonedParts(now, timeZone);
  return zonedTimeToInstant({ year, month, day }, 0, timeZone);
}

/**
 * A rep's part: the leads offered to them (newest first), those they hold (soonest deadline first), the
 * unclaimed ones (oldest first; a lead under an offer to someone else says so), and whether they are away.
 */
export function repHome(all: HomeHandoff[], user: string, now: Date, policy: SlaPolicy, routing = NO_ROUTING): RepHome {
  const offerOf = new Map(openOffers(routing).map((o) => [o.handoffId, o]));
  const offered = openOffers(routing)
    .filter((o) => o.userId === user)
    .sort((a, b) => b.offeredAt.getTime() - a.offeredAt.getTime() || b.id - a.id)
    .map((o) => ({ offerId: o.id, ...named(o), score: o.score, route: o.routeName ?? DEFAULT_ROUTE_NAME, answerBy: o.expiresAt }));
  const held = all
    .filter((h) => isOpen(h) && h.claimedBy === user && h.claimedAt)
    .map((h) => ({ id: h.id, ...named(h), score: h.score, decideBy: slaDeadline(h.claimedAt!, policy.decisionSlaMs, policy.calendar) }))
    .sort((a, b) => a.decideBy.getTime() - b.decideBy.getTime() || a.id - b.id);
  const unclaimed = all
    .filter((h) => isOpen(h) && !h.claimedBy && offerOf.get(h.id)?.userId !== user)
    .map((h) => {
      const offer = offerOf.get(h.id);
      return {
        id: h.id,
        ...named(h),
        score: h.score,
        waitedMs: Math.max(0, now.getTime() - h.postedAt.getTime()),
        offer: offer ? { to: offer.userId, until: offer.expiresAt } : null,
        ...(!offer && h.offerMode ? { withTeam: true } : {}),
      };
    })
    .sort((a, b) => b.waitedMs - a.waitedMs || a.id - b.id);
  const spell = routing.away.find((a) => a.userId === user);
  return { offered, held, unclaimed, away: spell ? { until: spell.awayUntil } : null };
}

/** Open SLA clocks past their SLA at `now` (as the digest and the sweep judge them), longest first. */
function openMisses(all: HomeHandoff[], now: Date, policy: SlaPolicy): SlaMiss[] {
  return all
    .filter(isOpen)
    .flatMap((h): SlaMiss[] => {
      const late = pastSlaLead(h, now, policy);
      if (!late) return [];
      const miss = { id: h.id, ...named(h), tookMs: late.waitedMs };
      return [late.kind === 'undecided' ? { ...miss, kind: 'undecided', who: late.owner! } : { ...miss, kind: 'unclaimed', who: null }];
    })
    .sort((a, b) => b.tookMs - a.tookMs);
}

/** Claims and decisions made since `dayStart` after their SLA had run out. */
function lateToday(all: HomeHandoff[], dayStart: Date, policy: SlaPolicy): SlaMiss[] {
  const misses: SlaMiss[] = [];
  for (const h of all) {
    if (!h.claimedBy || !h.claimedAt) continue;
    const claimClock = h.claimableSince ?? h.postedAt;
    if (h.claimedAt >= dayStart && claimClock <= h.claimedAt) {
      const tookMs = slaElapsedMs(claimClock, h.claimedAt, policy.calendar);
      if (pastSla(tookMs, policy.claimSlaMs)) misses.push({ id: h.id, ...named(h), tookMs, kind: 'claimed_late', who: h.claimedBy });
    }
    if ((h.decision === 'accepted' || h.decision === 'rejected') && h.decidedAt && h.decidedAt >= dayStart) {
      const tookMs = slaElapsedMs(h.claimedAt, h.decidedAt, policy.calendar);
      if (pastSla(tookMs, policy.decisionSlaMs)) misses.push({ id: h.id, ...named(h), tookMs, kind: 'decided_late', who: h.claimedBy });
    }
  }
  return misses;
}

/**
 * A manager's part: open leads by rep (most first), how many wait unclaimed, the day's SLA misses, the day's
 * offers per route and per rep, and who is away.
 */
export function teamHome(all: HomeHandoff[], now: Date, policy: SlaPolicy, routing = NO_ROUTING): TeamHome {
  const byRep = new Map<string, string[]>();
  for (const h of all) {
    if (isOpen(h) && h.claimedBy) byRep.set(h.claimedBy, [...(byRep.get(h.claimedBy) ?? []), nameOf(h)]);
  }
  const dayStart = startOfDay(now, policy.calendar.timeZone);
  return {
    byRep: [...byRep].map(([rep, leads]) => ({ rep, leads })).sort((a, b) => b.leads.length - a.leads.length || a.rep.localeCompare(b.rep)),
    unclaimed: all.filter((h) => isOpen(h) && !h.claimedBy).length,
    misses: [...openMisses(all, now, policy), ...lateToday(all, dayStart, policy)],
    offersToday: routingFigures(routing.offers.filter((o) => o.offeredAt >= dayStart)),
    away: routing.away.map((a) => ({ rep: a.userId, until: a.awayUntil })),
  };
}
