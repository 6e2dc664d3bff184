import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../db/client.js';
import { drainOutbox } from '../src/outbox/worker.js';
import type { TestApp } from './app.js';

/** Sends what the app has queued for Slack, as the worker would at `now`: with the app's own outbox wiring (its senders). */
export function drain(t: TestApp, now: Date) {
  return drainOutbox(t.app.outbox, now);
}

/** Delivers due webhooks at `now`, as the webhook worker would. */
export function deliverWebhooks(t: TestApp, now: Date) {
  return t.app.deliverWebhooks(now);
}

/**
 * Delivers webhooks until none waits, moving the clock on by `stepMs` before each pass (past backoffs and
 * Retry-After pauses); throws after `passes`. Returns the clock it ended at.
 */
export async function deliverAllWebhooks(t: TestApp, database: Database, from: Date, { stepMs = 10 * 60_000, passes = 60 } = {}) {
  let now = from;
  for (let pass = 0; pass < passes; pass++) {
    await t.app.deliverWebhooks(now);
    const [waiting] = await rows(
      database,
      'select count(*)::int as n from webhook_deliveries where delivered_at is null and failed_at is null',
    );
    if (Number(waiting!.n) === 0) return now;
    now = new Date(now.getTime() + stepMs);
  }
  throw new Error(`webhook deliveries still waiting after ${passes} passes`);
}

/** Runs a router pass at `now`, as the router's loop would: offers that ran out go on, due offers are made. */
export function route(t: TestApp, now: Date) {
  return t.app.runRouter(now);
}

/** Posts a lead that qualifies on the default criteria (a form submission is worth the threshold). */
export async function qualifyLead(
  t: TestApp,
  externalId: string,
  extra: Record<string, unknown> = {},
  occurredAt = '2026-11-23T09:00:00Z',
) {
  const res = await t.api('/api/leads', {
    source: 'web',
    externalId,
    name: `Lead ${externalId}`,
    company: 'Acme',
    events: [{ type: 'form_submit', occurredAt }],
    ...extra,
  });
  if (res.status !== 200) throw new Error(`qualifying ${externalId} failed: ${JSON.stringify(res.body)}`);
  return res.body.leads[0] as { id: number; stage: string; queuedForSales: boolean };
}

export async function handoffsOf(database: Database, leadId: number) {
  return queryRows<Record<string, any>>(database.db, sql`select * from handoffs where lead_id = ${leadId} order by qualification`);
}

export async function rows(database: Database, query: string) {
  return queryRows<Record<string, any>>(database.db, sql.raw(query));
}

/** Waits for an effect of work done after a listener acked. */
export async function eventually<T>(probe: () => Promise<T> | T, ok: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
