/*
 * Nothing is lost across a restart: deliveries a stopped (or crashed) app had leased or not yet sent go out
 * from the next app on the same database, once each and in order per lead. (A request in flight when a process
 * dies may reach the receiver and still be sent again: receivers dedupe by Idempotency-Key.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaseDueDeliveries } from '../../db/queries/webhook-deliveries.js';
import { deliverAllWebhooks, eventually, qualifyLead, rows } from '../../harness/handoff.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

let receiver: WebhookReceiver;
const env: Record<string, string> = { WEBHOOK_SECRET: 'webhook-secret-0123456789', WEBHOOK_TIMEOUT: '2s' };
beforeAll(async () => {
  receiver = await startWebhookReceiver();
  env.WEBHOOK_URL = receiver.url;
});
afterAll(() => receiver.close());
const app = useTestApp({ env, resetBeforeEach: true });

async function qualifyMany(prefix: string, count: number) {
  for (let i = 0; i < count; i++) await qualifyLead(app.t, `${prefix}-${i}`, { email: `${prefix}-${i}@example.com` });
}

async function expectAllDeliveredOnce() {
  const stored = await rows(app.database, 'select event_id, delivered_at from webhook_deliveries order by id');
  expect(stored.every((r) => r.delivered_at !== null)).toBe(true);
  expect(
    receiver
      .events()
      .map((e) => e.id)
      .sort(),
  ).toEqual(stored.map((r) => r.event_id as string).sort());
}

describe('webhook delivery across a restart', () => {
  it('delivers what a crashed worker had leased once its lease lapses, each event once', async () => {
    receiver.reset();
    await qualifyMany('crash', 6);
    // A worker leased these and died before sending them.
    const leased = await leaseDueDeliveries(app.database.db, receiver.url, new Date(), 3, 60_000);
    expect(leased).toHaveLength(3);

    await app.restart();
    // Before the lease lapses the new app leaves them alone…
    await app.t.app.deliverWebhooks(new Date());
    expect(receiver.events()).toHaveLength(3);
    // …after it, they go too.
    await deliverAllWebhooks(app.t, app.database, new Date(Date.now() + 61_000));
    await expectAllDeliveredOnce();
  });

  it('a stop mid-way finishes the requests in flight, gives the rest back, and the next app sends them', async () => {
    receiver.reset();
    receiver.script(() => ({ status: 200, delayMs: 40 }));
    await qualifyMany('stop', 40);
    app.t.app.startWorkers();
    await eventually(
      () => receiver.accepted().length,
      (n) => n >= 5,
    );

    await app.restart();
    const waiting = await rows(
      app.database,
      'select next_attempt_at from webhook_deliveries where delivered_at is null and failed_at is null',
    );
    expect(waiting.length).toBeGreaterThan(0);
    // Given back, not left leased: due at once for the next app.
    for (const row of waiting) expect(new Date(row.next_attempt_at).getTime()).toBeLessThanOrEqual(Date.now());
    expect(receiver.calls.every((c) => c.status !== null)).toBe(true);

    await deliverAllWebhooks(app.t, app.database, new Date());
    await expectAllDeliveredOnce();
  });

  it('stops at once while the receiver hangs, and gives the cut-off requests back, due at once', async () => {
    receiver.reset();
    receiver.script((n) => (n <= 3 ? 'hang' : undefined));
    await qualifyMany('hang', 3);
    app.t.app.startWorkers();
    await eventually(
      () => receiver.calls.length,
      (n) => n === 3,
    );
    const stopping = performance.now();
    await app.restart();
    // Well under WEBHOOK_TIMEOUT (2 s): a receiver that does not answer gets a second, then is cut off.
    expect(performance.now() - stopping).toBeLessThan(1500);
    const waiting = await rows(app.database, 'select attempts, next_attempt_at from webhook_deliveries where delivered_at is null');
    expect(waiting).toHaveLength(3);
    for (const row of waiting) {
      expect(row.attempts).toBe(0);
      expect(new Date(row.next_attempt_at).getTime()).toBeLessThanOrEqual(Date.now());
    }
    // The endpoint is not reported failing for it.
    expect(await rows(app.database, 'select consecutive_failures from webhook_endpoints')).toEqual([{ consecutive_failures: 0 }]);
    await deliverAllWebhooks(app.t, app.database, new Date());
    expect(await rows(app.database, 'select count(*)::int as n from webhook_deliveries where delivered_at is null')).toEqual([{ n: 0 }]);
  });
});
