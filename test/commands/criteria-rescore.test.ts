import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import { rescoreStoredLeads, rescoringIdle } from '../../src/leads/rescore.js';
import { saveCriteriaChange } from '../../src/scoring/criteria-service.js';
import { ask, count } from './helpers.js';
import { MARKETER, useCriteriaApp } from './criteria-fixtures.js';

const { app, storeLeads } = useCriteriaApp();

describe('re-scoring after a change', () => {
  it('stores every lead’s new score in the background, queues no post, and hands a newly qualified lead over on its next activity', async () => {
    await storeLeads();
    await app.database.db.execute(sql`update leads set stage = 'claimed' where external_id = 'hot'`);
    await ask(app.t, app.fakeSlack, 'criteria add "Total Time Spent on Website" > 600 30 --confirm', MARKETER);
    await rescoringIdle(app.database);

    const rows = await queryRows<{ external_id: string; score: number; qualified: boolean; criteria_version: number; stage: string }>(
      app.database.db,
      sql`select external_id, score, qualified, criteria_version, stage from leads order by id`,
    );
    expect(rows).toEqual([
      { external_id: 'hot', score: 40, qualified: true, criteria_version: 2, stage: 'claimed' },
      { external_id: 'warm', score: 30, qualified: true, criteria_version: 2, stage: 'lead' },
      { external_id: 'warm2', score: 35, qualified: true, criteria_version: 2, stage: 'lead' },
      { external_id: 'cold', score: 0, qualified: false, criteria_version: 2, stage: 'lead' },
    ]);
    const [warm] = await queryRows<{ score_breakdown: Array<{ reason: string }> }>(
      app.database.db,
      sql`select score_breakdown from leads where external_id = 'warm'`,
    );
    expect(warm!.score_breakdown.map((b) => b.reason)).toEqual(['+30 Total Time Spent on Website: 12 min on site']);
    expect(await count(app.database.db, 'outbox')).toBe(0);
    expect(await count(app.database.db, 'handoffs')).toBe(0);

    // New activity on `warm` hands it to sales; `warm2`, without activity, waits.
    const res = await app.t.api('/api/leads/warm/events?source=web', {
      events: [{ type: 'email_click', occurredAt: '2026-11-23T09:00:00Z' }],
    });
    expect(res.body.lead).toMatchObject({ qualified: true, stage: 'mql', queuedForSales: true });
    expect(await count(app.database.db, 'outbox')).toBe(1);
    const [handoff] = await queryRows<{ external_id: string }>(
      app.database.db,
      sql`select l.external_id from handoffs h join leads l on l.id = h.lead_id`,
    );
    expect(handoff).toEqual({ external_id: 'warm' });
  });
  it('works through every lead in batches and resumes with whatever is not on the active version', async () => {
    await storeLeads();
    const now = new Date('2026-11-23T10:00:00Z');
    await saveCriteriaChange(app.database.db, { kind: 'threshold', threshold: 5 }, MARKETER, new Date());
    expect(await rescoreStoredLeads(app, now, 3)).toBe(4);
    expect(await rescoreStoredLeads(app, now, 3)).toBe(0);
    const rows = await queryRows<{ external_id: string; qualified: boolean; criteria_version: number }>(
      app.database.db,
      sql`select external_id, qualified, criteria_version from leads order by id`,
    );
    expect(rows.map((r) => [r.external_id, r.qualified, r.criteria_version])).toEqual([
      ['hot', true, 2],
      ['warm', false, 2],
      ['warm2', true, 2],
      ['cold', false, 2],
    ]);
    // A lead left on an older version (e.g. the process stopped mid-way) is picked up by the next run.
    await app.database.db.execute(sql`update leads set criteria_version = 1, qualified = false where external_id = 'warm2'`);
    expect(await rescoreStoredLeads(app, now, 3)).toBe(1);
    expect(await count(app.database.db, 'outbox')).toBe(0);
  });
});
