import type { DbOrTx } from '../client.js';
import { handoffs } from '../schema.js';

export interface NewHandoff {
  leadId: number;
  qualification: number;
  score: number;
  threshold: number;
  criteriaVersion: number;
}

/** Opens handoffs; the (lead, qualification) key makes a qualification impossible to open twice. */
export function openHandoffs(db: DbOrTx, rows: NewHandoff[], now: Date) {
  if (rows.length === 0) return Promise.resolve([]);
  return db
    .insert(handoffs)
    .values(rows.map((r) => ({ ...r, createdAt: now })))
    .onConflictDoNothing()
    .returning({ id: handoffs.id, leadId: handoffs.leadId, qualification: handoffs.qualification });
}
