/*
 * What the App Home shows, worked out from the handoffs (db/queries/home.ts) at `now`. Pure: the blocks
 * (./blocks.ts) only lay it out.
 */
import type { HomeHandoff } from '../../db/queries/home.js';
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
}

export interface RepHome {
  held: HeldLead[];
  unclaimed: WaitingLead[];
}

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
}

const isOpen = (h: HomeHandoff) => h.decision === null;
const named = (h: HomeHandoff): NamedPost => ({
  name: leadDisplayName(h.lead),
  link: h.channel && h.messageTs ? messageLink(h.channel, h.messageTs) : null,
});
const nameOf = (h: HomeHandoff) => leadDisplayName(h.lead);

/** Midnight of `now`'s day in the time zone (the digest's zone): where "today" starts. */
export function startOfDay(now: Date, timeZone: string): Date {
  const { year, month, day } = zonedParts(now, timeZone);
  return zonedTimeToInstant({ year, month, day }, 0, timeZone);
}

/** A rep's part: the leads they hold, soonest deadline first, and the unclaimed ones, oldest first. */
export function repHome(all: HomeHandoff[], user: string, now: Date, policy: SlaPolicy): RepHome {
  const held = all
    .filter((h) => isOpen(h) && h.claimedBy === user && h.claimedAt)
    .map((h) => ({ id: h.id, ...named(h), score: h.score, decideBy: slaDeadline(h.claimedAt!, policy.decisionSlaMs, policy.calendar) }))
    .sort((a, b) => a.decideBy.getTime() - b.decideBy.getTime() || a.id - b.id);
  const unclaimed = all
    .filter((h) => isOpen(h) && !h.claimedBy)
    .map((h) => ({ id: h.id, ...named(h), score: h.score, waitedMs: Math.max(0, now.getTime() - h.postedAt.getTime()) }))
    .sort((a, b) => b.waitedMs - a.waitedMs || a.id - b.id);
  return { held, unclaimed };
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

/** A manager's part: open leads by rep (most first), how many wait unclaimed, and the day's SLA misses. */
export function teamHome(all: HomeHandoff[], now: Date, policy: SlaPolicy): TeamHome {
  const byRep = new Map<string, string[]>();
  for (const h of all) {
    if (isOpen(h) && h.claimedBy) byRep.set(h.claimedBy, [...(byRep.get(h.claimedBy) ?? []), nameOf(h)]);
  }
  return {
    byRep: [...byRep].map(([rep, leads]) => ({ rep, leads })).sort((a, b) => b.leads.length - a.leads.length || a.rep.localeCompare(b.rep)),
    unclaimed: all.filter((h) => isOpen(h) && !h.claimedBy).length,
    misses: [...openMisses(all, now, policy), ...lateToday(all, startOfDay(now, policy.calendar.timeZone), policy)],
  };
}
