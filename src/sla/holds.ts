import type { HandoffEvent } from '../../db/queries/handoffs-reports.js';

/** Who released a claim left undecided past 3× the decision SLA (AUTO_RELEASE): the audit log's actor. */
export const AUTO_RELEASE_ACTOR = 'system:auto-release';

/** How a hold ended: a decision, or the lead left the holder undecided. */
export type HoldEnd = 'accepted' | 'rejected' | 'released' | 'auto_released' | 'reassigned';

/** One stretch of one rep owning a lead: from their claim (or a manager's reassign to them) to its end. */
export interface Hold {
  rep: string;
  /** `claim`: the rep claimed it; `assigned`: a manager reassigned it to them. */
  how: 'claim' | 'assigned';
  from: Date;
  /** When the claim clock this claim stopped had started: the post, or the last release. */
  claimClockFrom: Date;
  until: Date | null;
  end: HoldEnd | null;
  /** The reject reason, when it ended in a rejection. */
  reason: string | null;
}

/**
 * Replays a handoff's recorded actions (oldest first) into holds, ignoring those at or after `before`, so a
 * past period is seen as it stood at its end. Every hold is credited to the rep who held it.
 */
export function holdsOf(postedAt: Date, events: HandoffEvent[], before: Date): Hold[] {
  const holds: Hold[] = [];
  let current: Hold | null = null;
  let claimClockFrom = postedAt;
  const close = (at: Date, end: HoldEnd, reason: string | null = null) => {
    if (current) Object.assign(current, { until: at, end, reason });
    current = null;
  };
  const open = (rep: string, how: Hold['how'], at: Date) => {
    current = { rep, how, from: at, claimClockFrom, until: null, end: null, reason: null };
    holds.push(current);
  };
  for (const e of events) {
    if (e.at >= before) break;
    switch (e.action) {
      case 'claim':
        close(e.at, 'reassigned');
        open(e.actor, 'claim', e.at);
        break;
      case 'reassign':
        close(e.at, 'reassigned');
        if (e.to) open(e.to, 'assigned', e.at);
        break;
      case 'release':
        close(e.at, e.actor === AUTO_RELEASE_ACTOR ? 'auto_released' : 'released');
        claimClockFrom = e.at;
        break;
      case 'accept':
        close(e.at, 'accepted');
        break;
      case 'reject':
        close(e.at, 'rejected', e.reason);
        break;
    }
  }
  return holds;
}
