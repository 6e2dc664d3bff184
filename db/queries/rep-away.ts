import { and, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { repAway } from '../schema.js';

export type AwayRow = typeof repAway.$inferSelect;

/** Marks a rep away until `awayUntil` (null: until they are back), replacing an earlier spell. */
export async function setAway(db: DbOrTx, row: AwayRow): Promise<void> {
  await db.insert(repAway).values(row).onConflictDoUpdate({ target: repAway.userId, set: row });
}

/** Ends a rep's away spell; returns whether there was one. */
export async function clearAway(db: DbOrTx, userId: string): Promise<boolean> {
  const deleted = await db.delete(repAway).where(eq(repAway.userId, userId)).returning({ userId: repAway.userId });
  return deleted.length > 0;
}

const awayAt = (now: Date) => or(isNull(repAway.awayUntil), gt(repAway.awayUntil, now));

/** Everyone away at `now` (a spell that has ended is not away), soonest back first, open-ended last. */
export async function listAwayReps(db: DbOrTx, now: Date): Promise<AwayRow[]> {
  const rows = await db.select().from(repAway).where(awayAt(now));
  return rows.sort((a, b) => (a.awayUntil?.getTime() ?? Infinity) - (b.awayUntil?.getTime() ?? Infinity));
}

/** Which of `users` are away at `now`. */
export async function findAwayReps(db: DbOrTx, users: readonly string[], now: Date): Promise<Map<string, AwayRow>> {
  if (users.length === 0) return new Map();
  const rows = await db
    .select()
    .from(repAway)
    .where(and(inArray(repAway.userId, [...users]), awayAt(now)));
  return new Map(rows.map((r) => [r.userId, r]));
}
