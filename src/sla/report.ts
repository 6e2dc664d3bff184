import type { ReportHandoff } from '../../db/queries/handoffs-reports.js';
import { slaElapsedMs } from './clock.js';
import type { SlaPolicy } from './policy.js';
import { median, percentile, share } from './stats.js';

export interface PeriodFigures {
  posted: number;
  claimed: number;
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  timeToClaim: { median: number | null; p90: number | null };
  timeToDecide: { median: number | null; p90: number | null };
  /** % of handoffs whose claim (decision) SLA outcome is known that met it. */
  claimWithinSla: number | null;
  decisionWithinSla: number | null;
  reps: RepFigures[];
}

export interface RepFigures {
  rep: string;
  claimed: number;
  accepted: number;
  rejected: number;
  medianTimeToClaim: number | null;
}

export interface StalledLead {
  handoff: ReportHandoff;
  kind: 'unclaimed' | 'undecided';
  /** SLA time waited so far. */
  waitedMs: number;
  owner: string | null;
}

const claimTime = (h: ReportHandoff, policy: SlaPolicy) =>
  h.firstClaimedAt ? slaElapsedMs(h.postedAt, h.firstClaimedAt, policy.calendar) : null;
const decideTime = (h: ReportHandoff, policy: SlaPolicy) =>
  (h.decision === 'accepted' || h.decision === 'rejected') && h.claimedAt && h.decidedAt
    ? slaElapsedMs(h.claimedAt, h.decidedAt, policy.calendar)
    : null;

/** Figures for the handoffs posted in [from, to). Pure: `to` is "now" for what is still open. */
export function periodFigures(all: ReportHandoff[], from: Date, to: Date, policy: SlaPolicy): PeriodFigures {
  const handoffs = all.filter((h) => h.postedAt >= from && h.postedAt < to);
  const claimTimes: number[] = [];
  const decideTimes: number[] = [];
  let claimKnown = 0;
  let claimMet = 0;
  let decideKnown = 0;
  let decideMet = 0;
  const rejectedByReason: Record<string, number> = {};
  const reps = new Map<string, RepFigures & { claimTimes: number[] }>();

  for (const h of handoffs) {
    const toClaim = claimTime(h, policy);
    if (toClaim !== null) {
      claimTimes.push(toClaim);
      claimKnown++;
      if (toClaim <= policy.claimSlaMs) claimMet++;
    } else if (slaElapsedMs(h.claimableSince ?? h.postedAt, to, policy.calendar) > policy.claimSlaMs) {
      claimKnown++; // still unclaimed, and already late
    }
    const toDecide = decideTime(h, policy);
    if (toDecide !== null) {
      decideTimes.push(toDecide);
      decideKnown++;
      if (toDecide <= policy.decisionSlaMs) decideMet++;
    } else if (!h.decision && h.claimedAt && slaElapsedMs(h.claimedAt, to, policy.calendar) > policy.decisionSlaMs) {
      decideKnown++;
    }
    if (h.decision === 'rejected') rejectedByReason[h.reasonCode ?? 'unknown'] = (rejectedByReason[h.reasonCode ?? 'unknown'] ?? 0) + 1;

    const rep = h.decidedBy && h.decision !== 'expired' ? h.decidedBy : h.claimedBy;
    if (rep && h.firstClaimedAt) {
      const r = reps.get(rep) ?? { rep, claimed: 0, accepted: 0, rejected: 0, medianTimeToClaim: null, claimTimes: [] };
      r.claimed++;
      if (h.decision === 'accepted') r.accepted++;
      if (h.decision === 'rejected') r.rejected++;
      if (toClaim !== null) r.claimTimes.push(toClaim);
      reps.set(rep, r);
    }
  }
  return {
    posted: handoffs.length,
    claimed: handoffs.filter((h) => h.firstClaimedAt).length,
    accepted: handoffs.filter((h) => h.decision === 'accepted').length,
    rejected: handoffs.filter((h) => h.decision === 'rejected').length,
    rejectedByReason,
    timeToClaim: { median: median(claimTimes), p90: percentile(claimTimes, 90) },
    timeToDecide: { median: median(decideTimes), p90: percentile(decideTimes, 90) },
    claimWithinSla: share(claimMet, claimKnown),
    decisionWithinSla: share(decideMet, decideKnown),
    reps: [...reps.values()]
      .map(({ claimTimes: times, ...r }) => ({ ...r, medianTimeToClaim: median(times) }))
      .sort((a, b) => b.claimed - a.claimed || a.rep.localeCompare(b.rep)),
  };
}

/** Open handoffs past their SLA at `now`, longest-waiting first. */
export function stalledLeads(open: ReportHandoff[], now: Date, policy: SlaPolicy): StalledLead[] {
  const stalled: StalledLead[] = [];
  for (const h of open) {
    if (h.decision) continue;
    if (h.claimedBy && h.claimedAt) {
      const waitedMs = slaElapsedMs(h.claimedAt, now, policy.calendar);
      if (waitedMs > policy.decisionSlaMs) stalled.push({ handoff: h, kind: 'undecided', waitedMs, owner: h.claimedBy });
    } else {
      const waitedMs = slaElapsedMs(h.claimableSince ?? h.postedAt, now, policy.calendar);
      if (waitedMs > policy.claimSlaMs) stalled.push({ handoff: h, kind: 'unclaimed', waitedMs, owner: null });
    }
  }
  return stalled.sort((a, b) => b.waitedMs - a.waitedMs);
}
