/*
 * What routing needs to know about a team's reps before an offer: how much they hold, whom this lead was offered
 * to already, and how many offers each got lately. One query per question for the whole team, never one per rep.
 */
import { and, count, eq, gte, inArray, isNull, lte, max, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { handoffs, offers } from '../schema.js';

/** Per user (of `users`), the handoffs they have claimed and not decided yet; users holding none are absent. */
export async function countOpenClaims(db: DbOrTx, users: readonly string[]): Promise<Map<string, number>> {
  if (users.length === 0) return new Map();
  const rows = await db
    .select({ userId: handoffs.claimedBy, n: count() })
    .from(handoffs)
    .where(and(inArray(handoffs.claimedBy, [...users]), isNull(handoffs.decision)))
    .groupBy(handoffs.claimedBy);
  return new Map(rows.map((r) => [r.userId!, r.n]));
}

/** Per user (of `users`), the offers they hold and have not answered; users holding none are absent. */
export async function countOpenOffers(db: DbOrTx, users: readonly string[]): Promise<Map<string, number>> {
  if (users.length === 0) return new Map();
  const rows = await db
    .select({ userId: offers.userId, n: count() })
    .from(offers)
    .where(and(inArray(offers.userId, [...users]), eq(offers.status, 'open')))
    .groupBy(offers.userId);
  return new Map(rows.map((r) => [r.userId, r.n]));
}

/** Which of `users` this handoff was ever offered to, whatever became of the offer. */
export async function findUsersOffered(db: DbOrTx, handoffId: number, users: readonly string[]): Promise<Set<string>> {
  if (users.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ userId: offers.userId })
    .from(offers)
    // A withdrawn offer (the rep went away) was never declined: back again, they may be offered the lead.
    .where(and(eq(offers.handoffId, handoffId), inArray(offers.userId, [...users]), ne(offers.status, 'withdrawn')));
  return new Set(rows.map((r) => r.userId));
}

export interface RecentOffers {
  offers: number;
  lastOfferedAt: Date;
}

/** Per user (of `users`), the offers made to them in [from, to] and the latest one's time; users with none are absent. */
export async function countOffersBetween(db: DbOrTx, users: readonly string[], from: Date, to: Date): Promise<Map<string, RecentOffers>> {
  if (users.length === 0) return new Map();
  const rows = await db
    .select({ userId: offers.userId, n: count(), last: max(offers.offeredAt) })
    .from(offers)
    .where(and(inArray(offers.userId, [...users]), gte(offers.offeredAt, from), lte(offers.offeredAt, to)))
    .groupBy(offers.userId);
  return new Map(rows.map((r) => [r.userId, { offers: r.n, lastOfferedAt: new Date(r.last!) }]));
}

/** Takes routing's advisory lock (`key`: ROUTING_LOCK_KEY) until the transaction ends: offers and away spells queue behind it. */
export async function lockRouting(tx: DbOrTx, key: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${key})`);
}
