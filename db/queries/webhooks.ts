import { eq, inArray, notInArray, sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../client.js';
import { handoffs, leads, webhookDeliveries, webhookEndpoints } from '../schema.js';

/** Makes exactly `urls` the active endpoints (start-up): others keep their rows and waiting deliveries, unsent. */
export async function syncWebhookEndpoints(db: DbOrTx, urls: readonly string[]): Promise<void> {
  await db.transaction(async (tx) => {
    if (urls.length) {
      await tx
        .insert(webhookEndpoints)
        .values(urls.map((url) => ({ url, active: true })))
        .onConflictDoUpdate({ target: webhookEndpoints.url, set: { active: true } });
    }
    await tx
      .update(webhookEndpoints)
      .set({ active: false })
      .where(urls.length ? notInArray(webhookEndpoints.url, [...urls]) : sql`true`);
  });
}

/** Whether any endpoint is active: without one no event is built or stored. */
export async function anyActiveEndpoint(db: DbOrTx): Promise<boolean> {
  const [row] = await db.select({ url: webhookEndpoints.url }).from(webhookEndpoints).where(eq(webhookEndpoints.active, true)).limit(1);
  return row !== undefined;
}

export interface NewDelivery {
  eventId: string;
  eventKey: string;
  type: string;
  leadId: number;
  body: string;
}

/** Writes each event once per active endpoint (an event key already written for an endpoint is skipped); returns how many rows. */
export async function insertDeliveries(db: DbOrTx, events: NewDelivery[], now: Date): Promise<number> {
  if (events.length === 0) return 0;
  const rows = await queryRows<{ id: number }>(
    db,
    sql`
    insert into ${webhookDeliveries} (endpoint, event_id, event_key, type, lead_id, body, created_at, next_attempt_at)
    select e.url, x.event_id, x.event_key, x.type, x.lead_id, x.body, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
    from ${webhookEndpoints} e
    cross join rows from (jsonb_to_recordset(${JSON.stringify(events.map((e) => ({ event_id: e.eventId, event_key: e.eventKey, type: e.type, lead_id: e.leadId, body: e.body })))}::jsonb)
      as (event_id text, event_key text, type text, lead_id bigint, body text)) with ordinality as x(event_id, event_key, type, lead_id, body, n)
    where e.active
    order by e.url, x.n
    on conflict (endpoint, event_key) do nothing
    returning id`,
  );
  return rows.length;
}

/** The leads and handoffs events about these handoffs describe, as they are now (inside the change's transaction). */
export async function findHandoffSubjects(db: DbOrTx, handoffIds: number[]) {
  if (handoffIds.length === 0) return [];
  return db
    .select({ handoff: handoffs, lead: leads })
    .from(handoffs)
    .innerJoin(leads, eq(leads.id, handoffs.leadId))
    .where(inArray(handoffs.id, handoffIds));
}

export async function findLeadRow(db: DbOrTx, leadId: number) {
  const [row] = await db.select().from(leads).where(eq(leads.id, leadId));
  return row;
}
