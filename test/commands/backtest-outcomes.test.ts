import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ingestLeads } from '../../src/leads/ingest.js';
import { ask, readable } from './helpers.js';
import { resetDatabase } from '../helpers/db.js';
import { useTestApp } from '../helpers/use-test-app.js';

const app = useTestApp();

const qualifies = { 'Lead Origin': 'Lead Add Form' };
/** Stored like a historic import: scored, never posted. */
const historic = { now: new Date('2026-11-10T10:00:00Z'), actor: 'test', queuePosts: false };

async function decide(externalId: string, decisions: Array<[decision: string, decidedAt: string]>) {
  let qualification = 0;
  for (const [decision, decidedAt] of decisions) {
    qualification++;
    await app.database.db.execute(sql`
      insert into handoffs (lead_id, qualification, score, threshold, criteria_version, decision, decided_at)
      select id, ${qualification}, 40, 30, 1, ${decision}, ${decidedAt}::timestamptz from leads where external_id = ${externalId}`);
  }
}

describe('outcomes the backtest counts', () => {
  it('says so when no outcome is known', async () => {
    await ingestLeads(app.database.db, [{ source: 'web', externalId: 'none', attributes: qualifies }], historic);
    const text = readable(await ask(app.t, app.fakeSlack, 'criteria test'));
    expect(text).toContain('Would qualify: *1* of 1 (100.0%) at threshold 30');
    expect(text).toContain('_No outcomes are known yet_');
    expect(text).not.toContain('Sweep of');
    const api = await app.t.api('/api/criteria/backtest');
    expect(api.body).toMatchObject({ withOutcome: 0, precision: null, recall: null, conversionRateQualified: null });
    expect(api.body.sweeps[0]).toMatchObject({ on: 'total', bestF1: null });
    // Insights still count matches and moves, and say why there is no conversion, lift or sweep.
    const insights = readable(await ask(app.t, app.fakeSlack, 'criteria insights'));
    expect(insights).toContain('_No outcomes are known yet_');
    expect(insights).toContain('Inquiry form — matches 1 · no known outcome among them · alone moves 1');
    expect(insights).not.toContain('Sweep of');
    const body = (await app.t.api('/api/criteria/insights')).body;
    expect(body.rules.find((r: { label: string }) => r.label === 'Inquiry form')).toMatchObject({ matches: 1, lift: null, flags: [] });
    expect(body.bestF1).toEqual([null]);
  });

  it('takes the imported outcome first, else the latest accepted or rejected handoff', async () => {
    await resetDatabase(app.database);
    const outcomes = new Map([
      ['web\u0000imported-no', 'not_converted'],
      ['web\u0000imported-yes', 'converted'],
    ]);
    await ingestLeads(
      app.database.db,
      [
        { source: 'web', externalId: 'imported-no', attributes: qualifies }, // accepted by sales, but did not convert
        { source: 'web', externalId: 'accepted-last', attributes: qualifies }, // rejected, later re-qualified and accepted
        { source: 'web', externalId: 'rejected-last' }, // accepted, later rejected
        { source: 'web', externalId: 'released' }, // released: not a decision about the lead
        { source: 'web', externalId: 'imported-yes' },
        { source: 'web', externalId: 'unknown' },
      ],
      { ...historic, outcomes },
    );
    await decide('imported-no', [['accepted', '2026-11-02T10:00:00Z']]);
    await decide('accepted-last', [
      ['rejected', '2026-11-01T10:00:00Z'],
      ['accepted', '2026-11-05T10:00:00Z'],
    ]);
    await decide('rejected-last', [
      ['accepted', '2026-11-01T10:00:00Z'],
      ['rejected', '2026-11-05T10:00:00Z'],
    ]);
    await decide('released', [['released', '2026-11-03T10:00:00Z']]);

    const res = await app.t.api('/api/criteria/backtest');
    expect(res.body).toMatchObject({
      evaluated: 6,
      qualified: 2,
      withOutcome: 4,
      positive: 2,
      qualifiedWithOutcome: 2,
      positiveAmongQualified: 1,
      notQualifiedWithOutcome: 2,
      positiveAmongNotQualified: 1,
      precision: 0.5,
      recall: 0.5,
      outcomes: { crm: 0, imported: 2, fromHandoffs: 2 },
    });
    const text = readable(await ask(app.t, app.fakeSlack, 'criteria test'));
    expect(text).toContain('Known outcomes: 4 leads, 2 positive (0 from the CRM, 2 imported, 2 from handoff decisions)');
    expect(text).toContain('Converted among qualified: *50.0%* (1 of 2) · among not qualified: *50.0%* (1 of 2)');
  });
});
