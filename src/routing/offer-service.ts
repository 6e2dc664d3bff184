/*
 * Offers of a lead to one rep at a time: making the next one, or opening the lead to everyone when nobody on the
 * route's team can take it (how offers end is offer-answers.ts). Each is one transaction that locks the handoff
 * and queues the post's update and the DMs with it (the outbox).
 */
import type { Tx } from '../../db/client.js';
import { recordAudit } from '../../db/queries/audit-log.js';
import { recordNewSlaNotices } from '../../db/queries/sla-notices.js';
import { lockRouting } from '../../db/queries/routing-load.js';
import { findHandoff, updateHandoff, type HandoffRow } from '../../db/queries/handoffs.js';
import { insertOffer, lockHandoffForOffer, offerAudit, offersOfHandoff, routeLookup, type RouteLookup } from '../../db/queries/offers.js';
import type { HandoffHistoryEntry, OfferMode, OfferReason, OpenedCounts, Route } from '../../db/types.js';
import type { Deps } from '../deps.js';
import { offerDm, queueMessages, updateMql, type OutboxMessage } from '../outbox/messages.js';
import { slaClockRunning, slaPolicyOf } from '../sla/policy.js';
import { candidatesFor, expandTeam, usersInDnd, type TeamMembers } from './candidates.js';
import { chooseRep, skipReason, type Candidate } from './chooser.js';
import { findOwner } from './owner.js';
import { ROUTING_LOCK_KEY } from './types.js';

/** Who the router acts as in the audit log. */
export const ROUTER_ACTOR = 'system:router';

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
    await lockRouting(tx, ROUTING_LOCK_KEY);
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
    // Slack could not list a group of the team: someone in it may be free, so the lead waits for the next pass
    // rather than opening to everyone for good.
    if (reps.unread?.length) return 'waiting' as const;
    if (turn.expected === 'owner' && route?.team) {
      await updateHandoff(tx, handoffId, { offerMode: 'round-robin' }, now);
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
  const after = (await updateHandoff(tx, before.id, { offerMode: modeOf(turn) }, now))!;
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
  const after = (await updateHandoff(tx, before.id, { offerMode: null }, now, history))!;
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
