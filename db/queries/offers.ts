import { and, asc, eq, exists, gt, isNotNull, isNull, lt, lte, notExists, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { handoffs, offers, outbox, routingVersions } from '../schema.js';
import type { HandoffOffer, OfferMode, OfferReason, OfferStatus, Route } from '../types.js';
import type { AuditEntry } from './audit-log.js';

/*
 * Offers of a lead to one rep at a time. Every change of an offer is made with its handoff's row locked first
 * (then the offer's), so an answer, a timeout and a withdrawal of the same offer queue behind one another.
 */

export type OfferRow = typeof offers.$inferSelect;

export async function insertOffer(
  tx: DbOrTx,
  row: { handoffId: number; userId: string; routeName: string | null; reason: OfferReason; offeredAt: Date; expiresAt: Date },
): Promise<OfferRow> {
  const [inserted] = await tx.insert(offers).values(row).returning();
  return inserted!;
}

export async function findOffer(db: DbOrTx, id: number): Promise<OfferRow | undefined> {
  const [row] = await db.select().from(offers).where(eq(offers.id, id));
  return row;
}

export async function lockOffer(tx: DbOrTx, id: number): Promise<OfferRow | undefined> {
  const [row] = await tx.select().from(offers).where(eq(offers.id, id)).for('update');
  return row;
}

const openOfferOf = (handoffId: number) => and(eq(offers.handoffId, handoffId), eq(offers.status, 'open'));

/** The handoff's open offer (at most one: offers_one_open_per_handoff). */
export async function findOpenOffer(db: DbOrTx, handoffId: number): Promise<OfferRow | undefined> {
  const [row] = await db.select().from(offers).where(openOfferOf(handoffId));
  return row;
}

/** The handoff's open offer, locked (take the handoff's lock first). */
export async function lockOpenOffer(tx: DbOrTx, handoffId: number): Promise<OfferRow | undefined> {
  const [row] = await tx.select().from(offers).where(openOfferOf(handoffId)).for('update');
  return row;
}

/** Ends an open offer; undefined when it was no longer open. */
export async function closeOffer(tx: DbOrTx, id: number, status: Exclude<OfferStatus, 'open'>, now: Date): Promise<OfferRow | undefined> {
  const [row] = await tx
    .update(offers)
    .set({ status, answeredAt: now })
    .where(and(eq(offers.id, id), eq(offers.status, 'open')))
    .returning();
  return row;
}

/** Restarts an open offer's clock (its DM reached the rep late) unless it ends later already; returns whether it did. */
export async function restartOfferClock(tx: DbOrTx, id: number, clock: { offeredAt: Date; expiresAt: Date }): Promise<boolean> {
  const moved = await tx
    .update(offers)
    .set(clock)
    .where(and(eq(offers.id, id), eq(offers.status, 'open'), lt(offers.expiresAt, clock.expiresAt)))
    .returning({ id: offers.id });
  return moved.length > 0;
}

/**
 * Open offers whose time ran out at `now`, oldest deadline first. Only offers whose DM was sent (or refused for
 * good) run out: a rep is never timed out on an offer Slack has not shown them yet. `dmKeyPrefix` + the offer id
 * is the DM's outbox key (src/outbox/messages.ts), which is indexed.
 */
export function listExpiredOffers(db: DbOrTx, now: Date, limit: number, dmKeyPrefix: string) {
  const dmDone = exists(
    sql`(select 1 from ${outbox} where ${outbox.dedupeKey} = ${dmKeyPrefix} || ${offers.id}::text
          and (${outbox.sentAt} is not null or ${outbox.failedAt} is not null))`,
  );
  return db
    .select({ id: offers.id, handoffId: offers.handoffId })
    .from(offers)
    .where(and(eq(offers.status, 'open'), lte(offers.expiresAt, now), dmDone))
    .orderBy(asc(offers.expiresAt))
    .limit(limit);
}

export function listOpenOffersOf(db: DbOrTx, userId: string) {
  return db
    .select({ id: offers.id, handoffId: offers.handoffId })
    .from(offers)
    .where(and(eq(offers.userId, userId), eq(offers.status, 'open')))
    .orderBy(asc(offers.id));
}

const noOpenOffer = notExists(sql`(select 1 from ${offers} where ${offers.handoffId} = ${handoffs.id} and ${offers.status} = 'open')`);
/** Nobody holds it, undecided, and nobody has it on offer now. */
const unclaimedWithoutOffer = and(isNull(handoffs.claimedBy), isNull(handoffs.decision), noOpenOffer);

/**
 * Handoffs whose next offer is due (being offered one rep at a time, and nobody has it on offer now), by id from
 * after `afterId`.
 */
export async function listHandoffsAwaitingOffer(
  db: DbOrTx,
  afterId: number,
  limit: number,
): Promise<Array<{ id: number; offerMode: OfferMode; routeName: string | null; routingVersion: number | null }>> {
  const rows = await db
    .select({ id: handoffs.id, offerMode: handoffs.offerMode, routeName: handoffs.routeName, routingVersion: handoffs.routingVersion })
    .from(handoffs)
    .where(and(gt(handoffs.id, afterId), isNotNull(handoffs.offerMode), unclaimedWithoutOffer))
    .orderBy(asc(handoffs.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, offerMode: r.offerMode! }));
}

