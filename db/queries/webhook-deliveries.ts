import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../client.js';
import { webhookDeliveries, webhookEndpoints } from '../schema.js';

export interface LeasedDelivery {
  id: number;
  endpoint: string;
  eventId: string;
  type: string;
  leadId: number;
  body: string;
  /** Including this attempt. */
  attempts: number;
  createdAt: Date;
}

const iso = (at: Date) => sql`${at.toISOString()}::timestamptz`;

/**
 * Takes up to `limit` due deliveries to `endpoint` for this worker, if it is active and has not asked us to slow
 * down, and only the oldest one still pending of each lead: a lead's events go out in order, even with
 * replicas side by side (`SKIP LOCKED`). The lease (a later next_attempt_at) keeps others off them while they
 * are sent outside any transaction; it lapses only if this worker died.
 */
export async function leaseDueDeliveries(
  db: DbOrTx,
  endpoint: string,
  now: Date,
  limit: number,
  leaseMs: number,
): Promise<LeasedDelivery[]> {
  const rows = await queryRows<{
    id: string | number;
    endpoint: string;
    event_id: string;
    type: string;
    lead_id: string | number;
    body: string;
    attempts: number;
    created_at: string | Date;
  }>(
    db,
    sql`with due as (
          select d.id from webhook_deliveries d
          join webhook_endpoints w on w.url = d.endpoint and w.active and (w.paused_until is null or w.paused_until <= ${iso(now)})
          where d.endpoint = ${endpoint} and d.delivered_at is null and d.failed_at is null and d.next_attempt_at <= ${iso(now)}
            and not exists (
              select 1 from webhook_deliveries e
              where e.endpoint = d.endpoint and e.lead_id = d.lead_id and e.id < d.id and e.delivered_at is null and e.failed_at is null)
          order by d.id limit ${limit} for update of d skip locked)
        update webhook_deliveries d set next_attempt_at = ${iso(new Date(now.getTime() + leaseMs))}, attempts = d.attempts + 1
        from due where d.id = due.id
        returning d.id, d.endpoint, d.event_id, d.type, d.lead_id, d.body, d.attempts, d.created_at`,
  );
  return rows
    .map((r) => ({
      id: Number(r.id),
      endpoint: r.endpoint,
      eventId: r.event_id,
      type: r.type,
      leadId: Number(r.lead_id),
      body: r.body,
      attempts: r.attempts,
      createdAt: new Date(r.created_at),
    }))
    .sort((a, b) => a.id - b.id);
}

export async function markDelivered(db: DbOrTx, id: number, status: number, at: Date): Promise<void> {
  await db.update(webhookDeliveries).set({ deliveredAt: at, lastStatus: status, lastError: null }).where(eq(webhookDeliveries.id, id));
}

export async function scheduleDeliveryRetry(db: DbOrTx, id: number, at: Date, status: number | null, error: string): Promise<void> {
  await db.update(webhookDeliveries).set({ nextAttemptAt: at, lastStatus: status, lastError: error }).where(eq(webhookDeliveries.id, id));
}

/** Gives up on a delivery: the lead's later events no longer wait for it. */
export async function markDeliveryFailed(db: DbOrTx, id: number, at: Date, status: number | null, error: string): Promise<void> {
  await db.update(webhookDeliveries).set({ failedAt: at, lastStatus: status, lastError: error }).where(eq(webhookDeliveries.id, id));
}

