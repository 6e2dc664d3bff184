/* POST /api/outcomes: up to 1,000 outcomes in one transaction; an invalid item refuses all, an unknown lead only itself. */
import { beforeEach, describe, expect, it } from 'vitest';
import { syncWebhookEndpoints } from '../../db/queries/webhooks.js';
import { rows } from '../../harness/handoff.js';
import { useTestApp } from '../helpers/use-test-app.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const HOOK = 'http://127.0.0.1:9/hook';
const app = useTestApp({
  resetBeforeEach: true,
  now: () => NOW,
  env: { WEBHOOK_URL: HOOK, WEBHOOK_SECRET: '0123456789abcdef0123' },
});
const LEADS = Array.from({ length: 10 }, (_, i) => ({ source: 'web', externalId: `l${i}` }));

beforeEach(async () => {
  await syncWebhookEndpoints(app.database.db, [HOOK]);
  expect((await app.t.api('/api/leads', { leads: LEADS })).status).toBe(200);
});

const count = async (table: string) => Number((await rows(app.database, `select count(*)::int as n from ${table}`))[0]!.n);
/** The i-th of n outcomes, spread over the leads, each at its own minute. */
const item = (i: number) => ({
  ...LEADS[i % LEADS.length]!,
  stage: 'won',
  amount: i,
  currency: 'EUR',
  occurredAt: new Date(Date.parse('2026-11-01T00:00:00Z') + i * 60_000).toISOString(),
});

const NOTHING = { amount: null, currency: null, reason: null };
/** The answer for item(i) of lead `externalId`, as stored, without its status. */
const won = (externalId: string, i: number) => ({
  source: 'web',
  externalId,
  stage: 'won',
  occurredAt: item(i).occurredAt,
  crmStage: 'won',
  amount: i,
  currency: 'EUR',
  reason: null,
});

describe('POST /api/outcomes', () => {
  it('records 1,000 outcomes in one request, each audited and emitted', async () => {
    const res = await app.t.api('/api/outcomes', { outcomes: Array.from({ length: 1000 }, (_, i) => item(i)) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ recorded: 1000, duplicates: 0, unknownLeads: 0 });
    expect(res.body.outcomes).toHaveLength(1000);
    expect(await count('lead_outcomes')).toBe(1000);
    expect(await count(`audit_log where action = 'lead.outcome'`)).toBe(1000);
    expect(await count('webhook_deliveries')).toBe(1000);
    // Each lead's CRM stage is its latest outcome's.
    const stages = await rows(app.database, `select count(*)::int as n from leads where crm_stage = 'won'`);
    expect(stages[0]!.n).toBe(10);
  });

  it('refuses 1,001 and an empty list, writing nothing', async () => {
    const tooMany = await app.t.api('/api/outcomes', { outcomes: Array.from({ length: 1001 }, (_, i) => item(i)) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.fields).toEqual([{ path: 'outcomes', message: 'at most 1,000 outcomes per request' }]);
    const none = await app.t.api('/api/outcomes', { outcomes: [] });
    expect(none.body.fields).toEqual([{ path: 'outcomes', message: 'needs at least one outcome' }]);
    expect(await count('lead_outcomes')).toBe(0);
  });

  it('refuses the whole batch for one invalid item, naming its path', async () => {
    const outcomes = [item(0), item(1), item(2), { ...item(3), currency: 'euro' }, { ...item(4), occurredAt: '2026-11-24T10:00:00Z' }];
    const res = await app.t.api('/api/outcomes', { outcomes });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ path: 'outcomes.3.currency', message: expect.stringMatching(/ISO 4217/) }]);
    // Future times are checked once the shapes are right.
    const future = await app.t.api('/api/outcomes', { outcomes: [item(0), { ...item(4), occurredAt: '2026-11-24T10:00:00Z' }] });
    expect(future.body.fields).toEqual([{ path: 'outcomes.1.occurredAt', message: expect.stringMatching(/is 1 d in the future/) }]);
    const typo = await app.t.api('/api/outcomes', { outcomes: [{ ...item(0), externalID: 'x' }] });
    expect(typo.body.fields).toEqual([{ path: 'outcomes.0', message: expect.stringMatching(/externalID/) }]);
    expect(await count('lead_outcomes')).toBe(0);
    expect(await count('audit_log')).toBe(0);
  });

  it('lists unknown leads and duplicates per item, storing the rest', async () => {
    await app.t.api('/api/outcomes', { outcomes: [item(0)] });
    const res = await app.t.api('/api/outcomes', {
      outcomes: [item(0), { ...item(1), externalId: 'ghost' }, item(1), { source: 'web', externalId: 'l2', stage: 'opportunity' }, item(1)],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      recorded: 2,
      duplicates: 2,
      unknownLeads: 1,
      outcomes: [
        { ...won('l0', 0), status: 'duplicate' },
        { source: 'web', externalId: 'ghost', stage: 'won', occurredAt: null, status: 'unknown lead', crmStage: null, ...NOTHING },
        { ...won('l1', 1), status: 'recorded' },
        {
          source: 'web',
          externalId: 'l2',
          stage: 'opportunity',
          occurredAt: NOW.toISOString(),
          status: 'recorded',
          crmStage: 'opportunity',
          ...NOTHING,
        },
        { ...won('l1', 1), status: 'duplicate' },
      ],
    });
    expect(await count('lead_outcomes')).toBe(3);
    expect(await count(`audit_log where action = 'lead.outcome'`)).toBe(3);
    expect(await count('webhook_deliveries')).toBe(3);
  });
});
