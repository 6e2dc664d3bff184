/*
 * Webhooks reach a real local receiver: signed so the README's few lines verify them, each event once, and each
 * lead's events in the order they happened, even when the receiver fails every 3rd call and slows us down every 5th.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverAllWebhooks, deliverWebhooks, drain, handoffsOf, qualifyLead, rows } from '../../harness/handoff.js';
import { startTestApp } from '../../harness/app.js';
import { applyHandoffAction, type HandoffCommand } from '../../src/handoff/service.js';
import { webhookEvent } from '../../src/webhooks/events.js';
import { createTestDatabase } from '../helpers/db.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { flaky, startWebhookReceiver, verifyMqlWebhook, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const SECRET = 'webhook-secret-0123456789';
const start = Date.parse('2026-11-23T10:00:00Z');
let clock = new Date(start);

let receiver: WebhookReceiver;
// The receiver listens before the app starts (and reads WEBHOOK_URL): this hook runs before useTestApp's.
const env: Record<string, string> = { WEBHOOK_SECRET: SECRET };
beforeAll(async () => {
  receiver = await startWebhookReceiver();
  env.WEBHOOK_URL = receiver.url;
});
afterAll(() => receiver.close());
const app = useTestApp({ env, now: () => clock, resetBeforeEach: true });

async function postedLead(externalId: string) {
  const lead = await qualifyLead(app.t, externalId);
  await drain(app.t, clock);
  const [handoff] = await handoffsOf(app.database, lead.id);
  return Number(handoff!.id);
}

function act(handoffId: number, userId: string, command: HandoffCommand) {
  clock = new Date(clock.getTime() + 1000);
  return applyHandoffAction(app.t.app.deps, { handoffId, actor: { userId, isManager: userId === 'UMANAGER' }, command, now: clock });
}

/** Event ids per lead (by external id) in the order given. */
function byLead(events: Array<{ id: string; data: any }>) {
  const leads = new Map<string, string[]>();
  for (const e of events) leads.set(e.data.lead.externalId, [...(leads.get(e.data.lead.externalId) ?? []), e.id]);
  return leads;
}

async function written() {
  const stored = await rows(app.database, 'select body from webhook_deliveries order by id');
  return stored.map((r) => JSON.parse(r.body as string) as { id: string; type: string; data: any });
}

describe('webhook delivery', () => {
  it('posts each event once, with the stored body, verifiable with the README recipe', async () => {
    clock = new Date(start);
    receiver.reset();
    const id = await postedLead('d1');
    await act(id, 'UREP1', { action: 'claim' });
    await act(id, 'UREP1', { action: 'accept' });

    expect(await deliverWebhooks(app.t, clock)).toEqual({ delivered: 3, retried: 0, failed: 0 });

    const stored = await rows(app.database, 'select event_id, type, body, attempts, delivered_at from webhook_deliveries order by id');
    const calls = receiver.accepted();
    expect(calls.map((c) => c.body)).toEqual(stored.map((r) => r.body));
    expect(calls.map((c) => c.headers['x-mql-event-type'])).toEqual(['lead.qualified', 'handoff.claimed', 'handoff.accepted']);
    for (const [i, call] of calls.entries()) {
      expect(verifyMqlWebhook(SECRET, call.body, call.headers, clock.getTime() / 1000)).toBe(true);
      expect(verifyMqlWebhook('not-the-secret-0123456789', call.body, call.headers, clock.getTime() / 1000)).toBe(false);
      const event = webhookEvent.parse(JSON.parse(call.body));
      expect(call.headers).toMatchObject({
        'content-type': 'application/json',
        'user-agent': 'mql-handoff-bot',
        'idempotency-key': event.id,
        'x-mql-event-id': event.id,
      });
      expect(stored[i]).toMatchObject({ event_id: event.id, attempts: 1 });
      expect(stored[i]!.delivered_at).not.toBeNull();
    }

    // Nothing is sent twice: a second pass finds nothing due.
    expect(await deliverWebhooks(app.t, new Date(clock.getTime() + 3_600_000))).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(receiver.calls).toHaveLength(3);
    const metrics = (await app.t.api('/metrics')).body as string;
    expect(metrics).toContain('mql_webhook_deliveries_total{result="delivered"} 3');
    expect(metrics).toContain('mql_webhook_delivery_latency_seconds_count 3');
    expect(metrics).toContain('mql_webhook_pending_deliveries 0');
  });

  it("keeps each lead's order and delivers every event exactly once when the receiver fails every 3rd call and answers 429 every 5th", async () => {
    clock = new Date(start);
    receiver.reset();
    const ids = [];
    for (let i = 0; i < 12; i++) ids.push(await postedLead(`order-${i}`));
    // Interleaved across leads, as reps work side by side: claim, then each lead's own path.
    const paths: HandoffCommand[][] = [
      [{ action: 'claim' }, { action: 'accept' }],
      [{ action: 'claim' }, { action: 'reject', reason: 'no_budget', note: 'next year' }],
      [{ action: 'claim' }, { action: 'release' }, { action: 'claim' }, { action: 'accept' }],
    ];
    for (let step = 0; step < 4; step++) {
      for (const [i, id] of ids.entries()) {
        const command = paths[i % paths.length]![step];
        if (command) await act(id, 'UREP1', command);
      }
    }
    receiver.script(flaky(3, 5, '2'));

    await deliverAllWebhooks(app.t, app.database, clock, { stepMs: 1000, passes: 400 });

    const events = await written();
    expect(events).toHaveLength(12 + 4 * 2 + 4 * 2 + 4 * 4);
    const received = receiver.events();
    // Exactly once each (the receiver saw failures and 429s, so retries happened)…
    expect(received.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
    expect(receiver.calls.filter((c) => c.status === 500).length).toBeGreaterThan(0);
    expect(receiver.calls.filter((c) => c.status === 429).length).toBeGreaterThan(0);
    // …and in order per lead.
    expect(byLead(received)).toEqual(byLead(events));
    // After a 429 with Retry-After: 2, nothing was sent in the next second.
    const stamps = receiver.calls.map((c) => Number(c.headers['x-mql-timestamp']));
    for (const slowed of receiver.calls.filter((c) => c.status === 429)) {
      const at = Number(slowed.headers['x-mql-timestamp']);
      expect(stamps.filter((s) => s === at + 1)).toEqual([]);
    }
    const metrics = (await app.t.api('/metrics')).body as string;
    expect(metrics).toMatch(/mql_webhook_deliveries_total\{result="retried"\} [1-9]/);
  });
});

describe('without WEBHOOK_URL', () => {
  it('writes no deliveries and /healthz lists no webhooks', async () => {
    const database = await createTestDatabase();
    const t = await startTestApp(database);
    try {
      const lead = await qualifyLead(t, 'quiet');
      const [handoff] = await handoffsOf(database, lead.id);
      await applyHandoffAction(t.app.deps, {
        handoffId: Number(handoff!.id),
        actor: { userId: 'UREP1', isManager: false },
        command: { action: 'claim' },
        now: new Date(),
      });
      expect(await rows(database, 'select * from webhook_deliveries')).toEqual([]);
      expect((await t.api('/healthz')).body).not.toHaveProperty('webhooks');
    } finally {
      await t.stop();
      await database.close();
    }
  });
});
