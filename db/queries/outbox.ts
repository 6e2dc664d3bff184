import type { DbOrTx } from '../client.js';
import { outbox, type OutboxKind } from '../schema.js';

export interface OutboxMessage {
  kind: OutboxKind;
  handoffId?: number;
  payload?: Record<string, unknown>;
  /** Same key, same message: enqueued at most once. */
  dedupeKey: string;
}

export function enqueueMessages(db: DbOrTx, messages: OutboxMessage[], now: Date) {
  if (messages.length === 0) return Promise.resolve([]);
  return db
    .insert(outbox)
    .values(messages.map((m) => ({ ...m, payload: m.payload ?? {}, createdAt: now, nextAttemptAt: now })))
    .onConflictDoNothing()
    .returning({ id: outbox.id });
}
