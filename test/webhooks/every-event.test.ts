/*
 * Every event type reaches the CRM through the running bot, from the surfaces people use: the lead API, clicks
 * and modals in Slack, the SLA sweep and the outcome API. Each arrives once, signed, within seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverWebhooks, eventually, handoffsOf, qualifyLead, rows } from '../../harness/handoff.js';
import { runSlaSweep } from '../../src/sla/sweep.js';
import { WEBHOOK_EVENT_TYPES, webhookEvent } from '../../src/webhooks/events.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { startWebhookReceiver, verifyMqlWebhook, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const SECRET = 'webhook-secret-0123456789';
let receiver: WebhookReceiver;
const env: Record<string, string> = { WEBHOOK_SECRET: SECRET, CLAIM_SLA: '15m' };
// The receiver listens before the app reads WEBHOOK_URL: this hook runs before useTestApp's.
beforeAll(async () => {
  receiver = await startWebhookReceiver();
  env.WEBHOOK_URL = receiver.url;
});
afterAll(() => receiver.close());
const app = useTestApp({ env });

const received = () => receiver.accepted().map((call) => ({ call, event: webhookEvent.parse(JSON.parse(call.body)) }));
const typesReceived = () => received().map((r) => r.event.type);

async function handoffOf(externalId: string) {
  const lead = await qualifyLead(app.t, externalId, {}, new Date().toISOString());
  const [handoff] = await handoffsOf(app.database, lead.id);
  return String(handoff!.id);
}

async function until(handoffId: string, column: string, value: unknown) {
  await eventually(
    () => rows(app.database, `select ${column} as v from handoffs where id = ${handoffId}`),
    (r) => r[0]?.v === value,
  );
}

describe('every event type, end to end', () => {
  it('delivers lead.qualified, handoff.*, sla.breached and lead.outcome once each, verifiable', async () => {
    app.t.app.startWorkers();
    const first = await handoffOf('e2e-1');
    await app.t.click('mql_claim', first, 'UREP1');
    await until(first, 'claimed_by', 'UREP1');
    await app.t.click('mql_release', first, 'UREP1');
    await until(first, 'claimed_by', null);
    await app.t.click('mql_claim', first, 'UREP2');
    await until(first, 'claimed_by', 'UREP2');
    await app.t.submit('mql_reassign_modal', first, { assignee: { assignee: { selected_user: 'UREP3' } } }, 'UMANAGER');
    await until(first, 'claimed_by', 'UREP3');
    await app.t.submit(
      'mql_reject_modal',
      first,
      { reason: { reason: { selected_option: { value: 'no_timing' } } }, note: { note: { value: 'Q3' } } },
      'UREP3',
    );
    await until(first, 'decision', 'rejected');

    const second = await handoffOf('e2e-2');
    await app.t.click('mql_claim', second, 'UREP1');
    await until(second, 'claimed_by', 'UREP1');
    await app.t.click('mql_accept', second, 'UREP1');
    await until(second, 'decision', 'accepted');
    const outcome = await app.t.api('/api/leads/e2e-2/outcome?source=web', { stage: 'won', amount: 9000, currency: 'EUR' });
    expect(outcome.status).toBe(200);

    // A third lead, posted now, is past its claim SLA 16 minutes from now.
    const third = await handoffOf('e2e-3');
    await eventually(
      () => rows(app.database, `select posted_at from handoffs where id = ${third}`),
      (r) => r[0]?.posted_at !== null,
    );
    // The sweep runs 16 minutes ahead, so its event is due then: sent by hand at that time, the rest by the running bot.
    // The rest first: a delivery the bot leased now would look abandoned 16 minutes ahead, and be sent again by hand.
    await eventually(typesReceived, (types) => types.length >= 11, 10_000);
    const later = new Date(Date.now() + 16 * 60_000);
    await runSlaSweep(app.t.app.deps, later);
    await deliverWebhooks(app.t, later);

    await eventually(typesReceived, (types) => types.length >= 12, 10_000);
    expect([...new Set(typesReceived())].sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    const events = received();
    expect(events).toHaveLength(12);
    expect(new Set(events.map((e) => e.event.id)).size).toBe(12);
    for (const { call, event } of events) {
      const signedAt = event.type === 'sla.breached' ? later : new Date();
      expect(verifyMqlWebhook(SECRET, call.body, call.headers, signedAt.getTime() / 1000)).toBe(true);
      expect(call.headers['idempotency-key']).toBe(event.id);
    }
    const ofLead = (externalId: string) => events.filter((e) => e.event.data.lead.externalId === externalId).map((e) => e.event.type);
    expect(ofLead('e2e-1')).toEqual([
      'lead.qualified',
      'handoff.claimed',
      'handoff.released',
      'handoff.claimed',
      'handoff.reassigned',
      'handoff.rejected',
    ]);
    expect(ofLead('e2e-2')).toEqual(['lead.qualified', 'handoff.claimed', 'handoff.accepted', 'lead.outcome']);
    expect(ofLead('e2e-3')).toEqual(['lead.qualified', 'sla.breached']);
  });
});
