import { randomUUID } from 'node:crypto';
import type { DbOrTx } from '../../db/client.js';
import { anyActiveEndpoint, findHandoffSubjects, insertDeliveries } from '../../db/queries/webhooks.js';
import type { EventData, WebhookEventType } from './events.js';
import { handoffObjectOf, leadObjectOf } from './objects.js';

/** An event to deliver: `key` names the change it is of, so the same change never emits it twice. */
export type EventToEmit = {
  [T in WebhookEventType]: { type: T; key: string; leadId: number; occurredAt: Date; data: EventData<T> };
}[WebhookEventType];

/**
 * Writes events to the webhook outbox inside the caller's transaction, one delivery per active endpoint, so a
 * change and its events commit together (or neither). `build` runs only when some endpoint is active: without
 * WEBHOOK_URL a change pays one small read. Returns how many deliveries were written.
 */
export async function emitWebhookEvents(tx: DbOrTx, now: Date, build: () => Promise<EventToEmit[]> | EventToEmit[]): Promise<number> {
  if (!(await anyActiveEndpoint(tx))) return 0;
  const events = await build();
  return insertDeliveries(
    tx,
    events.map((event) => {
      const id = randomUUID();
      const body = JSON.stringify({ id, type: event.type, occurredAt: event.occurredAt.toISOString(), data: event.data });
      return { eventId: id, eventKey: event.key, type: event.type, leadId: event.leadId, body };
    }),
    now,
  );
}

/** The lead and handoff of each of these handoffs, as they are now in the transaction, keyed by handoff id. */
export async function handoffSubjects(tx: DbOrTx, handoffIds: number[]) {
  const rows = await findHandoffSubjects(tx, handoffIds);
  return new Map(rows.map(({ handoff, lead }) => [handoff.id, { lead: leadObjectOf(lead), handoff: handoffObjectOf(handoff) }]));
}
