import { mentionPeople, nobodyHolds } from '../slack/roles.js';
import { stateOf, type HandoffState } from './types.js';

export type HandoffAction = 'claim' | 'accept' | 'reject' | 'release' | 'reassign';

export interface Actor {
  userId: string;
  isManager: boolean;
  /** Who the managers are (groups expanded), named in refusals that send someone to them. System actors omit it. */
  managers?: readonly string[];
}

export type Verdict = { ok: true } | { ok: false; message: string /** The clicked post was out of date. */; stale: boolean };

const refuse = (message: string, stale = false): Verdict => ({ ok: false, message, stale });

const FINISHED: Partial<Record<HandoffState, string>> = {
  accepted: 'already accepted',
  rejected: 'already rejected',
  expired: 'expired',
};

/**
 * Who may do what to a handoff in which state. Reps claim; only the claimer accepts, rejects or releases;
 * managers may also release or reassign anyone's. Pure, so every rule is tested without Slack or a database.
 */
export function judge(
  handoff: { claimedBy: string | null; decision: Parameters<typeof stateOf>[0]['decision'] },
  action: HandoffAction,
  actor: Actor,
): Verdict {
  const state = stateOf(handoff);
  const owner = handoff.claimedBy;
  const finished = FINISHED[state];
  if (finished) return refuse(`This lead was ${finished}; nothing changed.`, true);

  switch (action) {
    case 'claim':
      if (state === 'claimed') {
        return refuse(owner === actor.userId ? 'You already hold this lead.' : `Already claimed by <@${owner}>.`, true);
      }
      return { ok: true };
    case 'accept':
    case 'reject':
      if (state === 'unclaimed') return refuse(`Claim this lead before you ${action} it.`, true);
      if (owner !== actor.userId) return refuse(`Only <@${owner}>, who holds this lead, can ${action} it.`);
      return { ok: true };
    case 'release':
      if (state === 'unclaimed') return refuse('Nobody has claimed this lead; there is nothing to release.', true);
      if (owner !== actor.userId && !actor.isManager) {
        const managers = actor.managers ?? [];
        return refuse(
          managers.length
            ? `Only <@${owner}>, who holds this lead, or a manager (${mentionPeople(managers)}) can release it.`
            : `Only <@${owner}>, who holds this lead, can release it. ${nobodyHolds('manager')}`,
        );
      }
      return { ok: true };
    case 'reassign': {
      if (actor.isManager) return { ok: true };
      const managers = actor.managers ?? [];
      const who = managers.length
        ? `Only managers (${mentionPeople(managers)}) can reassign.`
        : `Only managers can reassign. ${nobodyHolds('manager')}`;
      return refuse(`${who} You can release a lead you hold.`);
    }
  }
}
