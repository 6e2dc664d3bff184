/*
 * How offers end: the rep's Accept (a claim) or Pass, a timeout, or the rep going away. Each is one transaction that
 * locks the handoff first, then the offer, and queues the post's update (which re-renders the offer DM) with it.
 */
import type { Tx } from '../../db/client.js';
import { recordAudit } from '../../db/queries/audit-log.js';
import { findOffer, listOpenOffersOf, lockOffer, lockOpenOffer, offerAudit, closeOffer, type OfferRow } from '../../db/queries/offers.js';
import { lockHandoff, updateHandoff, type HandoffRow } from '../../db/queries/handoffs.js';
import type { HandoffHistoryEntry } from '../../db/types.js';
import type { Deps } from '../deps.js';
import { queueMessages, updateMql } from '../outbox/messages.js';
import { answerRefusal, judge, type Actor } from '../handoff/rules.js';
import { acceptOffer } from '../handoff/service.js';

/** How an offer ended without an owner, as the post's history tells it. */
export type OfferEnd = 'passed' | 'timed_out' | 'away';
const END_STATUS = { passed: 'passed', timed_out: 'timed_out', away: 'withdrawn' } as const;

/**
 * Ends an open offer the caller's transaction has locked (the handoff first): the post says why in its history
 * and is updated, which re-renders the rep's offer DM.
 */
export async function endOffer(tx: Tx, offer: OfferRow, end: OfferEnd, actor: string, now: Date): Promise<HandoffRow> {
  const closed = (await closeOffer(tx, offer.id, END_STATUS[end], now))!;
  const waitedMs = (end === 'timed_out' ? offer.expiresAt : now).getTime() - offer.offeredAt.getTime();
  const entry: HandoffHistoryEntry = { kind: 'offer', at: now.toISOString(), user: offer.userId, outcome: end, waitedMs };
  const after = (await updateHandoff(tx, offer.handoffId, {}, now, [entry]))!;
  await recordAudit(tx, [offerAudit(closed, END_STATUS[end], actor, { waitedMs })], now);
  await queueMessages(tx, [updateMql(after, 'change')], now);
  return after;
}

/**
 * Withdraws every open offer to `userId` (status withdrawn, audit offer.withdrawn, post refreshed, DM updated) and
 * wakes the router so each lead is offered on. Returns how many were withdrawn.
 */
export async function withdrawOpenOffersOf(deps: Deps, userId: string, actor: string, now: Date): Promise<number> {
  let withdrawn = 0;
  for (const { id, handoffId } of await listOpenOffersOf(deps.database.db, userId)) {
    const ended = await deps.database.db.transaction(async (tx) => {
      await lockHandoff(tx, handoffId);
      const offer = await lockOffer(tx, id);
      if (offer?.status !== 'open') return false;
      await endOffer(tx, offer, 'away', actor, now);
      return true;
    });
    if (ended) withdrawn++;
  }
  if (withdrawn) {
    deps.wakeRouter();
    deps.wakeOutbox();
  }
  return withdrawn;
}

export type OfferAnswer = { ok: true } | { ok: false; message: string };
const GONE: OfferAnswer = { ok: false, message: 'This offer is no longer known to the bot.' };

/**
 * The offered rep's Accept (a claim: the lead is theirs) or Pass (it goes to the next rep at once). Under the
 * handoff's lock, then the offer's: only the rep it was offered to, only while it is open and has not run out.
 */
export async function answerOffer(
  deps: Deps,
  input: { offerId: number; actor: Actor; answer: 'accept' | 'pass'; now: Date },
): Promise<OfferAnswer> {
  const { actor, now } = input;
  const db = deps.database.db;
  const seen = await findOffer(db, input.offerId);
  if (!seen) return GONE;
  const outcome = await db.transaction(async (tx): Promise<OfferAnswer> => {
    const handoff = await lockHandoff(tx, seen.handoffId);
    const offer = handoff && (await lockOffer(tx, seen.id));
    if (!handoff || !offer) return GONE;
    const current = offer.status === 'open' ? offer : await lockOpenOffer(tx, handoff.id);
    const refused = answerRefusal(offer, { ...handoff, openOffer: current }, actor.userId, now);
    if (refused) return { ok: false, message: refused };
    if (input.answer === 'pass') {
      await endOffer(tx, offer, 'passed', actor.userId, now);
      return { ok: true };
    }
    const verdict = judge({ ...handoff, openOffer: offer }, 'claim', actor);
    if (!verdict.ok) return verdict;
    const accepted = await acceptOffer(tx, handoff, offer, actor, now);
    return accepted.ok ? { ok: true } : accepted;
  });
  // A pass (or an offer found run out) moves the lead on at once; an accept updates the post and the DM.
  deps.wakeRouter();
  deps.wakeOutbox();
  return outcome;
}
