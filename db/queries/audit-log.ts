import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';

export interface AuditEntry {
  actor: string;
  action: string;
  entity: string;
  entityId: string | number;
  fromState?: string | null;
  toState?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Appends to the audit log, in the order given; call it with the transaction that makes the change it records.
 * Entries travel as one jsonb parameter: an intake batch records hundreds, and binding each value costs more than the insert.
 */
export async function recordAudit(db: DbOrTx, entries: AuditEntry[], now: Date): Promise<void> {
  if (entries.length === 0) return;
  const records = entries.map((e, i) => ({
    i,
    actor: e.actor,
    action: e.action,
    entity: e.entity,
    entity_id: String(e.entityId),
    from_state: e.fromState ?? null,
    to_state: e.toState ?? null,
    details: e.details ?? null,
  }));
  await db.execute(sql`
    insert into audit_log (at, actor, action, entity, entity_id, from_state, to_state, details)
    select ${now.toISOString()}::timestamptz, v.actor, v.action, v.entity, v.entity_id, v.from_state, v.to_state, v.details
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb)
      as v(i int, actor text, action text, entity text, entity_id text, from_state text, to_state text, details jsonb)
    order by v.i`);
}
