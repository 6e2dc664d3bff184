/*
 * CRM outcomes in the backtest and insights (CRM won/lost > imported outcome > rep decision; a CRM opportunity
 * is no final outcome), and no new handoff for a lead the CRM reports as an opportunity or won.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ingestLeads } from '../../src/leads/ingest.js';
import { handoffsOf } from '../../harness/handoff.js';
import { ask, readable } from '../commands/helpers.js';
import { useTestApp } from '../helpers/use-test-app.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const app = useTestApp({ resetBeforeEach: true, now: () => NOW });

/** Stored like a historic import: scored, never posted. */
const historic = { now: new Date('2026-11-10T10:00:00Z'), actor: 'test', queuePosts: false };

async function decide(externalId: string, decision: string) {
  await app.database.db.execute(sql`
    insert into handoffs (lead_id, qualification, score, threshold, criteria_version, decision, decided_at)
    select id, 1, 40, 30, 1, ${decision}, '2026-11-12T10:00:00Z'::timestamptz from leads where external_id = ${externalId}`);
}

async function crm(externalId: string, stage: string) {
  const res = await app.t.api(`/api/leads/${externalId}/outcome?source=web`, { stage, occurredAt: '2026-11-15T10:00:00Z' });
  expect(res.status).toBe(200);
}

describe('outcomes in the backtest', () => {
  it('takes the CRM’s won or lost over the import and the rep; an opportunity falls through', async () => {
    const imported = new Map([
      ['web\u0000imported-no-won', 'not_converted'],
      ['web\u0000imported-yes-lost', 'converted'],
      ['web\u0000imported-yes-opportunity', 'converted'],
    ]);
    const ids = ['rejected-won', 'imported-no-won', 'imported-yes-lost', 'imported-yes-opportunity', 'rejected-opportunity', 'opportunity'];
    await ingestLeads(
      app.database.db,
      ids.map((externalId) => ({ source: 'web', externalId })),
      { ...historic, outcomes: imported },
    );
    await decide('rejected-won', 'rejected');
    await decide('rejected-opportunity', 'rejected');
    await crm('rejected-won', 'won');
    await crm('imported-no-won', 'won');
    await crm('imported-yes-lost', 'lost');
    for (const id of ['imported-yes-opportunity', 'rejected-opportunity', 'opportunity']) await crm(id, 'opportunity');

    const res = await app.t.api('/api/criteria/backtest');
    // Positive: rejected-won and imported-no-won (CRM), imported-yes-opportunity (import). Negative: imported-yes-lost
    // (CRM), rejected-opportunity (rep). The opportunity alone is no outcome.
    expect(res.body).toMatchObject({ evaluated: 6, withOutcome: 5, positive: 3, outcomes: { crm: 3, imported: 1, fromHandoffs: 1 } });
    const text = readable(await ask(app.t, app.fakeSlack, 'criteria test'));
    expect(text).toContain('Known outcomes: 5 leads, 3 positive (3 from the CRM, 1 imported, 1 from handoff decisions)');
    const insights = readable(await ask(app.t, app.fakeSlack, 'criteria insights'));
    expect(insights).toContain('Known outcomes: 5 leads, 3 converted (60.0%; 3 from the CRM, 1 imported, 1 from handoff decisions)');
    expect((await app.t.api('/api/criteria/insights')).body.outcomes).toEqual({ crm: 3, imported: 1, fromHandoffs: 1 });
  });
});

describe('new activity of a lead the CRM reports on', () => {
  it.each([
    ['won', false],
    ['opportunity', false],
    ['lost', true],
  ] as const)('a %s lead that qualifies is handed to sales: %s', async (stage, handed) => {
    const lead = (await app.t.api('/api/leads', { source: 'web', externalId: 'ada' })).body.leads[0];
    expect(lead.qualified).toBe(false);
    await crm('ada', stage);
    const res = await app.t.api('/api/leads/ada/events?source=web', {
      events: [{ type: 'form_submit', occurredAt: '2026-11-23T09:00:00Z' }],
    });
    expect(res.body.lead).toMatchObject({ qualified: true, queuedForSales: handed, stage: handed ? 'mql' : 'lead' });
    expect(await handoffsOf(app.database, lead.id)).toHaveLength(handed ? 1 : 0);
  });
});
