import type { ReportHandoff } from '../../db/queries/handoffs-reports.js';
import type { NamedLead } from '../leads/display-name.js';
import { slaElapsedMs } from './clock.js';
import { holdsOf, type Hold } from './holds.js';
import { pastSla, type SlaPolicy } from './policy.js';
import { median, percentile, share } from './stats.js';

export interface PeriodFigures {
  posted: number;
  /** MQLs claimed at least once. */
  leadsClaimed: number;
  /** Claims made (a lead claimed again after a release counts twice), each credited to the rep who made it. */
  claims: number;
  /** Leads a manager reassigned to someone. */
  assigned: number;
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  /** % of decided MQLs accepted (MQL→SQL); null when none was decided. */
  acceptRate: number | null;
  timeToClaim: { median: number | null; p90: number | null };
  timeToDecide: { median: number | null; p90: number | null };
  /** % of handoffs whose claim SLA outcome is known that met it. */
  claimWithinSla: number | null;
  /** % of holds whose decision SLA outcome is known that met it. */
  decisionWithinSla: number | null;
  /** Holds not decided within the decision SLA: decided late, released or reassigned late, auto-released, still open late. */
  decisionMisses: number;
  reps: RepFigures[];
}

/** One rep's part: the per-rep lines add up to the period's claims, decisions and decision misses. */
export interface RepFigures {
  rep: string;
  claimed: number;
  assigned: number;
  accepted: number;
  rejected: number;
  decisionMisses: number;
  medianTimeToClaim: number | null;
}

type DecisionOutcome = 'met' | 'missed' | 'unknown';

/** SLA time between two instants. */
export type ElapsedMs = (from: Date, to: Date) => number;

/**
 * SLA time that remembers what it worked out, for several reports built together: the digest figures four
 * periods that share most handoffs and their clocks, and with business hours each one walks the calendar.
 */
export function rememberingElapsed(policy: SlaPolicy): ElapsedMs {
  const known = new Map<string, number>();
  return (from, to) => {
    const key = `${from.getTime()}:${to.getTime()}`;
    const remembered = known.get(key);
    if (remembered !== undefined) return remembered;
    const ms = slaElapsedMs(from, to, policy.calendar);
    known.set(key, ms);
    return ms;
  };
}

/** A hold's decision SLA outcome at `to`; an auto-release is a miss by definition, whatever the SLA is now. */
function decisionOutcome(hold: Hold, to: Date, policy: SlaPolicy, elapsed: ElapsedMs): DecisionOutcome {
  if (hold.end === 'auto_released') return 'missed';
  const late = pastSla(elapsed(hold.from, hold.until ?? to), policy.decisionSlaMs);
  if (hold.end === 'accepted' || hold.end === 'rejected') return late ? 'missed' : 'met';
  return late ? 'missed' : 'unknown';
}

const newRep = (rep: string) => ({ rep, claimed: 0, assigned: 0, accepted: 0, rejected: 0, decisionMisses: 0, claimTimes: [] as number[] });

/**
 * Figures for the handoffs posted in [from, to), replaying what their audit log recorded before `to`. Pure:
 * `to` is "now" for what is still open.
 */