/** Gives leased deliveries back untried (stopping, or the receiver asked us to slow down before we got to them). */
export async function returnDeliveries(db: DbOrTx, ids: number[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(webhookDeliveries)
    .set({ nextAttemptAt: at, attempts: sql`${webhookDeliveries.attempts} - 1` })
    .where(inArray(webhookDeliveries.id, ids));
}

/** Nothing is sent to the endpoint before `until` (its 429 Retry-After). */
export async function pauseEndpoint(db: DbOrTx, url: string, until: Date): Promise<void> {
  await db.update(webhookEndpoints).set({ pausedUntil: until }).where(eq(webhookEndpoints.url, url));
}

/** A delivery went through: the endpoint's run of failures ends. Says whether that run had been reported. */
export async function recordEndpointSuccess(db: DbOrTx, url: string, at: Date): Promise<{ wasReported: boolean }> {
  const [row] = await queryRows<{ was_reported: boolean }>(
    db,
    sql`with old as (select url, reported_at from webhook_endpoints where url = ${url} for update)
        update webhook_endpoints w set consecutive_failures = 0, failing_since = null, last_error = null,
          last_success_at = ${iso(at)}, reported_at = null
        from old where w.url = old.url
        returning old.reported_at is not null as was_reported`,
  );
  return { wasReported: row?.was_reported === true };
}

/**
 * A delivery failed: counts it in the endpoint's run of failures. Once the run is `failures` long or older than
 * `forMs`, it is marked reported, by exactly one caller (`report`), whatever the replicas.
 */
export async function recordEndpointFailure(
  db: DbOrTx,
  url: string,
  error: string,
  at: Date,
  reportAfter: { failures: number; forMs: number },
): Promise<{ report: boolean; failingSince: Date | null }> {
  const [row] = await queryRows<{ report: boolean; failing_since: string | Date | null }>(
    db,
    sql`with old as (select url, reported_at from webhook_endpoints where url = ${url} for update)
        update webhook_endpoints w set consecutive_failures = w.consecutive_failures + 1,
          failing_since = coalesce(w.failing_since, ${iso(at)}), last_error = ${error},
          reported_at = case
            when w.reported_at is null and (w.consecutive_failures + 1 >= ${reportAfter.failures}
              or coalesce(w.failing_since, ${iso(at)}) <= ${iso(new Date(at.getTime() - reportAfter.forMs))}) then ${iso(at)}
            else w.reported_at end
        from old where w.url = old.url
        returning old.reported_at is null and w.reported_at is not null as report, w.failing_since`,
  );
  return { report: row?.report === true, failingSince: row?.failing_since ? new Date(row.failing_since) : null };
}

const pending = and(isNull(webhookDeliveries.deliveredAt), isNull(webhookDeliveries.failedAt));

export async function countWaitingDeliveries(db: DbOrTx, url: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpoint, url), pending));
  return Number(row?.count ?? 0);
}

export interface EndpointHealthRow {
  url: string;
  failingSince: Date | null;
  lastError: string | null;
  reportedAt: Date | null;
  waiting: number;
}

/** The configured endpoints with how many deliveries wait for each (for /healthz). */
export async function activeEndpointHealth(db: DbOrTx): Promise<EndpointHealthRow[]> {
  const rows = await queryRows<{
    url: string;
    failing_since: string | Date | null;
    last_error: string | null;
    reported_at: string | Date | null;
    waiting: number;
  }>(
    db,
    sql`select w.url, w.failing_since, w.last_error, w.reported_at,
          (select count(*) from webhook_deliveries d
           where d.endpoint = w.url and d.delivered_at is null and d.failed_at is null)::int as waiting
        from webhook_endpoints w where w.active order by w.url`,
  );
  const date = (value: string | Date | null) => (value === null ? null : new Date(value));
  return rows.map((r) => ({
    url: r.url,
    failingSince: date(r.failing_since),
    lastError: r.last_error,
    reportedAt: date(r.reported_at),
    waiting: Number(r.waiting),
  }));
}

/** Figures for the metrics: configured endpoints reported failing, and deliveries waiting for configured endpoints. */
export async function webhookFigures(db: DbOrTx): Promise<{ failing: number; pending: number }> {
  const rows = await activeEndpointHealth(db);
  return {
    failing: rows.filter((r) => r.reportedAt !== null).length,
    pending: rows.reduce((n, r) => n + r.waiting, 0),
  };
}
