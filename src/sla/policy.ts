import type { Config } from '../config.js';
import type { SlaCalendar } from './clock.js';
import { slaElapsedMs } from './clock.js';

export interface SlaPolicy {
  claimSlaMs: number;
  decisionSlaMs: number;
  calendar: SlaCalendar;
  autoRelease: boolean;
}

/**
 * Whether a clock that has run `elapsedMs` is past an SLA of `slaMs`: exact milliseconds, never rounded
 * ones, and at the SLA itself it is due (the sweep reminds then), so a claim must come before it.
 */
export const pastSla = (elapsedMs: number, slaMs: number) => elapsedMs >= slaMs;

/** Whether SLA time runs at `now`: always, or inside business hours (routes with `hours` offer leads only then). */
export const slaClockRunning = (calendar: SlaCalendar, now: Date) => slaElapsedMs(now, new Date(now.getTime() + 1000), calendar) > 0;

/** The SLA settings as the SLA maths reads them (the sweep, reports, the digest and the commands share it). */
export function slaPolicyOf(sla: Config['sla']): SlaPolicy {
  return {
    claimSlaMs: sla.claimSlaMs,
    decisionSlaMs: sla.decisionSlaMs,
    calendar: { businessHours: sla.businessHours, timeZone: sla.timeZone },
    autoRelease: sla.autoRelease,
  };
}

export interface OpenHandoff {
  id: number;
  claimableSince: Date;
  claimedBy: string | null;
  claimedAt: Date | null;
}

/** What the bot owes an open handoff at `now`, each with the key that makes it happen once. */
export type SlaAction =
  | { kind: 'claim_reminder'; key: string; waitedMs: number }
  | { kind: 'claim_escalation'; key: string; waitedMs: number }
  | { kind: 'decision_reminder'; key: string; waitedMs: number; owner: string }
  | { kind: 'decision_escalation'; key: string; waitedMs: number; owner: string }
  | { kind: 'auto_release'; key: string; waitedMs: number; owner: string };

/**
 * Reminders at 1× the SLA, escalation to managers at 2×, and (if enabled) release at 3× the decision SLA.
 * Keys include when the clock started, so a lead that is released and claimed again is reminded afresh.
 */
export function slaActions(h: OpenHandoff, now: Date, policy: SlaPolicy): SlaAction[] {
  if (!h.claimedBy || !h.claimedAt) {
    const waitedMs = slaElapsedMs(h.claimableSince, now, policy.calendar);
    const since = h.claimableSince.getTime();
    const actions: SlaAction[] = [];
    if (pastSla(waitedMs, policy.claimSlaMs)) actions.push({ kind: 'claim_reminder', key: `claim_reminder:${h.id}:${since}`, waitedMs });
    if (pastSla(waitedMs, 2 * policy.claimSlaMs))
      actions.push({ kind: 'claim_escalation', key: `claim_escalation:${h.id}:${since}`, waitedMs });
    return actions;
  }
  const waitedMs = slaElapsedMs(h.claimedAt, now, policy.calendar);
  const since = `${h.claimedBy}:${h.claimedAt.getTime()}`;
  const owner = h.claimedBy;
  const actions: SlaAction[] = [];
  if (pastSla(waitedMs, policy.decisionSlaMs))
    actions.push({ kind: 'decision_reminder', key: `decision_reminder:${h.id}:${since}`, waitedMs, owner });
  if (pastSla(waitedMs, 2 * policy.decisionSlaMs))
    actions.push({ kind: 'decision_escalation', key: `decision_escalation:${h.id}:${since}`, waitedMs, owner });
  if (policy.autoRelease && pastSla(waitedMs, 3 * policy.decisionSlaMs))
    actions.push({ kind: 'auto_release', key: `auto_release:${h.id}:${since}`, waitedMs, owner });
  return actions;
}
