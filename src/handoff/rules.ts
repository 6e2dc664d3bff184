import type { HandoffOffer, OfferMode } from '../../db/types.js';
import { mentionPeople, nobodyHolds } from '../slack/roles.js';
import { slackDate } from '../slack/mrkdwn.js';
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

/** Where a routed lead is in its offers: its offer mode, and the offer open now (absent: not routed by offers). */
export interface Offering {
  offerMode?: OfferMode | null;
  openOffer?: { userId: string; expiresAt: Date } | null;
}

/**
 * While a lead is offered to one rep at a time nobody else may claim it; the rep it is offered to may (that is
 * accepting the offer). A post clicked in that state was out of date: it shows no Claim button then.
 */
function offeredElsewhere(handoff: Offering, actor: Actor): Verdict | null {
  const offer = handoff.openOffer;
  if (offer) {
    if (offer.userId === actor.userId) return null;
    const until = slackDate(offer.expiresAt);
    return refuse(
      `Offered to <@${offer.userId}> until ${until}; if they pass or don't answer, it goes on to the next rep, or to everyone when nobody else on the team can take it.`,
      true,
    );
  }
  if (handoff.offerMode)
    return refuse("This lead is being offered to its route's team one rep at a time; it opens to everyone if none of them takes it.", true);
  return null;
}

/**
 * Who may do what to a handoff in which state. Reps claim (not while the lead is offered to someone else);
 * only the claimer accepts, rejects or releases; managers may also release or reassign anyone's. Pure, so
 * every rule is tested without Slack or a database.
 */
export function judge(
  handoff: { claimedBy: string | null; decision: Parameters<typeof stateOf>[0]['decision'] } & Offering,
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
      return offeredElsewhere(handoff, actor) ?? { ok: true };
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

/** Where a lead went after an offer of it ended: the rep it is offered to now, its holder, or everyone. */
function whereItWent(handoff: { claimedBy: string | null; decision: string | null } & Offering): string {
  if (handoff.openOffer) return `it is offered to <@${handoff.openOffer.userId}> now`;
  if (handoff.claimedBy) return `<@${handoff.claimedBy}> holds it now`;
  if (handoff.decision) return 'it has been decided since';
  return handoff.offerMode ? 'it goes to the next rep' : 'it is open to everyone now';
}

/** Said to a rep answering (or claiming) after their offer's time ran out but before the router moved it on. */
export const ranOut = (offer: Pick<HandoffOffer, 'expiresAt'>) =>
  `This offer ran out at ${slackDate(offer.expiresAt)}; the lead goes on to the next rep, or to everyone when nobody else can take it.`;

/**
 * Why `userId` cannot answer this offer (Accept or Pass) now, or null: only the rep it was made to, only while it
 * is open and has not run out. `handoff.openOffer` is the lead's open offer now, to say where the lead went.
 */
export function answerRefusal(
  offer: Pick<HandoffOffer, 'userId' | 'status' | 'expiresAt'>,
  handoff: { claimedBy: string | null; decision: string | null } & Offering,
  userId: string,
  now: Date,
): string | null {
  if (offer.userId !== userId) return `This lead was offered to <@${offer.userId}>, not to you.`;
  const went = whereItWent(handoff);
  switch (offer.status) {
    case 'accepted':
      return handoff.claimedBy === userId ? 'You accepted this lead already; it is yours.' : `You accepted this lead earlier; ${went}.`;
    case 'passed':
      return `You passed on this lead already; ${went}.`;
    case 'timed_out':
      return `This offer ran out at ${slackDate(offer.expiresAt)}; ${went}.`;
    case 'withdrawn':
      return `This offer was withdrawn; ${went}.`;
    case 'open':
      return offer.expiresAt <= now ? ranOut(offer) : null;
  }
}
