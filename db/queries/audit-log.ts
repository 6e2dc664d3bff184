import type { DbOrTx } from '../client.js';
import { auditLog } from '../schema.js';

export interface AuditEntry {
  actor: string;
  action: string;
  entity: string;
  entityId: string | number;
  fromState?: string | null;
  toState?: string | null;
  details?: Record<string, unknown>;
}

/** Appends to the audit log; call it with the transaction that makes the change it records. */
export async function recordAudit(db: DbOrTx, entries: AuditEntry[], now: Date): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(auditLog).values(entries.map((e) => ({ ...e, entityId: String(e.entityId), at: now })));
}
