/* POST /api/leads/:externalId/outcome: validation of every field, the 404, idempotency, the CRM stage, audit and webhook. */
import { beforeEach, describe, expect, it } from 'vitest';
import { findLeadByKey } from '../../db/queries/leads.js';
import { syncWebhookEndpoints } from '../../db/queries/webhooks.js';
import { rows } from '../../harness/handoff.js';
import { webhookEvent } from '../../src/webhooks/events.js';
import { useTestApp } from '../helpers/use-test-app.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const HOOK = 'http://127.0.0.1:9/hook';
const app = useTestApp({
  resetBeforeEach: true,
  now: () => NOW,
  env: { WEBHOOK_URL: HOOK, WEBHOOK_SECRET: '0123456789abcdef0123' },
});

beforeEach(async () => {
  // After the reset emptied webhook_endpoints: the endpoint is active as start-up makes it.
  await syncWebhookEndpoints(app.database.db, [HOOK]);
  const res = await app.t.api('/api/leads', {
    leads: [
      { source: 'web', externalId: 'ada' },
      { source: 'crm', externalId: 'bob' },
    ],
  });
  expect(res.status).toBe(200);
});

const send = (body: unknown, externalId = 'ada', source: string | null = 'web') =>
  app.t.api(`/api/leads/${encodeURIComponent(externalId)}/outcome${source === null ? '' : `?source=${encodeURIComponent(source)}`}`, body);
const count = async (table: string) => Number((await rows(app.database, `select count(*)::int as n from ${table}`))[0]!.n);
const crmStageOf = async (externalId: string) => {
  const lead = await findLeadByKey(app.database.db, 'web', externalId);
  return { crmStage: lead?.crmStage, crmStageAt: lead?.crmStageAt };
};
const written = async () => ({
  outcomes: await count('lead_outcomes'),
  audit: await count(`audit_log where action = 'lead.outcome'`),
  deliveries: await count('webhook_deliveries'),
});

describe('POST /api/leads/:externalId/outcome validation', () => {
  const refused: Array<[string, unknown, string, RegExp]> = [
    ['a missing stage', {}, 'stage', /one of opportunity, won, lost/],
    ['an unknown stage', { stage: 'closed_won' }, 'stage', /one of/],
    ['a negative amount', { stage: 'won', amount: -1, currency: 'EUR' }, 'amount', /negative/],
    ['an amount of 1e15', { stage: 'won', amount: 1e15, currency: 'EUR' }, 'amount', /less than/],
    ['three decimals', { stage: 'won', amount: 10.005, currency: 'EUR' }, 'amount', /2 decimals/],
    ['an amount as text', { stage: 'won', amount: '12.50', currency: 'EUR' }, 'amount', /number/],
    ['an amount without currency', { stage: 'won', amount: 100 }, 'currency', /required with an amount/],
    ['a made-up currency', { stage: 'won', amount: 100, currency: 'EUX' }, 'currency', /ISO 4217/],
    ['a currency of 4 letters', { stage: 'won', amount: 100, currency: 'EURO' }, 'currency', /ISO 4217/],
    ['a time without offset', { stage: 'won', occurredAt: '2026-11-20T10:00:00' }, 'occurredAt', /offset/],
    ['a time that is no time', { stage: 'won', occurredAt: 'yesterday' }, 'occurredAt', /ISO 8601/],
    ['a time in year 0 (UTC)', { stage: 'won', occurredAt: '0001-01-01T00:30:00+01:00' }, 'occurredAt', /1970 or later/],
    ['a time an hour ahead', { stage: 'won', occurredAt: '2026-11-23T11:00:00Z' }, 'occurredAt', /in the future.*clock skew/],
    ['a reason of 501 characters', { stage: 'lost', reason: 'x'.repeat(501) }, 'reason', /at most 500/],
    ['an unknown key (a typo)', { stage: 'won', ammount: 5 }, '(body)', /ammount/],
  ];
  it.each(refused)('refuses %s with the field named, writing nothing', async (_, body, path, message) => {
    const res = await send(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid outcome data; nothing was written');
    expect(res.body.fields).toContainEqual({ path, message: expect.stringMatching(message) });
    expect(await written()).toEqual({ outcomes: 0, audit: 0, deliveries: 0 });
  });

  it('refuses a missing or unstorable source in the query, and an externalId no lead can have', async () => {
    for (const source of [null, '', 'w%00b']) {
      const res = await app.t.api(`/api/leads/ada/outcome${source === null ? '' : `?source=${source}`}`, { stage: 'won' });
      expect(res.status).toBe(400);
      expect(res.body.fields[0].path).toBe('query.source');
    }
    const res = await send({ stage: 'won' }, 'x'.repeat(201));
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ path: 'externalId', message: 'must be at most 200 characters' }]);
  });

  it('answers 404 for an unknown lead, naming it', async () => {
    const res = await send({ stage: 'won' }, 'nobody');
    expect(res).toEqual({ status: 404, body: { error: 'no lead with source "web" and externalId "nobody"' } });
    expect((await send({ stage: 'won' }, 'ada', 'crm')).status).toBe(404);
  });

  it('needs the Bearer token', async () => {
    const res = await app.t.api('/api/leads/ada/outcome?source=web', { stage: 'won' }, { token: null });
    expect(res.status).toBe(401);
  });

  it('accepts the edges: amount 0 and just under 1e15, a lower-case currency (stored upper case), 5 minutes of skew', async () => {
    const res = await send({
      stage: 'won',
      amount: 999_999_999_999_999.5,
      currency: 'eur',
      occurredAt: '2026-11-23T10:05:00Z',
      reason: ' ',
    });
    expect(res.status).toBe(200);
    expect((await send({ stage: 'opportunity', amount: 0, currency: 'usd', occurredAt: '2026-11-23T09:00:00+01:00' })).status).toBe(200);
    const stored = await rows(app.database, 'select stage, amount::text, currency, reason from lead_outcomes order by id');
    expect(stored).toEqual([
      { stage: 'won', amount: '999999999999999.50', currency: 'EUR', reason: null },
      { stage: 'opportunity', amount: '0.00', currency: 'USD', reason: null },
    ]);
  });
});

