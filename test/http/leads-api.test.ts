import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import type { TestDatabase } from '../helpers/db.js';
import type { TestApp } from '../../harness/app.js';
import { useTestApp } from '../helpers/use-test-app.js';

const app = useTestApp({ resetBeforeEach: true });
let database: TestDatabase;
let t: TestApp;
beforeAll(() => {
  ({ database, t } = app);
});

async function count(table: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(database.db, sql.raw(`select count(*)::int as n from ${table}`));
  return row!.n;
}

const formFill = (externalId: string, occurredAt = '2026-11-20T10:00:00Z') => ({
  source: 'web',
  externalId,
  email: `${externalId}@example.com`,
  events: [{ type: 'form_submit', occurredAt }],
});

describe('POST /api/leads', () => {
  it('refuses a missing or wrong token with 401 and writes nothing', async () => {
    expect((await t.api('/api/leads', formFill('a'), { token: null })).status).toBe(401);
    const wrong = await t.api('/api/leads', formFill('a'), { token: 'not-the-token-at-all-xx' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatch(/Bearer/);
    expect(await count('leads')).toBe(0);
  });

  it('answers 400 naming every bad field, and writes nothing from the batch', async () => {
    const res = await t.api('/api/leads', {
      leads: [
        formFill('good-1'),
        { source: 'web', externalId: '', email: 'not-an-email', attributes: { nested: { no: 1 } } },
        { source: 'web', externalId: 'e', events: [{ type: 'form submit', occurredAt: 'yesterday' }], colour: 'red' },
      ],
    });
    expect(res.status).toBe(400);
    const paths = res.body.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'leads.1.externalId',
        'leads.1.email',
        'leads.1.attributes.nested',
        'leads.2.events.0.type',
        'leads.2.events.0.occurredAt',
        'leads.2',
      ]),
    );
    expect(await count('leads')).toBe(0);
  });

  it('answers 400 for bodies that are not JSON, empty, or too large a batch', async () => {
    expect((await t.api('/api/leads', '{not json')).status).toBe(400);
    expect((await t.api('/api/leads', '')).body.error).toMatch(/empty/);
    const nul = await t.api('/api/leads', { source: 'web', externalId: 'n', attributes: { note: 'a\u0000b' } });
    expect(nul).toMatchObject({ status: 400, body: { error: expect.stringContaining('NUL') } });
    const big = await t.api('/api/leads', { leads: Array.from({ length: 1001 }, (_, i) => formFill(`b${i}`)) });
    expect(big.status).toBe(400);
    expect(big.body.fields[0]).toEqual({ path: 'leads', message: 'at most 1000 leads per request' });
    // Year 0 parses as ISO 8601 but cannot be stored: refused with the field, not a failed write.
    for (const occurredAt of ['0000-06-01T00:00:00Z', '0001-01-01T00:30:00+01:00', '1969-12-31T23:59:59Z']) {
      const old = await t.api('/api/leads', { source: 'web', externalId: 'o', events: [{ type: 'x', occurredAt }] });
      expect(old).toMatchObject({ status: 400, body: { fields: [{ path: 'events.0.occurredAt', message: 'must be in 1970 or later' }] } });
    }
    expect(await count('leads')).toBe(0);
  });

  it('scores a lead with a reason for every point, split into fit and engagement, and queues exactly one post when it qualifies', async () => {
    const res = await t.api('/api/leads', {
      ...formFill('q1'),
      title: 'VP of Sales',
      attributes: { 'Total Time Spent on Website': 1532 },
    });
    expect(res.status).toBe(200);
    const [lead] = res.body.leads;
    expect(lead).toMatchObject({
      status: 'inserted',
      qualified: true,
      stage: 'mql',
      threshold: 30,
      criteriaVersion: 1,
      queuedForSales: true,
    });
    expect(lead.breakdown.map((b: { reason: string }) => b.reason)).toEqual([
      '+30 Submitted a form',
      '+30 Engaged on site · 26 min on site',
      '+15 VP · VP of Sales',
    ]);
    // Who they are (VP) and what they did (the form, time on site), next to the total.
    expect(lead).toMatchObject({ score: 75, fit: 15, engagement: 60 });
    expect(await count('outbox')).toBe(1);
    const [handoff] = await queryRows<{ qualification: number; score: number }>(database.db, sql`select * from handoffs`);
    expect(handoff).toMatchObject({ qualification: 1, score: 75 });

    // More activity on a lead that is already with sales queues nothing more.
    const again = await t.api('/api/leads', formFill('q1', '2026-11-21T10:00:00Z'));
    expect(again.body.leads[0]).toMatchObject({ status: 'updated', stage: 'mql', queuedForSales: false });
    expect(await count('outbox')).toBe(1);
    expect(await count('handoffs')).toBe(1);
  });

  it('does not queue a lead that stays under the threshold', async () => {
    const res = await t.api('/api/leads', { source: 'web', externalId: 'cold', attributes: { TotalVisits: 7 } });
    expect(res.body.leads[0]).toMatchObject({ score: 5, qualified: false, stage: 'lead', queuedForSales: false });
    expect(await count('outbox')).toBe(0);
  });

  it('upserts idempotently: attributes merge, a repeated event is stored once', async () => {
    const first = await t.api('/api/leads', { ...formFill('u1'), attributes: { plan: 'pro', seats: 5 } });
    const repeat = await t.api('/api/leads', { ...formFill('u1'), attributes: { plan: 'pro', seats: 5 } });
    expect(repeat.body.leads[0]).toMatchObject({ id: first.body.leads[0].id, status: 'unchanged' });
    const merged = await t.api('/api/leads', { source: 'web', externalId: 'u1', company: 'Acme', attributes: { seats: 8 } });
    expect(merged.body.leads[0].status).toBe('updated');
    const [row] = await queryRows<{ attributes: Record<string, unknown>; email: string; company: string }>(
      database.db,
      sql`select attributes, email, company from leads where external_id = 'u1'`,
    );
    expect(row).toEqual({ attributes: { plan: 'pro', seats: 8 }, email: 'u1@example.com', company: 'Acme' });
    expect(await count('lead_events')).toBe(1);
    expect(await count('leads')).toBe(1);
    expect(await count('outbox')).toBe(1);
  });

  it('treats the same externalId from two sources as two leads, and a lead twice in a batch as one', async () => {
    const res = await t.api('/api/leads', {
      leads: [
        { source: 'web', externalId: 'same', attributes: { a: 1 } },
        { source: 'crm', externalId: 'same' },
        { source: 'web', externalId: 'same', attributes: { b: 2 } },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.leads).toHaveLength(2);
    expect(await count('leads')).toBe(2);
    const [row] = await queryRows<{ attributes: unknown }>(database.db, sql`select attributes from leads where source = 'web'`);
    expect(row!.attributes).toEqual({ a: 1, b: 2 });
  });

  it('takes 1,000 leads in one request', async () => {
    const res = await t.api('/api/leads', {
      leads: Array.from({ length: 1000 }, (_, i) => ({ source: 'bulk', externalId: `l${i}`, attributes: { TotalVisits: i % 10 } })),
    });
    expect(res.status).toBe(200);
    expect(res.body.leads).toHaveLength(1000);
    expect(await count('leads')).toBe(1000);
  });
});

describe('POST /api/leads/:externalId/events', () => {
  it('appends events, re-scores, and queues the post when the lead crosses the threshold', async () => {
    await t.api('/api/leads', { source: 'web', externalId: 'ev 1', attributes: { TotalVisits: 6 } });
    const res = await t.api(`/api/leads/${encodeURIComponent('ev 1')}/events?source=web`, {
      events: [{ type: 'Form_Submit', occurredAt: '2026-11-22T09:00:00+01:00' }],
    });
    expect(res.status).toBe(200);
    expect(res.body.lead).toMatchObject({ externalId: 'ev 1', score: 35, qualified: true, stage: 'mql', queuedForSales: true });
    expect(await count('outbox')).toBe(1);
  });

  it('answers 404 for an unknown lead and 400 without a source, writing nothing', async () => {
    const missing = await t.api('/api/leads/nobody/events?source=web', { events: [{ type: 'x', occurredAt: '2026-11-22T09:00:00Z' }] });
    expect(missing.status).toBe(404);
    const noSource = await t.api('/api/leads/nobody/events', { events: [] });
    expect(noSource.status).toBe(400);
    expect(noSource.body.fields.map((f: { path: string }) => f.path)).toEqual(['query.source', 'events']);
    expect(noSource.body.fields[0].message).toMatch(/^source is required: add \?source=web/);
    const emptySource = await t.api('/api/leads/nobody/events?source=', { events: [{ type: 'x', occurredAt: '2026-11-22T09:00:00Z' }] });
    expect(emptySource.body.fields[0].message).toMatch(/^source is required: add \?source=web/);
    const nulSource = await t.api('/api/leads/nobody/events?source=%00web', {
      events: [{ type: 'x', occurredAt: '2026-11-22T09:00:00Z' }],
    });
    expect(nulSource).toMatchObject({
      status: 400,
      body: { fields: [{ path: 'query.source', message: 'source contains a NUL character (%00)' }] },
    });
    expect(await count('leads')).toBe(0);
  });
});

describe('health, metrics and Slack requests', () => {
  it('reports health with the database reachable and migrations current', async () => {
    expect(await t.api('/healthz')).toEqual({
      status: 200,
      body: { status: 'ok', database: 'ok', migrations: 'current', slack: 'unchecked' },
    });
  });

  it('exposes Prometheus counters for ingested, scored and qualified leads and HTTP latency', async () => {
    await t.api('/api/leads', formFill('m1'));
    const metrics = await t.api('/metrics');
    expect(metrics.body).toMatch(/mql_leads_ingested_total\{status="inserted"\} \d+/);
    expect(metrics.body).toMatch(/mql_leads_qualified_total [1-9]/);
    expect(metrics.body).toMatch(/mql_http_request_duration_seconds_count\{method="POST",route="\/api\/leads",status="200"\} [1-9]/);
  });

  it('answers a signed /mql help, and refuses an unsigned or stale request', async () => {
    const help = await t.command('help');
    expect(help.status).toBe(200);
    expect(help.body.response_type).toBe('ephemeral');
    expect(help.body.text).toContain('/mql criteria add');
    const body = 'command=%2Fmql&text=help&user_id=U1';
    expect((await t.slack(body, 'application/x-www-form-urlencoded', { secret: 'wrong' })).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 600;
    expect((await t.slack(body, 'application/x-www-form-urlencoded', { timestamp: stale })).status).toBe(401);
  });
});
