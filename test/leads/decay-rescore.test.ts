/*
 * Decay in the running bot: ingest scores at `now` (an old signal is not posted as a new MQL), and the hourly
 * job lowers stored scores as time passes without posting, handing over, or taking a lead away from sales.
 */
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.js';
import { findActiveCriteria } from '../../db/queries/criteria.js';
import { drain, handoffsOf, qualifyLead, rows } from '../../harness/handoff.js';
import { ingestLeads } from '../../src/leads/ingest.js';
import { rescoreStoredLeads } from '../../src/leads/rescore.js';
import { createLogger } from '../../src/logger.js';
import { prepareDatabase } from '../../src/prepare-database.js';
import { saveCriteriaChange } from '../../src/scoring/criteria-service.js';
import type { CriteriaChange } from '../../src/scoring/types.js';
import { startSchedules } from '../../src/sla/schedule.js';
import { createTestDatabase } from '../helpers/db.js';
import { at, database, t, useHandoffFlow } from '../handoff/flow-fixtures.js';

const DAY_MINUTES = 24 * 60;
let clock = at(0);
const { claim } = useHandoffFlow(() => clock);

async function change(c: CriteriaChange) {
  const saved = await saveCriteriaChange(database.db, c, 'UMARKETER', clock);
  if (!saved.ok) throw new Error(saved.error);
}

type StoredLead = {
  external_id: string;
  score: number;
  qualified: boolean;
  stage: string;
  rescore_due_at: Date | string | null;
};
const stored = async () =>
  queryRows<StoredLead>(database.db, sql`select external_id, score, qualified, stage, rescore_due_at from leads order by id`);
const outboxRows = async () => (await rows(database, 'select count(*)::int as n from outbox'))[0]!.n as number;

/** A lead stored without posting (a historic import): qualified, never handed over. */
const importLead = (externalId: string, occurredAt: Date) =>
  ingestLeads(
    database.db,
    [{ source: 'web', externalId, name: `Lead ${externalId}`, events: [{ type: 'form_submit', occurredAt, data: {} }] }],
    { now: clock, actor: 'import', queuePosts: false },
  );

beforeEach(() => {
  clock = at(0);
});

