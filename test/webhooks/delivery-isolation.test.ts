/*
 * Each URL goes on its own: one that hangs does not hold up another's deliveries. And each batch of a long pass
 * is leased at the time it is taken, so its lease runs a full lease from then (another replica keeps off it).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type DbOrTx } from '../../db/client.js';
import { syncWebhookEndpoints } from '../../db/queries/webhooks.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { deliverWebhooks, leaseMs, startWebhookLoop } from '../../src/webhooks/worker.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

const SECRET = 'webhook-secret-0123456789';
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

/** Due deliveries of leads `from`…`to` (one event each) to `url`, written a second before `at`. */
function queueEvents(db: DbOrTx, url: string, from: number, to: number, at: Date) {
  const written = new Date(at.getTime() - 1000).toISOString();
  return queryRows(
    db,
    sql`insert into webhook_deliveries (endpoint, event_id, event_key, type, lead_id, body, created_at, next_attempt_at)
        select ${url}, ${url} || g, ${url} || g, 'lead.qualified', g, '{"n":' || g || '}', ${written}::timestamptz, ${written}::timestamptz
        from generate_series(${from}::int, ${to}::int) g`,
  );
}

const depsFor = (urls: string[], timeoutMs: number) => ({
  db: database.db,
  logger: createLogger('silent'),
  metrics: createMetrics(),
  config: { urls, secret: SECRET, timeoutMs, retryForMs: 3 * 86_400_000 },
});

describe('webhook delivery, URL by URL', () => {
  it('delivers to a healthy URL at once while another URL hangs with a backlog', async () => {
    const good = await startWebhookReceiver();
    const bad = await startWebhookReceiver();
    bad.script(() => 'hang');
    const deps = depsFor([good.url, bad.url], 1000);
    await syncWebhookEndpoints(database.db, deps.config.urls);
    await queueEvents(database.db, bad.url, 1, 64, new Date());
    const loop = startWebhookLoop(deps, () => new Date());
    while (bad.calls.length < 8) await new Promise((r) => setTimeout(r, 20));
    const queuedAt = performance.now();
    await queueEvents(database.db, good.url, 1000, 1000, new Date());
    loop.wake();
    while (good.calls.length < 1) await new Promise((r) => setTimeout(r, 20));
    // Before the hanging URL's first requests even time out (1 s): it holds up only itself.
    expect(performance.now() - queuedAt).toBeLessThan(1000);
    await loop.stop();
    await good.close();
    await bad.close();
  });

  it('leases each batch of a long pass at the time it is taken', async () => {
    const receiver = await startWebhookReceiver();
    const deps = depsFor([receiver.url], 10_000);
    await syncWebhookEndpoints(database.db, deps.config.urls);
    const start = new Date('2026-11-23T10:00:00Z');
    await queueEvents(database.db, receiver.url, 1, 128, start);
    // The first batch (64 leads, 8 at a time) takes 8 × 150 ms; the second batch's first requests are watched.
    let secondBatchLease: Date | null = null;
    receiver.script((n) => {
      if (n <= 64) return { status: 200, delayMs: 150 };
      if (n === 65) {
        void queryRows<{ at: string }>(
          database.db,
          sql`select max(next_attempt_at)::text as at from webhook_deliveries where endpoint = ${receiver.url} and delivered_at is null`,
        ).then(([row]) => (secondBatchLease = new Date(row!.at)));
      }
      return undefined;
    });
    expect(await deliverWebhooks(deps, start)).toEqual({ delivered: 128, retried: 0, failed: 0 });
    expect(secondBatchLease).not.toBeNull();
    // Leased a second or more into the pass: its lease ends that much later than one taken at the start would.
    expect(secondBatchLease!.getTime()).toBeGreaterThanOrEqual(start.getTime() + 1000 + leaseMs(10_000));
    await receiver.close();
  });
});
