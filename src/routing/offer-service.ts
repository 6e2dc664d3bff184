/*
 * Offers of a lead to one rep at a time: making the next one, opening the lead to everyone when nobody on the
 * route's team can take it, and ending offers (pass, timeout, the rep going away). Each change is one transaction
 * that locks the handoff first, then its offer, and queues the post's update and the DMs with it (the outbox).
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { recordAudit } from '../../db/queries/audit-log.js';
import { recordNewSlaNotices } from '../../db/queries/sla-notices.js';
import { findHandoff, lockHandoff, updateHandoff, type HandoffRow } from '../../db/queries/handoffs.js';
import {
  closeOffer,
  findOffer,
  insertOffer,
  listOpenOffersOf,
  lockHandoffForOffer,
  lockOffer,
  lockOpenOffer,
  offerAudit,
  offersOfHandoff,
  routeLookup,
  type OfferRow,
  type RouteLookup,
} from '../../db/queries/offers.js';
import type { HandoffHistoryEntry, OfferMode, OfferReason, OpenedCounts, Route } from '../../db/types.js';
import type { Deps } from '../deps.js';
import { offerDm, queueMessages, updateMql, type OutboxMessage } from '../outbox/messages.js';
import { answerRefusal, judge, type Actor } from '../handoff/rules.js';
import { acceptOffer } from '../handoff/service.js';
import { slaClockRunning, slaPolicyOf } from '../sla/policy.js';
import { candidatesFor, expandTeam, usersInDnd, type TeamMembers } from './candidates.js';
import { chooseRep, skipReason, type Candidate } from './chooser.js';
import { findOwner } from './owner.js';
import { ROUTING_LOCK_KEY } from './types.js';

/** Who the router acts as in the audit log. */
export const ROUTER_ACTOR = 'system:router';

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
  const after = (await updateHandoff(tx, offer.handoffId, {}, [entry]))!;
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

/** What became of a handoff's turn: offered to a rep, opened to everyone, waiting for business hours, or left alone. */
export type OfferStep = 'offered' | 'opened' | 'waiting' | 'skipped';

export interface OfferTurn {
  /** The handoff's offer mode as read: whose turn it is (null: open to everyone; only the claim-SLA sweep offers those). */
  expected: OfferMode | null;
  /**
   * Set by the claim-SLA sweep: offer the lead on to the team's next rep, with these messages if one is found;
   * once per claim clock (`key`, the reminder's), whether or not someone was found.
   */
  claimSla?: { key: string; alsoQueue: OutboxMessage[] };
}

const modeOf = (turn: OfferTurn): OfferMode => turn.expected ?? 'round-robin';
const reasonOf = (turn: OfferTurn): OfferReason => (turn.claimSla ? 'claim-sla' : modeOf(turn));

/** Inside BUSINESS_HOURS now (always, when none are set): routes with `hours` offer only then. */
export const offersAllowedNow = (deps: Deps, route: Route, now: Date) =>
  !route.businessHours || slaClockRunning(slaPolicyOf(deps.config.sla).calendar, now);

/** The reps whose turn it is, read before the transaction: the owner of this person or company, or the team. */
async function repsFor(deps: Deps, route: Route, handoffId: number, mode: OfferMode, now: Date): Promise<TeamMembers> {
  if (mode === 'round-robin') return route.team ? expandTeam(deps, route.team) : { users: [], weights: {} };
  const owner = await findOwner(deps.database.db, handoffId, now);
  return owner ? { users: [owner], weights: { [owner]: 1 } } : { users: [], weights: {} };
}

/** Someone who held the lead and released it is not offered it back. */
function releasedBy(h: HandoffRow): Set<string> {
  return new Set(h.history.flatMap((e) => (e.kind === 'released' ? [e.holder] : [])));
}

/**
 * Makes the next offer of a handoff, if it is still due: the fairest eligible rep whose turn it is gets it (an
 * offer row, audit offer.made, the offer DM and the post's update, together). When nobody is eligible, an owner's
 * turn passes to the team (or to everyone, without one), the team's to everyone. Reading the reps' loads and
 * offering happen under the routing advisory lock, so two leads offered at once never take a rep past their cap.
 */
