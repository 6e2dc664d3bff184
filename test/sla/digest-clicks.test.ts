/** The digest's figures after real clicks (signed Slack requests into the app), auto-release included. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../helpers/db.js';
import type { TestApp } from '../../harness/app.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { drain, eventually, handoffsOf, qualifyLead, rows } from '../../harness/handoff.js';
import { claimJobRun } from '../../db/queries/job-runs.js';
import { runSlaSweep } from '../../src/sla/sweep.js';
import { startSchedules } from '../../src/sla/schedule.js';
import { ask, readable } from '../commands/helpers.js';

const T = Date.parse('2026-11-23T08:00:00Z'); // a Monday, before the 09:00 digest slot
let clock = new Date(T);
const at = (minutes: number) => {
  clock = new Date(T + minutes * 60_000);
  return clock;
};
const app = useTestApp({ now: () => clock, env: { AUTO_RELEASE: 'true', DECISION_SLA: '1h' }, resetBeforeEach: true });
const { fakeSlack } = app;
let database: TestDatabase;
let t: TestApp;
beforeAll(() => {
  ({ database, t } = app);
});

async function postedLead(externalId: string) {
  const lead = await qualifyLead(t, externalId, { name: `Lead ${externalId}` }, new Date(clock.getTime() - 60_000).toISOString());
  await drain(t, clock);
  const [handoff] = await handoffsOf(database, lead.id);
  return String(handoff!.id);
}

async function click(action: 'claim' | 'accept' | 'release', id: string, user: string) {
  const before = await rows(database, `select version from handoffs where id = ${id}`);
  await t.click(`mql_${action}`, id, user);
  await eventually(
    () => rows(database, `select version from handoffs where id = ${id}`),
    (r) => r[0]!.version > before[0]!.version,
  );
}

describe('digest figures after claims, releases and an auto-release', () => {
  it('counts the auto-release as a decision SLA miss and credits every claim to its claimer', async () => {
    const a = await postedLead('a');
    const b = await postedLead('b');
    const c = await postedLead('c');
    at(1);
    await click('claim', a, 'UREP1');
    await click('claim', b, 'UREP1');
    await click('claim', c, 'UREP1');
    at(3);
    await click('accept', b, 'UREP1');
    await click('release', c, 'UREP1');
    // A is left undecided past 3× the 1 h decision SLA: the sweep releases it.
    expect((await runSlaSweep(t.app.deps, at(1 + 180))).released).toBe(1);
    at(185);
    await click('claim', a, 'UREP2');
    at(190);
    await click('accept', a, 'UREP2');

    at(240);
    const preview = await ask(t, fakeSlack, 'digest preview', 'UMANAGER');
    const text = JSON.stringify(preview.blocks);
    expect(text).toContain('*Claims*\\n4 on 3 leads (▲ 4)');
    // Before: "Decided within SLA 100%". A's first hold was auto-released: 2 of 3 holds decided in time.
    expect(text).toContain('*Decided within SLA*\\n67%');
    expect(text).toContain('*Decision SLA misses*\\n1 (▲ 1)');
    expect(text).toContain('*Accepted by reps*\\n2 (▲ 2) · 100% of decided');
    const byRep = readable(preview)
      .split('\n')
      .filter((l) => l.startsWith('• <@'));
    expect(byRep).toEqual([
      '• <@UREP1> — claimed 3, decided 1 (1 accepted, 0 rejected), 1 decision SLA miss, median time to claim 1 min',
      '• <@UREP2> — claimed 1, decided 1 (1 accepted, 0 rejected), 0 decision SLA misses, median time to claim 4 min',
    ]);
  });
});

describe('a late digest', () => {
  const digestPost = async () => {
    await eventually(
      () => rows(database, `select count(*)::int as n from outbox where dedupe_key like 'digest:%'`),
      (r) => r[0]!.n === 1,
    );
    await drain(t, clock);
    const digest = fakeSlack.callsTo('chat.postMessage').find((c) => String(c.args.text).startsWith('MQL digest'));
    return JSON.stringify(digest!.args.blocks);
  };

  it('does not say the bot was down when its clock jumped past the slot while it ran (the sandbox +1 day)', async () => {
    at(0); // Mon 08:00: the schedules start before the day's 09:00 slot
    const schedules = startSchedules(t.app.deps);
    try {
      await eventually(
        () => rows(database, `select count(*)::int as n from job_runs where job = 'installed'`),
        (r) => r[0]!.n === 1,
      );
      at(26 * 60); // the clock jumps to Tue 10:00 while the process runs
      await schedules.runNow();
      const note = await digestPost();
      expect(note).toContain('late: it was due 2026-11-24 09:00 UTC; the bot was running, but its clock moved past that time');
      expect(note).not.toContain('not running');
    } finally {
      await schedules.stop();
    }
  });

  it('says the bot was not running when it starts after the slot and no replica ran then', async () => {
    await claimJobRun(database.db, 'installed', 'first start', new Date(T));
    at(2 * 24 * 60 + 90); // Wed 09:30: a process starts after the 09:00 slot, and checks at start
    const schedules = startSchedules(t.app.deps);
    try {
      expect(await digestPost()).toContain('late: it was due 2026-11-25 09:00 UTC; the bot was not running then');
    } finally {
      await schedules.stop();
    }
  });
});
