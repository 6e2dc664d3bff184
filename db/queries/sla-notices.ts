import { eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { slaNotices } from '../schema.js';

/**
 * Records SLA notices (e.g. one lead's escalation for one clock) and returns the keys that were new: a
 * notice already given, by this replica or another, is not returned, so it is not given again.
 */
export async function recordNewSlaNotices(db: DbOrTx, keys: string[], now: Date): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const inserted = await db
    .insert(slaNotices)
    .values(keys.map((key) => ({ key, createdAt: now })))
    .onConflictDoNothing()
    .returning({ key: slaNotices.key });
  return new Set(inserted.map((r) => r.key));
}

/** Whether a notice was given already (a plain read: the insert above is what makes a notice once). */
export async function slaNoticeGiven(db: DbOrTx, key: string): Promise<boolean> {
  const [row] = await db.select({ key: slaNotices.key }).from(slaNotices).where(eq(slaNotices.key, key));
  return row !== undefined;
}

/** Which of these notices were given already (a plain read, to leave them out before any lock is taken). */
export async function givenSlaNotices(db: DbOrTx, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.select({ key: slaNotices.key }).from(slaNotices).where(inArray(slaNotices.key, keys));
  return new Set(rows.map((r) => r.key));
}
