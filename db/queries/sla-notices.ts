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
