/*
 * A URL that keeps failing is reported once (log line, /healthz degraded, metric) without its secret, its
 * deliveries wait, and they all go out in order when it recovers. One that fails past WEBHOOK_RETRY_FOR is
 * given up on, logged, and the lead's later events go on.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../harness/app.js';
import { deliverAllWebhooks, deliverWebhooks, handoffsOf, qualifyLead, rows } from '../../harness/handoff.js';
import { applyHandoffAction } from '../../src/handoff/service.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const TOKEN = 'tok-s3cret-in-query';
let crm: WebhookReceiver;
/** The second URL's receiver is down (connection refused) until the test starts it on this port. */
let downPort = 0;
let down: WebhookReceiver | undefined;
const { logger, lines } = captureLogs();
const env: Record<string, string> = { WEBHOOK_SECRET: 'webhook-secret-0123456789', WEBHOOK_RETRY_FOR: '1h' };
beforeAll(async () => {
  crm = await startWebhookReceiver();
  downPort = await freePort();
  env.WEBHOOK_URL = `${crm.url}?token=${TOKEN},http://127.0.0.1:${downPort}/down`;
});
afterAll(async () => {
  await crm.close();
  await down?.close();
});
const app = useTestApp({ env, logger });

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function leadWithEvents(externalId: string, now: Date) {
  const lead = await qualifyLead(app.t, externalId);
  const [handoff] = await handoffsOf(app.database, lead.id);
  const actor = { userId: 'UREP1', isManager: false };
  await applyHandoffAction(app.t.app.deps, { handoffId: Number(handoff!.id), actor, command: { action: 'claim' }, now });
  await applyHandoffAction(app.t.app.deps, { handoffId: Number(handoff!.id), actor, command: { action: 'accept' }, now });
}

/** Event ids per lead, in the order given: the order that must hold (leads interleave freely). */
function byLead(events: Array<{ id: string; data: { lead: { externalId: string } } }>) {
  const leads = new Map<string, string[]>();
  for (const e of events) leads.set(e.data.lead.externalId, [...(leads.get(e.data.lead.externalId) ?? []), e.id]);
  return leads;
}

const messages = (level: number, pattern: RegExp) => lines.filter((l) => l.level === level && pattern.test(l.msg)).map((l) => l.msg);

describe('a failing webhook URL', () => {
  it('is reported once, degraded not down, and recovers with every event delivered in order', async () => {
    crm.script(() => ({ status: 404 }));
    let now = new Date();
    for (const id of ['h1', 'h2', 'h3']) await leadWithEvents(id, now);
    for (let pass = 0; pass < 12; pass++) {
      now = new Date(now.getTime() + 10_000);
      await deliverWebhooks(app.t, now);
    }

    const health = await app.t.api('/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'degraded', database: 'ok' });
    expect(health.body.webhooks).toHaveLength(2);
    expect(health.body.webhooks).toEqual(
      expect.arrayContaining([
        { url: crm.url, status: 'failing', failingSince: expect.any(String), lastError: 'HTTP 404', waiting: 9 },
        {
          url: `http://127.0.0.1:${downPort}/down`,
          status: 'failing',
          failingSince: expect.any(String),
          lastError: 'request failed (ECONNREFUSED)',
          waiting: 9,
        },
      ]),
    );
    const metrics = (await app.t.api('/metrics')).body as string;
    expect(metrics).toContain('mql_webhook_failing_endpoints 2');
    expect(metrics).toContain('mql_webhook_pending_deliveries 18');
    // One line per URL for the whole run of failures, naming it without its token.
    expect(messages(40, /^webhook URL/).sort()).toEqual(
      [
        `webhook URL ${crm.url} is failing (HTTP 404); 9 deliveries waiting, retried with backoff for up to WEBHOOK_RETRY_FOR`,
        `webhook URL http://127.0.0.1:${downPort}/down is failing (request failed (ECONNREFUSED)); 9 deliveries waiting, retried with backoff for up to WEBHOOK_RETRY_FOR`,
      ].sort(),
    );
    expect(JSON.stringify(lines) + JSON.stringify(health.body) + metrics).not.toContain(TOKEN);

    crm.script(() => undefined);
    down = await startWebhookReceiver('/down', downPort);
    const sent = Date.now();
    await deliverAllWebhooks(app.t, app.database, now, { stepMs: 60_000 });

    // Said once per URL, after its first batch went through (how many still wait depends on which were due then).
    const recovered = messages(30, /recovered/).sort();
    expect(recovered).toHaveLength(2);
    expect(recovered.map((line) => line.replace(/\d+ deliveries waiting$/, 'N deliveries waiting'))).toEqual(
      [
        `webhook URL ${crm.url} recovered; N deliveries waiting`,
        `webhook URL http://127.0.0.1:${downPort}/down recovered; N deliveries waiting`,
      ].sort(),
    );
    const written = await rows(app.database, `select body from webhook_deliveries where endpoint like '%/down' order by id`);
    const expected = byLead(written.map((r) => JSON.parse(r.body as string)));
    for (const receiver of [crm, down]) {
      expect(byLead(receiver.events())).toEqual(expected);
      for (const call of receiver.accepted())
        expect(Number(call.headers['x-mql-timestamp'])).toBeGreaterThanOrEqual(Math.floor(sent / 1000));
    }
    const after = await app.t.api('/healthz');
    expect(after.body).toMatchObject({
      status: 'ok',
      webhooks: [
        { status: 'ok', waiting: 0 },
        { status: 'ok', waiting: 0 },
      ],
    });
    expect(messages(40, /^webhook URL/)).toHaveLength(2);
  });

  it('gives up on an event still refused after WEBHOOK_RETRY_FOR, says so once, and sends the lead’s later events', async () => {
    crm.reset();
    down!.reset();
    lines.length = 0;
    // The receiver refuses lead.qualified for good (e.g. it rejects that type), and takes the rest.
    crm.script((_n, call) => (call.headers['x-mql-event-type'] === 'lead.qualified' ? { status: 422 } : undefined));
    const start = new Date();
    await leadWithEvents('g1', start);
    await deliverAllWebhooks(app.t, app.database, start, { stepMs: 10 * 60_000 });

    const crmRows = await rows(
      app.database,
      `select type, event_id, failed_at, delivered_at, last_status from webhook_deliveries where endpoint not like '%/down' and delivered_at is null`,
    );
    expect(crmRows).toEqual([
      { type: 'lead.qualified', event_id: expect.any(String), failed_at: expect.anything(), delivered_at: null, last_status: 422 },
    ]);
    expect(crm.events().map((e) => e.type)).toEqual(['handoff.claimed', 'handoff.accepted']);
    expect(messages(50, /gave up/)).toEqual([
      `gave up delivering lead.qualified event ${crmRows[0]!.event_id} to ${crm.url} after WEBHOOK_RETRY_FOR (HTTP 422); the lead's later events go on`,
    ]);
    expect((await app.t.api('/metrics')).body).toContain('mql_webhook_deliveries_total{result="failed"} 1');
  });
});
