import type { HandoffHistoryEntry, OpenedCounts, PreviousHandoff } from '../../db/types.js';
import { escapeMrkdwn, formatDuration, truncate } from '../slack/mrkdwn.js';
import { when } from './reasons.js';
import { REJECT_REASONS } from './types.js';

const MAX_HISTORY = 3;

/** Users are mentioned; system actors ("system:auto-release") are not people and are never shown as ids. */
const isSystem = (actor: string) => actor.startsWith('system:');
const person = (user: string) => (isSystem(user) ? 'the bot' : `<@${user}>`);

export const reasonLabel = (code: string | null) =>
  code && code in REJECT_REASONS ? REJECT_REASONS[code as keyof typeof REJECT_REASONS] : (code ?? 'no reason given');

export function historyLine(entry: HandoffHistoryEntry): string {
  switch (entry.kind) {
    case 'released': {
      const held = formatDuration(entry.heldMs);
      if (isSystem(entry.by)) return `Released automatically after ${held} (no decision)`;
      if (entry.by === entry.holder) return `Released by ${person(entry.by)} after ${held}`;
      return `Released by ${person(entry.by)} from ${person(entry.holder)} after ${held}`;
    }
    case 'reassigned':
      return entry.from
        ? `Reassigned from ${person(entry.from)} to ${person(entry.to)} by ${person(entry.by)}`
        : `Assigned to ${person(entry.to)} by ${person(entry.by)}`;
    case 'activity': {
      const summary = escapeMrkdwn(truncate(entry.summary, 200));
      // The scores in the entry are the other record's, not this lead's: a rep would misread them here.
      const via = entry.source ? ` (same person, via ${escapeMrkdwn(truncate(entry.source, 80))})` : '';
      return `New activity: ${summary}${via} · ${when(new Date(entry.at))}`;
    }
    case 'offer':
      return offerLine(entry);
    case 'opened':
      return `Nobody on the team could take it (${openedCounts(entry.counts)}): open to everyone`;
  }
}

function offerLine(entry: Extract<HandoffHistoryEntry, { kind: 'offer' }>): string {
  switch (entry.outcome) {
    case 'passed':
      return `${person(entry.user)} passed`;
    case 'timed_out':
      return `${person(entry.user)} did not answer in ${formatDuration(entry.waitedMs)}`;
    case 'away':
      return `${person(entry.user)} went away`;
  }
}

/** "2 passed, 1 did not answer, 1 away", or why there was nobody at all. */
export function openedCounts(c: OpenedCounts): string {
  const parts = [
    c.passed && `${c.passed} passed`,
    c.timedOut && `${c.timedOut} did not answer`,
    c.wentAway && `${c.wentAway} went away`,
    c.away && `${c.away} away`,
    c.dnd && `${c.dnd} in Do Not Disturb`,
    c.atCap && `${c.atCap} at their cap of open leads`,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'the team has no members';
}

/** How many earlier things are not shown, then the last few that happened before the current state, oldest first. */
export function historyLines(history: readonly HandoffHistoryEntry[]): string[] {
  const shown = history.slice(-MAX_HISTORY).map((e) => historyLine(e));
  const earlier = history.length - shown.length;
  return earlier > 0 ? [`${earlier} earlier not shown`, ...shown] : shown;
}

/** How the lead's previous qualification ended: who, why and their note ("Previously rejected by @ana: No budget — “…”"). */
export function previousLine(p: PreviousHandoff): string {
  const by = p.decidedBy ? ` by ${person(p.decidedBy)}` : '';
  switch (p.decision) {
    case 'rejected': {
      const note = p.note ? ` — “${escapeMrkdwn(truncate(p.note, 300))}”` : '';
      return `:recycle: Re-qualified. Previously rejected${by}: ${reasonLabel(p.reasonCode)}${note}`;
    }
    case 'accepted':
      return `:recycle: Re-qualified. Previously accepted${by}.`;
    case null:
      return `:recycle: Re-qualified. Qualification #${p.qualification} was never decided.`;
    default:
      return `:recycle: Re-qualified. Previously ${p.decision}${by}.`;
  }
}
