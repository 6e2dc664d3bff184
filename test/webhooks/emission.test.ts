/*
 * Every change the CRM hears of is written to the webhook outbox in the transaction that makes it: one delivery
 * per configured URL, the body a valid event, once per change however often it is replayed.
 */
import { describe, expect, it } from 'vitest';
import { drain, handoffsOf, qualifyLead, rows } from '../../harness/handoff.js';
import { applyHandoffAction, type HandoffCommand } from '../../src/handoff/service.js';
import { runSlaSweep } from '../../src/sla/sweep.js';
import { webhookEvent, type WebhookEvent } from '../../src/webhooks/events.js';
import { useTestApp } from '../helpers/use-test-app.js';

const URLS = ['http://127.0.0.1:9/crm-a', 'http://127.0.0.1:9/crm-b'];
const start = Date.parse('2026-11-23T10:00:00Z');
let clock = new Date(start);
const at = (minutes: number) => new Date(start + minutes * 60_000);

const app = useTestApp({
  now: () => clock,
  resetBeforeEach: true,
  env: { WEBHOOK_URL: URLS.join(','), WEBHOOK_SECRET: 'webhook-secret-0123456789', CLAIM_SLA: '15m', DECISION_SLA: '1h' },
});

/** The events written for the first URL, oldest first, each checked against the published schema. */
async function events(): Promise<WebhookEvent[]> {
  const written = await rows(app.database, `select body from webhook_deliveries where endpoint = '${URLS[0]}' order by id`);
  return written.map((r) => webhookEvent.parse(JSON.parse(r.body as string)) as WebhookEvent);
}

async function postedLead(externalId: string) {
  clock = at(0);
  const lead = await qualifyLead(app.t, externalId);
  await drain(app.t, clock);
  const [handoff] = await handoffsOf(app.database, lead.id);
  return Number(handoff!.id);
}

function act(handoffId: number, userId: string, command: HandoffCommand, minutes: number) {
  clock = at(minutes);
  return applyHandoffAction(app.t.app.deps, { handoffId, actor: { userId, isManager: userId === 'UMANAGER' }, command, now: clock });
}

describe('webhook events written with each change', () => {
  it('writes lead.qualified and each handoff change once per URL, in order, with the state after the change', async () => {
    const id = await postedLead('w1');
    await act(id, 'UREP1', { action: 'claim' }, 2);
    await act(id, 'UREP1', { action: 'release' }, 3);
    await act(id, 'UREP2', { action: 'claim' }, 4);
    await act(id, 'UMANAGER', { action: 'reassign', to: 'UREP3' }, 5);
    await act(id, 'UREP3', { action: 'reject', reason: 'no_budget', note: 'next year' }, 6);

    const written = await events();
    expect(written.map((e) => e.type)).toEqual([
      'lead.qualified',
      'handoff.claimed',
      'handoff.released',
      'handoff.claimed',
      'handoff.reassigned',
      'handoff.rejected',
    ]);
    expect(new Set(written.map((e) => e.id)).size).toBe(6);
    const [qualified, claimed, released, , reassigned, rejected] = written;
    expect(qualified!.data).toMatchObject({ lead: { source: 'web', externalId: 'w1', stage: 'mql' }, handoff: { id, state: 'unclaimed' } });
    expect(claimed).toMatchObject({
      occurredAt: at(2).toISOString(),
      data: { actor: 'UREP1', previousOwner: null, handoff: { state: 'claimed', claimedBy: 'UREP1' }, lead: { stage: 'claimed' } },
    });
    expect(released!.data).toMatchObject({ actor: 'UREP1', previousOwner: 'UREP1', handoff: { state: 'unclaimed', claimedBy: null } });
    expect(reassigned!.data).toMatchObject({ actor: 'UMANAGER', previousOwner: 'UREP2', handoff: { claimedBy: 'UREP3' } });
    expect(rejected!.data).toMatchObject({
      previousOwner: 'UREP3',
      handoff: { state: 'rejected', decision: 'rejected', reasonCode: 'no_budget', note: 'next year', decidedBy: 'UREP3' },
      lead: { stage: 'nurture' },
    });
    // Each change's version is higher than the one before: a CRM can drop a state older than one it has.
    const versions = written.slice(1).map((e) => ('handoff' in e.data ? e.data.handoff.version : 0));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));

    // The same events, with the same ids and bodies, for the other URL.
    const bodies = await rows(app.database, `select endpoint, event_id, body from webhook_deliveries order by id`);
    const byUrl = (url: string) => bodies.filter((b) => b.endpoint === url).map((b) => [b.event_id, b.body]);
    expect(byUrl(URLS[1]!)).toEqual(byUrl(URLS[0]!));
  });

  it('writes handoff.accepted, and nothing for a refused action', async () => {
    const id = await postedLead('w2');
    await act(id, 'UREP1', { action: 'claim' }, 1);
    expect((await act(id, 'UREP2', { action: 'claim' }, 2)).ok).toBe(false);
    expect((await act(id, 'UREP2', { action: 'accept' }, 2)).ok).toBe(false);
    await act(id, 'UREP1', { action: 'accept' }, 3);
    const written = await events();
    expect(written.map((e) => e.type)).toEqual(['lead.qualified', 'handoff.claimed', 'handoff.accepted']);
    expect(written[2]!.data).toMatchObject({
      actor: 'UREP1',
      handoff: { state: 'accepted', decidedAt: at(3).toISOString() },
      lead: { stage: 'accepted' },
    });
  });

  it('writes sla.breached once per SLA clock, however many sweeps see it past', async () => {
    const id = await postedLead('w3');
    for (const minute of [16, 17, 40]) await runSlaSweep(app.t.app.deps, at(minute));
    await act(id, 'UREP1', { action: 'claim' }, 41);
    for (const minute of [41 + 61, 41 + 62]) await runSlaSweep(app.t.app.deps, at(minute));
    const breaches = (await events()).filter((e) => e.type === 'sla.breached');
    expect(breaches.map((e) => e.data)).toEqual([
      expect.objectContaining({ sla: 'claim', limitMs: 15 * 60_000, waitedMs: 16 * 60_000, owner: null }),
      expect.objectContaining({ sla: 'decision', limitMs: 3_600_000, waitedMs: 61 * 60_000, owner: 'UREP1' }),
    ]);
    expect(breaches[0]!.occurredAt).toBe(at(16).toISOString());
  });
});

describe('without WEBHOOK_URL', () => {
  const plain = useTestApp({ resetBeforeEach: true });
  it('writes no deliveries', async () => {
    const lead = await qualifyLead(plain.t, 'w4');
    const [handoff] = await handoffsOf(plain.database, lead.id);
    await applyHandoffAction(plain.t.app.deps, {
      handoffId: Number(handoff!.id),
      actor: { userId: 'UREP1', isManager: false },
      command: { action: 'claim' },
      now: new Date(),
    });
    expect(await rows(plain.database, 'select count(*)::int as n from webhook_deliveries')).toEqual([{ n: 0 }]);
    expect(await rows(plain.database, 'select count(*)::int as n from audit_log')).not.toEqual([{ n: 0 }]);
  });
});