describe('with engagement points counting for 30 days', () => {
  beforeEach(() => change({ kind: 'decay', decay: { kind: 'window', days: 30 } }));

  it('does not post a lead whose only signal is a form from long ago; a fresh form is posted', async () => {
    const old = await qualifyLead(t, 'old', {}, '2025-06-01T09:00:00Z');
    expect(old).toMatchObject({ score: 0, qualified: false, stage: 'lead', queuedForSales: false });
    const fresh = await qualifyLead(t, 'fresh');
    expect(fresh).toMatchObject({ score: 30, qualified: true, stage: 'mql', queuedForSales: true });
    expect(await outboxRows()).toBe(1);
  });

  it('lowers stored scores once time has passed, with no post, no new handoff, and no stage or handoff taken away', async () => {
    const claimed = await qualifyLead(t, 'claimed');
    await drain(t, clock);
    const [handoff] = await handoffsOf(database, claimed.id);
    await claim(String(handoff!.id), 'UREP1');
    await importLead('imported', at(-60));
    const outboxBefore = await outboxRows();

    // Not yet 30 days after the forms: nothing is due, nothing changes.
    clock = at(29 * DAY_MINUTES);
    expect(await rescoreStoredLeads({ database }, clock)).toBe(0);
    expect((await stored()).map((l) => [l.external_id, l.score, l.qualified])).toEqual([
      ['claimed', 30, true],
      ['imported', 30, true],
    ]);

    clock = at(31 * DAY_MINUTES);
    expect(await rescoreStoredLeads({ database }, clock)).toBe(2);
    expect(await stored()).toEqual([
      // Nothing can change any more without new activity: no further re-scoring is due.
      { external_id: 'claimed', score: 0, qualified: false, stage: 'claimed', rescore_due_at: null },
      { external_id: 'imported', score: 0, qualified: false, stage: 'lead', rescore_due_at: null },
    ]);
    expect(await outboxRows()).toBe(outboxBefore);
    // The rep keeps the lead, and its handoff keeps the score it was handed over with.
    expect(await handoffsOf(database, claimed.id)).toEqual([
      expect.objectContaining({ claimed_by: 'UREP1', decision: null, score: 30, qualification: 1 }),
    ]);
    expect((await rows(database, 'select count(*)::int as n from handoffs'))[0]!.n).toBe(1);
  });

  it('a qualified lead never posted: the job does not post it; once decayed, activity that does not lift it over does not either, a new form does', async () => {
    await importLead('imported', at(-60));
    clock = at(31 * DAY_MINUTES);
    await rescoreStoredLeads({ database }, clock);
    expect(await outboxRows()).toBe(0);

    const click = await qualifyLead(t, 'imported', { events: [{ type: 'email_click', occurredAt: clock.toISOString() }] });
    expect(click).toMatchObject({ score: 0, qualified: false, stage: 'lead', queuedForSales: false });
    const form = await qualifyLead(t, 'imported', {}, clock.toISOString());
    expect(form).toMatchObject({ score: 30, qualified: true, stage: 'mql', queuedForSales: true });
    expect(await outboxRows()).toBe(1);
  });

  it.each([
    ['after the job lowered its stored score', true],
    ['before the job got to it (its stored score still the old one)', false],
  ])('hands a rejected lead over again when it decayed below the line and new activity lifts it over, %s', async (_when, jobRan) => {
    const lead = await qualifyLead(t, 'back');
    await drain(t, clock);
    const [first] = await handoffsOf(database, lead.id);
    await claim(String(first!.id), 'UREP1');
    await t.submit('mql_reject_modal', String(first!.id), { reason: { reason: { selected_option: { value: 'no_timing' } } } }, 'UREP1');

    clock = at(40 * DAY_MINUTES);
    if (jobRan) await rescoreStoredLeads({ database }, clock);
    expect((await stored())[0]).toMatchObject({ score: jobRan ? 0 : 30, stage: 'nurture' });

    // The same 30 points it was rejected with, but earned anew: a new qualification.
    const again = await qualifyLead(t, 'back', {}, clock.toISOString());
    expect(again).toMatchObject({ score: 30, qualified: true, stage: 'mql', queuedForSales: true });
    expect((await handoffsOf(database, lead.id)).map((h) => h.qualification)).toEqual([1, 2]);
  });

  it('runs every hour with the other schedules, on the clock', async () => {
    await importLead('imported', at(-60));
    clock = at(31 * DAY_MINUTES);
    const schedules = startSchedules(t.app.deps);
    try {
      await schedules.runNow();
    } finally {
      await schedules.stop();
    }
    expect((await stored())[0]).toMatchObject({ score: 0, qualified: false });
  });

  it('resumes after a failure mid-way: a batch is stored whole or not at all, and the next run finishes the rest', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) await importLead(id, at(-60));
    // Storing lead `d` fails (as a lost connection would), in the second batch of two.
    await database.db.execute(sql`
      create function fail_on_d() returns trigger language plpgsql as $$
      begin raise exception 'connection lost'; end $$`);
    await database.db.execute(sql`
      create trigger fail_on_d before update of score on leads for each row when (new.external_id = 'd') execute function fail_on_d()`);
    clock = at(31 * DAY_MINUTES);
    await expect(rescoreStoredLeads({ database }, clock, 2)).rejects.toThrow();
    expect((await stored()).map((l) => [l.external_id, l.score])).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 30],
      ['d', 30],
      ['e', 30],
    ]);

    await database.db.execute(sql`drop trigger fail_on_d on leads`);
    await database.db.execute(sql`drop function fail_on_d`);
    expect(await rescoreStoredLeads({ database }, clock, 2)).toBe(3);
    expect((await stored()).map((l) => l.score)).toEqual([0, 0, 0, 0, 0]);
    expect(await outboxRows()).toBe(0);
  });
});

describe('an event count limited to a window', () => {
  it('stops counting the event 30 days after it, through the job, with decay off', async () => {
    await change({
      kind: 'add',
      rule: {
        field: 'events.demo_request',
        op: '>=',
        value: '1',
        points: 30,
        label: 'Asked for a demo',
        withinMs: 30 * DAY_MINUTES * 60_000,
      },
    });
    const res = await t.api('/api/leads', {
      source: 'web',
      externalId: 'demo',
      events: [{ type: 'demo_request', occurredAt: at(0).toISOString() }],
    });
    expect(res.body.leads[0]).toMatchObject({ score: 30, qualified: true, queuedForSales: true });

    clock = at(30 * DAY_MINUTES - 1);
    expect(await rescoreStoredLeads({ database }, clock)).toBe(0);
    clock = at(30 * DAY_MINUTES + 60);
    expect(await rescoreStoredLeads({ database }, clock)).toBe(1);
    expect(await stored()).toEqual([{ external_id: 'demo', score: 0, qualified: false, stage: 'mql', rescore_due_at: null }]);
  });
});

describe('a fresh install', () => {
  it('seeds criteria whose engagement points count for 30 days', async () => {
    const fresh = await createTestDatabase({ fresh: true });
    try {
      await prepareDatabase(fresh, createLogger('silent'));
      expect((await findActiveCriteria(fresh.db))?.decay).toEqual({ kind: 'window', days: 30 });
    } finally {
      await fresh.close();
    }
  });
});