/**
 * Locks the handoff for its next offer if one is still due with offer mode `mode` and no other transaction (a
 * replica's) holds it; else undefined.
 */
export async function lockHandoffForOffer(tx: DbOrTx, id: number, mode: OfferMode | null) {
  const [row] = await tx
    .select()
    .from(handoffs)
    .where(and(eq(handoffs.id, id), mode === null ? isNull(handoffs.offerMode) : eq(handoffs.offerMode, mode), unclaimedWithoutOffer))
    .for('update', { skipLocked: true });
  return row;
}

/** Locks the handoff unless another transaction holds it (a replica is already on it). */
export async function lockHandoffUnlessBusy(tx: DbOrTx, id: number) {
  const [row] = await tx.select().from(handoffs).where(eq(handoffs.id, id)).for('update', { skipLocked: true });
  return row;
}

/** A handoff's offers, oldest first, as its post and DMs show them. */
export function offersOfHandoff(db: DbOrTx, handoffId: number): Promise<HandoffOffer[]> {
  return db
    .select({
      id: offers.id,
      userId: offers.userId,
      reason: offers.reason,
      status: offers.status,
      offeredAt: offers.offeredAt,
      expiresAt: offers.expiresAt,
      answeredAt: offers.answeredAt,
    })
    .from(offers)
    .where(eq(offers.handoffId, handoffId))
    .orderBy(asc(offers.id));
}

/** The route a handoff was routed by, as it stood in that routing version (null: the default route, or gone). */
export async function findRouteOf(db: DbOrTx, handoff: { routeName: string | null; routingVersion: number | null }): Promise<Route | null> {
  if (handoff.routeName === null || handoff.routingVersion === null) return null;
  const [row] = await db
    .select({ routes: routingVersions.routes })
    .from(routingVersions)
    .where(eq(routingVersions.version, handoff.routingVersion));
  return row?.routes.find((r) => r.name === handoff.routeName) ?? null;
}

/** An audit row about one offer of a handoff: `offer.made`, `offer.accepted`, `offer.passed`, … */
export function offerAudit(
  offer: OfferRow,
  action: Exclude<OfferStatus, 'open'> | 'made',
  actor: string,
  details: Record<string, unknown> = {},
): AuditEntry {
  return {
    actor,
    action: `offer.${action}`,
    entity: 'handoff',
    entityId: offer.handoffId,
    toState: offer.status,
    details: { offerId: offer.id, user: offer.userId, reason: offer.reason, route: offer.routeName, ...details },
  };
}

/** Looks a handoff's route up once per routing version and name (a router pass reads many handoffs of few routes). */
export type RouteLookup = (h: { routeName: string | null; routingVersion: number | null }) => Promise<Route | null>;

export function routeLookup(db: DbOrTx): RouteLookup {
  const known = new Map<string, Promise<Route | null>>();
  return (h) => {
    const key = `${h.routingVersion}\u0000${h.routeName}`;
    const route = known.get(key) ?? findRouteOf(db, h);
    known.set(key, route);
    return route;
  };
}