export async function offerNext(
  deps: Deps,
  handoffId: number,
  turn: OfferTurn,
  now: Date,
  routeOf: RouteLookup = routeLookup(deps.database.db),
): Promise<OfferStep> {
  const db = deps.database.db;
  const seen = await findHandoff(db, handoffId);
  if (!seen) return 'skipped';
  const route = await routeOf(seen);
  if (route && !offersAllowedNow(deps, route, now)) return 'waiting';
  const reps = route ? await repsFor(deps, route, handoffId, modeOf(turn), now) : { users: [], weights: {} };
  // Asked of Slack outside the transaction: nothing waits on Slack while holding locks.
  const inDnd = await usersInDnd(deps, reps.users);
  const step = await db.transaction(async (tx) => {
    const before = await lockHandoffForOffer(tx, handoffId, turn.expected);
    if (!before) return 'skipped' as const;
    const sla = turn.claimSla;
    if (sla && !(await recordNewSlaNotices(tx, [sla.key], now)).has(sla.key)) return 'skipped' as const;
    await tx.execute(sql`select pg_advisory_xact_lock(${ROUTING_LOCK_KEY})`);
    const released = releasedBy(before);
    const candidates = (
      await candidatesFor(tx, {
        ...reps,
        cap: route?.maxOpen ?? deps.config.routing.maxOpen,
        handoffId,
        inDnd,
        windowMs: deps.config.routing.fairnessWindowMs,
        now,
      })
    ).map((c) => (released.has(c.userId) ? { ...c, offeredAlready: true } : c));
    const chosen = chooseRep(candidates);
    if (chosen) return offerTo(tx, before, chosen.userId, route, turn, deps.config.routing.offerTimeoutMs, now);
    if (turn.expected === 'owner' && route?.team) {
      await updateHandoff(tx, handoffId, { offerMode: 'round-robin' });
      return 'owner-passed' as const;
    }
    // The claim-SLA sweep asked for a lead already open to everyone: it stays so, and the sweep reminds as before.
    if (turn.expected === null) return 'skipped' as const;
    await openToEveryone(tx, before, route, candidates, now);
    return 'opened' as const;
  });
  if (step === 'owner-passed') return offerNext(deps, handoffId, { ...turn, expected: 'round-robin' }, now, routeOf);
  return step;
}

async function offerTo(
  tx: Tx,
  before: HandoffRow,
  userId: string,
  route: Route | null,
  turn: OfferTurn,
  answerMs: number,
  now: Date,
): Promise<'offered'> {
  const offer = await insertOffer(tx, {
    handoffId: before.id,
    userId,
    routeName: route?.name ?? null,
    reason: reasonOf(turn),
    offeredAt: now,
    expiresAt: new Date(now.getTime() + answerMs),
  });
  const after = (await updateHandoff(tx, before.id, { offerMode: modeOf(turn) }))!;
  await recordAudit(tx, [offerAudit(offer, 'made', ROUTER_ACTOR)], now);
  await queueMessages(tx, [offerDm(after.id, offer), updateMql(after, 'change'), ...(turn.claimSla?.alsoQueue ?? [])], now);
  return 'offered';
}

/** The lead opens to everyone with a Claim button; the post says why nobody on the team took it. */
async function openToEveryone(tx: Tx, before: HandoffRow, route: Route | null, candidates: Candidate[], now: Date): Promise<void> {
  const offers = await offersOfHandoff(tx, before.id);
  const ended = (status: string) => offers.filter((o) => o.status === status).length;
  const skipped = (reason: string) => candidates.filter((c) => skipReason(c) === reason).length;
  const counts: OpenedCounts = {
    passed: ended('passed'),
    timedOut: ended('timed_out'),
    wentAway: ended('withdrawn'),
    away: skipped('away'),
    dnd: skipped('dnd'),
    atCap: skipped('at_cap'),
  };
  // An owner route without a team whose lead has no owner is simply open, as a claim route's: nothing to explain.
  const explain = offers.length > 0 || Boolean(route?.team);
  const history: HandoffHistoryEntry[] = explain ? [{ kind: 'opened', at: now.toISOString(), counts }] : [];
  const after = (await updateHandoff(tx, before.id, { offerMode: null }, history))!;
  await recordAudit(
    tx,
    [
      {
        actor: ROUTER_ACTOR,
        action: 'offer.opened',
        entity: 'handoff',
        entityId: before.id,
        toState: 'unclaimed',
        details: { route: route?.name ?? null, ...counts },
      },
    ],
    now,
  );
  await queueMessages(tx, [updateMql(after, 'change')], now);
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
