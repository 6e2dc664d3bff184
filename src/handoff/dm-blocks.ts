import type { KnownBlock } from '@slack/types';
import { LIMITS, section } from '../slack/blocks.js';
import { escapeMrkdwn, truncate } from '../slack/mrkdwn.js';
import { leadDisplayName } from '../leads/display-name.js';
import { decisionDeadline, decisionButtons, leadDetailBlocks, openOfferOf, outcomeLine, reassignmentOf } from './blocks.js';
import { stateOf, type HandoffView, type RenderContext } from './types.js';

const holds = (v: HandoffView, user: string) => stateOf(v) === 'claimed' && v.claimedBy === user;

/** What became of a lead the user no longer holds, after its name. */
function noLongerHeld(v: HandoffView, user: string): string {
  switch (stateOf(v)) {
    case 'claimed':
      return `<@${v.claimedBy}> holds it now; you no longer hold it.`;
    case 'unclaimed': {
      // A released lead of a round-robin route goes to the team's next rep, not to the first click.
      const offer = openOfferOf(v);
      if (offer) return `released; it is offered to <@${offer.userId}> now.`;
      return v.offerMode ? 'released; it goes to the next rep.' : 'released; it is back in the channel for anyone to claim.';
    }
    default:
      return outcomeLine(v)!.replace(`<@${user}>`, 'you');
  }
}

/** The first line of the DM: what the user owns and by when, or what became of it. */
function opening(v: HandoffView, user: string, postLink: string | null, ctx: RenderContext): string {
  const name = `*${escapeMrkdwn(truncate(leadDisplayName(v.lead), 200))}*${postLink ? ` (<${postLink}|the post>)` : ''}`;
  if (!holds(v, user)) return `${name}: ${noLongerHeld(v, user)}`;
  const reassigned = reassignmentOf(v);
  const owns = reassigned ? `Reassigned to you by <@${reassigned.by}>: you own ${name}.` : `You own ${name}.`;
  return `${owns} Decide by ${decisionDeadline(v, ctx)}.`;
}

/**
 * The DM to a lead's owner, rendered from the handoff's current state: while they hold it, what they own,
 * by when to decide, and Accept / Reject / Release (the post's buttons); once they don't, what became of it.
 */
export function claimDmBlocks(v: HandoffView, user: string, postLink: string | null, ctx: RenderContext): KnownBlock[] {
  return [
    section(opening(v, user, postLink, ctx)),
    ...leadDetailBlocks(v, ctx),
    ...(holds(v, user) ? [decisionButtons(v, false)] : []),
  ].slice(0, LIMITS.blocks);
}

/** The DM's notification text. */
export function claimDmText(v: HandoffView, user: string, ctx: RenderContext): string {
  const name = escapeMrkdwn(truncate(leadDisplayName(v.lead), 200));
  if (!holds(v, user)) return `${name}: ${noLongerHeld(v, user)}`;
  const reassigned = reassignmentOf(v);
  const owns = reassigned ? `Reassigned to you by <@${reassigned.by}>: ${name}` : `You own ${name}`;
  return `${owns} · decide by ${decisionDeadline(v, ctx)}`;
}
