import type { KnownBlock } from '@slack/types';
import type { HandoffOffer } from '../../db/types.js';
import { leadDisplayName } from '../leads/display-name.js';
import { actions, button, LIMITS, section } from '../slack/blocks.js';
import { escapeMrkdwn, formatDuration, slackDate, truncate } from '../slack/mrkdwn.js';
import { leadDetailBlocks, openOfferOf, reassignmentOf } from '../handoff/blocks.js';
import { claimDmBlocks, claimDmText } from '../handoff/dm-blocks.js';
import { stateOf, type HandoffView, type RenderContext } from '../handoff/types.js';
import { OFFER_ACTIONS } from './types.js';

const answerTime = (offer: HandoffOffer) => formatDuration(offer.expiresAt.getTime() - offer.offeredAt.getTime());
const plainName = (v: HandoffView) => escapeMrkdwn(truncate(leadDisplayName(v.lead), 200));

const WHY: Record<HandoffOffer['reason'], string> = {
  owner: ' first: you already work this person or company',
  'round-robin': '',
  'claim-sla': ': nobody claimed it in time',
};

/** Whether the offer still waits on this rep's answer (the lead may have moved on meanwhile: a manager, a release). */
const awaitsAnswer = (v: HandoffView, offer: HandoffOffer) => offer.status === 'open' && stateOf(v) === 'unclaimed';

/** Where the lead is now that this rep's offer ended: with another rep, being offered on, or open to everyone. */
function whereNow(v: HandoffView): string {
  const state = stateOf(v);
  if (state === 'claimed') return `<@${v.claimedBy}> holds it now.`;
  if (state !== 'unclaimed') return 'it has been decided.';
  const next = openOfferOf(v);
  if (next) return `it is offered to <@${next.userId}> now.`;
  if (v.offerMode) return 'it goes on to the next rep.';
  return 'nobody else on the team could take it, so it is open to everyone in the channel.';
}

/** What the DM says first: the offer and what to do, or what became of it. */
function opening(v: HandoffView, offer: HandoffOffer, postLink: string | null): string {
  const link = postLink ? ` (<${postLink}|the post>)` : '';
  const name = `*${plainName(v)}*`;
  switch (offer.status) {
    case 'passed':
      return `You passed on ${name}${link}; ${whereNow(v)}`;
    case 'timed_out':
      return `You did not answer within ${answerTime(offer)}; ${name}${link}: ${whereNow(v)}`;
    case 'withdrawn': {
      const assigned = reassignmentOf(v);
      return assigned
        ? `Withdrawn: a manager (<@${assigned.by}>) assigned ${name}${link} to <@${assigned.to}>.`
        : `Withdrawn: you went away; ${name}${link}: ${whereNow(v)}`;
    }
    default: {
      // Who they are (title, company) follows in the lead's details: the opening names them once.
      const route = v.routeName ? ` — route ${escapeMrkdwn(truncate(v.routeName, 100))}` : '';
      return (
        `${name}${link} is offered to you${WHY[offer.reason]}${route}. ` +
        `Accept within ${answerTime(offer)} (by ${slackDate(offer.expiresAt)}) or Pass to let it go on.`
      );
    }
  }
}

/**
 * The DM offering a lead to one rep, rendered from the offer's current state: while it waits on them, the lead
 * and Accept / Pass; once accepted it is the claim DM (what they own, by when to decide, Accept / Reject /
 * Release); otherwise what became of the offer, without buttons.
 */
export function offerDmBlocks(v: HandoffView, offer: HandoffOffer, postLink: string | null, ctx: RenderContext): KnownBlock[] {
  if (offer.status === 'accepted' || (offer.status === 'open' && !awaitsAnswer(v, offer))) {
    return claimDmBlocks(v, offer.userId, postLink, ctx);
  }
  const id = String(offer.id);
  const buttons = awaitsAnswer(v, offer)
    ? [actions([button('Accept', OFFER_ACTIONS.accept, id, 'primary'), button('Pass', OFFER_ACTIONS.pass, id)], `offer:${id}`)]
    : [];
  return [section(opening(v, offer, postLink)), ...leadDetailBlocks(v, ctx), ...buttons].slice(0, LIMITS.blocks);
}

/** The offer DM's notification text. */
export function offerDmText(v: HandoffView, offer: HandoffOffer, ctx: RenderContext): string {
  if (offer.status === 'accepted' || (offer.status === 'open' && !awaitsAnswer(v, offer))) return claimDmText(v, offer.userId, ctx);
  if (offer.status === 'open') return `Offered to you: ${plainName(v)} · accept within ${answerTime(offer)}`;
  return opening(v, offer, null);
}