describe('recording an outcome', () => {
  it('stores it, moves the CRM stage, audits it and emits lead.outcome', async () => {
    const res = await send({ stage: 'won', amount: 12500.5, currency: 'EUR', occurredAt: '2026-11-20T10:00:00Z', reason: 'signed' });
    expect(res).toEqual({
      status: 200,
      body: {
        outcome: {
          source: 'web',
          externalId: 'ada',
          stage: 'won',
          occurredAt: '2026-11-20T10:00:00.000Z',
          status: 'recorded',
          crmStage: 'won',
          amount: 12500.5,
          currency: 'EUR',
          reason: 'signed',
        },
      },
    });
    expect(await crmStageOf('ada')).toEqual({ crmStage: 'won', crmStageAt: new Date('2026-11-20T10:00:00Z') });
    const [audit] = await rows(
      app.database,
      `select actor, entity, entity_id, from_state, to_state, details from audit_log where action = 'lead.outcome'`,
    );
    expect(audit).toMatchObject({
      actor: 'api',
      entity: 'lead',
      from_state: null,
      to_state: 'won',
      details: { amount: 12500.5, currency: 'EUR' },
    });
    const [delivery] = await rows(app.database, 'select endpoint, event_key, type, body from webhook_deliveries');
    expect(delivery).toMatchObject({ endpoint: HOOK, type: 'lead.outcome', event_key: expect.stringMatching(/^lead\.outcome:\d+$/) });
    const event = webhookEvent.parse(JSON.parse(delivery!.body));
    expect(event).toMatchObject({
      type: 'lead.outcome',
      occurredAt: NOW.toISOString(),
      data: {
        lead: { source: 'web', externalId: 'ada', crmStage: 'won' },
        outcome: { stage: 'won', amount: 12500.5, currency: 'EUR', occurredAt: '2026-11-20T10:00:00.000Z', reason: 'signed' },
      },
    });
  });

  it('stores the same outcome once: one row, one audit entry, one delivery; the resend answers duplicate', async () => {
    const body = { stage: 'won', amount: 100, currency: 'EUR', occurredAt: '2026-11-20T10:00:00Z' };
    expect((await send(body)).body.outcome.status).toBe('recorded');
    const again = await send({ ...body, amount: 200 });
    expect(again.status).toBe(200);
    expect(again.body.outcome).toMatchObject({ status: 'duplicate', occurredAt: '2026-11-20T10:00:00.000Z', crmStage: 'won' });
    expect(await written()).toEqual({ outcomes: 1, audit: 1, deliveries: 1 });
    expect((await rows(app.database, 'select amount from lead_outcomes'))[0]!.amount).toBe('100.00');
  });

  it('takes a resend without occurredAt for the same outcome when it repeats the latest of its stage', async () => {
    const first = await send({ stage: 'lost', reason: 'went with a competitor' });
    expect(first.body.outcome).toMatchObject({ status: 'recorded', occurredAt: NOW.toISOString() });
    expect((await send({ stage: 'lost', reason: 'went with a competitor' })).body.outcome.status).toBe('duplicate');
    expect(await written()).toEqual({ outcomes: 1, audit: 1, deliveries: 1 });
  });

  it('keeps the CRM stage at the latest outcome when an older one arrives late', async () => {
    await send({ stage: 'won', occurredAt: '2026-11-20T10:00:00Z' });
    const late = await send({ stage: 'opportunity', occurredAt: '2026-11-10T10:00:00Z' });
    expect(late.body.outcome).toMatchObject({ status: 'recorded', crmStage: 'won' });
    expect(await crmStageOf('ada')).toEqual({ crmStage: 'won', crmStageAt: new Date('2026-11-20T10:00:00Z') });
    // Each recorded outcome is audited and emitted, the late one too (with the lead as it is).
    expect(await written()).toEqual({ outcomes: 2, audit: 2, deliveries: 2 });
  });

  it('answers a resend with another amount as a duplicate showing what is stored, which it keeps', async () => {
    const at = '2026-11-20T10:00:00Z';
    await send({ stage: 'won', amount: 100, currency: 'EUR', occurredAt: at });
    const resend = await send({ stage: 'won', amount: 250, currency: 'USD', occurredAt: at, reason: 'upsell' });
    expect(resend.body.outcome).toMatchObject({ status: 'duplicate', amount: 100, currency: 'EUR', reason: null });
    expect(await written()).toEqual({ outcomes: 1, audit: 1, deliveries: 1 });
  });

  it('keeps a closed deal over the opportunity it closed when both carry the same time, whichever came first', async () => {
    const at = '2026-11-20T10:00:00Z';
    await send({ stage: 'won', occurredAt: at });
    expect((await send({ stage: 'opportunity', occurredAt: at })).body.outcome.crmStage).toBe('won');
    expect(await crmStageOf('ada')).toEqual({ crmStage: 'won', crmStageAt: new Date(at) });
  });
});