export function periodFigures(
  all: ReportHandoff[],
  from: Date,
  to: Date,
  policy: SlaPolicy,
  elapsed: ElapsedMs = (a, b) => slaElapsedMs(a, b, policy.calendar),
): PeriodFigures {
  const handoffs = all.filter((h) => h.postedAt >= from && h.postedAt < to);
  const claimTimes: number[] = [];
  const decideTimes: number[] = [];
  const claimSla = { known: 0, met: 0 };
  const decisionSla = { known: 0, met: 0 };
  const totals = { leadsClaimed: 0, claims: 0, assigned: 0, accepted: 0, rejected: 0 };
  const rejectedByReason: Record<string, number> = {};
  const reps = new Map<string, ReturnType<typeof newRep>>();

  for (const h of handoffs) {
    const holds = holdsOf(h.postedAt, h.events, to);
    const first = holds[0];
    if (first) {
      totals.leadsClaimed++;
      const toClaim = elapsed(h.postedAt, first.from);
      claimTimes.push(toClaim);
      claimSla.known++;
      if (!pastSla(toClaim, policy.claimSlaMs)) claimSla.met++;
    } else if (pastSla(elapsed(h.postedAt, to), policy.claimSlaMs)) {
      claimSla.known++; // never claimed, and already late
    }
    for (const hold of holds) {
      const rep = reps.get(hold.rep) ?? newRep(hold.rep);
      reps.set(hold.rep, rep);
      if (hold.how === 'claim') {
        totals.claims++;
        rep.claimed++;
        rep.claimTimes.push(elapsed(hold.claimClockFrom, hold.from));
      } else {
        totals.assigned++;
        rep.assigned++;
      }
      if (hold.end === 'accepted' || hold.end === 'rejected') {
        decideTimes.push(elapsed(hold.from, hold.until!));
        totals[hold.end]++;
        rep[hold.end]++;
      }
      if (hold.end === 'rejected') {
        const reason = hold.reason ?? 'unknown';
        rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + 1;
      }
      const outcome = decisionOutcome(hold, to, policy, elapsed);
      if (outcome !== 'unknown') decisionSla.known++;
      if (outcome === 'met') decisionSla.met++;
      if (outcome === 'missed') rep.decisionMisses++;
    }
  }
  return {
    posted: handoffs.length,
    ...totals,
    rejectedByReason,
    acceptRate: share(totals.accepted, totals.accepted + totals.rejected),
    timeToClaim: { median: median(claimTimes), p90: percentile(claimTimes, 90) },
    timeToDecide: { median: median(decideTimes), p90: percentile(decideTimes, 90) },
    claimWithinSla: share(claimSla.met, claimSla.known),
    decisionWithinSla: share(decisionSla.met, decisionSla.known),
    decisionMisses: decisionSla.known - decisionSla.met,
    reps: [...reps.values()]
      .map(({ claimTimes: times, ...r }) => ({ ...r, medianTimeToClaim: median(times) }))
      .sort((a, b) => b.claimed + b.assigned - (a.claimed + a.assigned) || a.rep.localeCompare(b.rep)),
  };
}

/** An open lead past its claim or decision SLA. */
export interface StalledLead {
  handoffId: number;
  lead: NamedLead;
  channel: string | null;
  messageTs: string | null;
  kind: 'unclaimed' | 'undecided';
  /** SLA time on the clock that is running: since the post or the last release (unclaimed), or the claim (undecided). */
  waitedMs: number;
  /** SLA time since the first post: how long the lead has waited in total. */
  totalWaitedMs: number;
  /** The claim clock restarted after a release. */
  sinceRelease: boolean;
  owner: string | null;
}

/** What an open handoff's SLA state depends on (the reports' and the sweep's rows both have it). */
export interface OpenHandoffFacts {
  id: number;
  postedAt: Date;
  claimableSince: Date | null;
  claimedBy: string | null;
  claimedAt: Date | null;
  channel: string | null;
  messageTs: string | null;
  lead: NamedLead;
}

/** The open handoff as a stalled lead when it is past its SLA at `now`, else null. */
export function pastSlaLead(h: OpenHandoffFacts, now: Date, policy: SlaPolicy): StalledLead | null {
  const base = {
    handoffId: h.id,
    lead: h.lead,
    channel: h.channel,
    messageTs: h.messageTs,
    totalWaitedMs: slaElapsedMs(h.postedAt, now, policy.calendar),
  };
  if (h.claimedBy && h.claimedAt) {
    const waitedMs = slaElapsedMs(h.claimedAt, now, policy.calendar);
    if (!pastSla(waitedMs, policy.decisionSlaMs)) return null;
    return { ...base, kind: 'undecided', waitedMs, sinceRelease: false, owner: h.claimedBy };
  }
  const clockFrom = h.claimableSince ?? h.postedAt;
  const waitedMs = slaElapsedMs(clockFrom, now, policy.calendar);
  if (!pastSla(waitedMs, policy.claimSlaMs)) return null;
  return { ...base, kind: 'unclaimed', waitedMs, sinceRelease: clockFrom > h.postedAt, owner: null };
}

export const reportLead = (h: Pick<ReportHandoff, 'leadName' | 'leadEmail' | 'leadCompany' | 'leadExternalId'>): NamedLead => ({
  name: h.leadName,
  email: h.leadEmail,
  company: h.leadCompany,
  externalId: h.leadExternalId,
});

/** Open handoffs past their SLA at `now`, longest-waiting in total first. */
export function stalledLeads(open: ReportHandoff[], now: Date, policy: SlaPolicy): StalledLead[] {
  return open
    .filter((h) => !h.decision)
    .flatMap((h) => pastSlaLead({ ...h, lead: reportLead(h) }, now, policy) ?? [])
    .sort((a, b) => b.totalWaitedMs - a.totalWaitedMs || b.waitedMs - a.waitedMs);
}

/** Posted leads still open, by state. */
export function openLeadCounts(handoffs: ReportHandoff[]): { unclaimed: number; undecided: number } {
  const open = handoffs.filter((h) => !h.decision);
  const undecided = open.filter((h) => h.claimedBy).length;
  return { unclaimed: open.length - undecided, undecided };
}
