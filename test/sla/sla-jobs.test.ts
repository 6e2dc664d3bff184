import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import cron from 'node-cron';
import type { TestDatabase } from '../helpers/db.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { startTestApp, type TestApp } from '../../harness/app.js';
import { drain, rows } from '../../harness/handoff.js';
import { seedHandoff } from '../helpers/seed.js';
import { seedHistory } from './history-seed.js';
import { runSlaSweep } from '../../src/sla/sweep.js';
import { buildDigest, postDigest } from '../../src/sla/digest.js';
import { digestBlocks } from '../../src/sla/digest-blocks.js';
import { catchUpDigest } from '../../src/sla/schedule.js';
import { claimJobRun } from '../../db/queries/job-runs.js';

const app = useTestApp({ env: { AUTO_RELEASE: 'true' }, resetBeforeEach: true });
const { fakeSlack } = app;
let database: TestDatabase;
let t: TestApp;
let replica: TestApp;
const T0 = Date.parse('2026-11-23T09:00:00Z'); // a Monday
const min = (m: number) => new Date(T0 + m * 60_000);
const hours = (h: number) => min(h * 60);

/** A second app on the same database, as another replica runs the same jobs. */
beforeAll(async () => {
  ({ database, t } = app);
  replica = await startTestApp(database, { env: { AUTO_RELEASE: 'true' } });
});
afterAll(async () => {
  await replica.stop();
});

const queued = () => rows(database, 'select kind, dedupe_key, payload from outbox order by id');
const sweep = (app: TestApp, at: Date) => runSlaSweep(app.app.deps, at);

describe('SLA sweep', () => {
  it('reminds in the thread at the claim SLA, escalates to managers at 2×, each once', async () => {
    const id = await seedHandoff(database, { name: 'Ada', postedAt: min(0) });
    expect((await sweep(t, min(14))).queued).toBe(0);
    expect((await sweep(t, min(15))).queued).toBe(1);
    expect((await sweep(t, min(16))).queued).toBe(0);
    expect((await sweep(replica, min(17))).queued).toBe(0);
    expect((await sweep(t, min(30))).queued).toBe(1);
    expect((await sweep(replica, min(31))).queued).toBe(0);
    const messages = await queued();
    expect(messages.map((m) => [m.kind, m.dedupe_key])).toEqual([
      ['thread_reply', `claim_reminder:${id}:${T0}`],
      ['channel_message', `escalation:${min(30).toISOString()}:UMANAGER`],
    ]);
    expect(messages[0]!.payload.text).toBe('<!here> This lead has waited 15 min without an owner (claim SLA 15 min). Who can take it?');
    expect(messages[1]!.payload).toMatchObject({ channel: 'UMANAGER', text: '1 lead unclaimed past SLA' });
    expect(JSON.stringify(messages[1]!.payload.blocks)).toContain('Ada> — owner: nobody · unclaimed for 30 min (claim SLA 15 min)');

    await drain(t, min(31));
    const reply = fakeSlack.callsTo('chat.postMessage').find((c) => c.args.thread_ts);
    expect(reply!.args).toMatchObject({ channel: 'CSALES', thread_ts: '1700000000.000001' });
  });

  it('runs a minute once however many replicas sweep it', async () => {
    await seedHandoff(database, { name: 'Bo', postedAt: min(0) });
    const [a, b] = await Promise.all([sweep(t, min(20)), sweep(replica, min(20))]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    expect(await queued()).toHaveLength(1);
  });

  it('reminds the claimer at the decision SLA, managers at 2×, and auto-releases at 3× when enabled', async () => {
    const id = await seedHandoff(database, { name: 'Cy', postedAt: min(0), claimedBy: 'UREP1', claimedAt: min(5) });
    const claimed = min(5).getTime();
    await sweep(t, new Date(claimed + 24 * 3600_000 - 60_000));
    expect(await queued()).toHaveLength(0);
    await sweep(t, new Date(claimed + 24 * 3600_000));
    await sweep(t, new Date(claimed + 48 * 3600_000));
    await sweep(replica, new Date(claimed + 48 * 3600_000 + 60_000));
    expect((await queued()).map((m) => m.dedupe_key)).toEqual([
      `decision_reminder:${id}:UREP1:${claimed}:UREP1`,
      `escalation:${new Date(claimed + 48 * 3600_000).toISOString()}:UMANAGER`,
    ]);
    const result = await sweep(t, new Date(claimed + 72 * 3600_000));
    expect(result.released).toBe(1);
    const [handoff] = await rows(database, `select claimed_by, claimable_since from handoffs where id = ${id}`);
    expect(handoff!.claimed_by).toBeNull();
    expect(await rows(database, `select actor, action from audit_log`)).toEqual([
      { actor: 'system:auto-release', action: 'handoff.release' },
    ]);
    expect((await queued()).map((m) => m.kind)).toEqual(['channel_message', 'channel_message', 'update_mql', 'thread_reply']);
    // Released, the claim clock starts again from the release.
    await sweep(t, new Date(claimed + 72 * 3600_000 + 15 * 60_000));
    expect((await queued()).at(-1)!.dedupe_key).toBe(`claim_reminder:${id}:${claimed + 72 * 3600_000}`);
  });

  it('counts only business hours when BUSINESS_HOURS is set', async () => {
    const business = await startTestApp(database, { env: { BUSINESS_HOURS: 'Mon-Fri 09:00-18:00', TZ_DIGEST: 'Europe/Berlin' } });
    try {
      // Posted Friday 17:50 in Berlin (16:50 UTC): 10 minutes run on Friday, 5 more on Monday from 09:00.
      await seedHandoff(database, { name: 'Di', postedAt: new Date('2026-11-27T16:50:00Z') });
      expect((await sweep(business, new Date('2026-11-30T08:04:00Z'))).queued).toBe(0);
      expect((await sweep(business, new Date('2026-11-30T08:05:00Z'))).queued).toBe(1);
    } finally {
      await business.stop();
    }
  });
});

describe('daily digest', () => {
  const claim = (by: string, at: Date) => ({ action: 'claim' as const, by, at });
  async function seedWeek() {
    const now = hours(24); // Tue 09:00 UTC
    // Last 24 hours
    await seedHistory(database, {
      name: 'Fast accept',
      postedAt: hours(1),
      steps: [claim('UREP1', min(65)), { action: 'accept', by: 'UREP1', at: hours(3) }],
    });
    await seedHistory(database, {
      name: 'Slow reject',
      postedAt: hours(2),
      steps: [claim('UREP2', min(150)), { action: 'reject', by: 'UREP2', at: hours(5), reason: 'no_budget' }],
    });
    await seedHistory(database, { name: 'Waiting', postedAt: hours(20) });
    await seedHistory(database, { name: 'Fresh', postedAt: min(24 * 60 - 5) });
    // Earlier in the week
    await seedHistory(database, { name: 'Old claim', postedAt: hours(-72), steps: [claim('UREP1', hours(-71))] });
    await seedHistory(database, {
      name: 'Old reject',
      postedAt: hours(-96),
      steps: [claim('UREP1', min(-96 * 60 + 10)), { action: 'reject', by: 'UREP1', at: hours(-95), reason: 'duplicate' }],
    });
    // Older than a week and decided: only in the week before
    await seedHistory(database, {
      name: 'Ancient',
      postedAt: hours(-24 * 9),
      steps: [claim('UREP3', hours(-24 * 9 + 1)), { action: 'accept', by: 'UREP3', at: hours(-24 * 8) }],
    });
    return now;
  }

  it('reports stalled leads and the figures of the last day and week exactly', async () => {
    const now = await seedWeek();
    const digest = await buildDigest(t.app.deps, now);
    expect(digest.stalled.map((s) => [s.lead.name, s.kind, s.waitedMs / 60_000, s.totalWaitedMs / 60_000])).toEqual([
      ['Old claim', 'undecided', 95 * 60, 96 * 60],
      ['Waiting', 'unclaimed', 4 * 60, 4 * 60],
    ]);
    expect(digest.open).toEqual({ unclaimed: 2, undecided: 1 });
    expect(digest.lastDay).toEqual({
      posted: 4,
      leadsClaimed: 2,
      claims: 2,
      assigned: 0,
      accepted: 1,
      rejected: 1,
      rejectedByReason: { no_budget: 1 },
      acceptRate: 50,
      timeToClaim: { median: 5 * 60_000, p90: 30 * 60_000 },
      timeToDecide: { median: 115 * 60_000, p90: 150 * 60_000 },
      // Claims: 5 min (met), 30 min (missed), "Waiting" unclaimed 4 h (missed); "Fresh" is still within SLA.
      claimWithinSla: 33,
      decisionWithinSla: 100,
      decisionMisses: 0,
      reps: [
        { rep: 'UREP1', claimed: 1, assigned: 0, accepted: 1, rejected: 0, decisionMisses: 0, medianTimeToClaim: 5 * 60_000 },
        { rep: 'UREP2', claimed: 1, assigned: 0, accepted: 0, rejected: 1, decisionMisses: 0, medianTimeToClaim: 30 * 60_000 },
      ],
    });
    expect(digest.lastWeek).toMatchObject({
      posted: 6,
      claims: 4,
      accepted: 1,
      rejected: 2,
      rejectedByReason: { no_budget: 1, duplicate: 1 },
      timeToClaim: { median: 10 * 60_000, p90: 60 * 60_000 },
      // Three decisions within 24 h; "Old claim" undecided for 95 h misses it: 3 of 4.
      decisionWithinSla: 75,
      decisionMisses: 1,
    });
    expect(digest.lastWeek.reps[0]).toEqual({
      rep: 'UREP1',
      claimed: 3,
      assigned: 0,
      accepted: 1,
      rejected: 1,
      decisionMisses: 1,
      medianTimeToClaim: 10 * 60_000,
    });
    expect(digest.weekBefore).toMatchObject({ posted: 1, accepted: 1 });

    const text = JSON.stringify(digestBlocks(digest));
    expect(text).toMatch(
      /<https:\/\/slack\.com\/archives\/CSALES\/p1700000001\d{6}\|Old claim> — owner: <@UREP1> · undecided for 3 d 23 h \(decision SLA 1 d\) · waited 4 d in total/,
    );
    expect(text).toContain('No budget 1');
  });

  it('shows the first 10 stalled leads, each with an Assign button, and "and N more"', async () => {
    for (let i = 0; i < 13; i++) await seedHistory(database, { name: `Lead ${i}`, postedAt: min(-60 - i) });
    const blocks = digestBlocks(await buildDigest(t.app.deps, min(0)));
    const assign = blocks.filter((b) => b.type === 'section' && b.accessory?.type === 'button');
    expect(assign).toHaveLength(10);
    expect(assign[0]).toMatchObject({ accessory: { text: { text: 'Assign' }, action_id: 'mql_reassign' } });
    expect(JSON.stringify(blocks)).toContain('Stalled leads (13)');
    expect(JSON.stringify(blocks)).toContain('and 3 more: `/mql stalled` lists them all');
  });

  it('says in one line when there is nothing to report', async () => {
    const blocks = digestBlocks(await buildDigest(t.app.deps, min(0)));
    expect(blocks).toEqual([
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '*MQL digest — Mon, 23 Nov 2026:* nothing to report: no MQLs in the last 7 days and none open.' },
      },
    ]);
  });

  it('is posted once per slot however many replicas run it at the same minute', async () => {
    const now = await seedWeek();
    const results = await Promise.all([
      postDigest(t.app.deps, now, '2026-11-24T09:00'),
      postDigest(replica.app.deps, now, '2026-11-24T09:00'),
    ]);
    expect(results.sort()).toEqual(['already posted', 'posted']);
    await drain(t, now);
    const posts = fakeSlack.callsTo('chat.postMessage').filter((c) => String(c.args.text).startsWith('MQL digest'));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.text).toBe('MQL digest Tue, 24 Nov 2026: 2 leads stalled, 4 MQLs posted in the last 24 hours.');
  });

  it('posts a missed digest late when the process comes back the same day, once, saying the bot was down', async () => {
    const matcher = cron.createTask('0 9 * * 1-5', () => {}, { timezone: 'UTC' });
    const startedAt = min(90); // this process started at 10:30, after the 09:00 slot
    await claimJobRun(database.db, 'installed', 'first start', min(-24 * 60));
    expect(await catchUpDigest(t.app.deps, matcher, min(-60), startedAt)).toBeNull(); // 08:00: not due yet
    expect(await catchUpDigest(t.app.deps, matcher, min(1), startedAt)).toBeNull(); // 09:01: the cron tick's job
    expect(await catchUpDigest(t.app.deps, matcher, hours(2), startedAt)).toBe('posted');
    expect(await catchUpDigest(replica.app.deps, matcher, hours(3), startedAt)).toBeNull();
    const [message] = await queued();
    expect(JSON.stringify(message!.payload.blocks)).toContain('late: it was due 2026-11-23 09:00 UTC; the bot was not running then');
    await matcher.destroy();
  });

  it('does not say the bot was down when a replica swept at the slot, though this process started later', async () => {
    const matcher = cron.createTask('0 9 * * 1-5', () => {}, { timezone: 'UTC' });
    await claimJobRun(database.db, 'installed', 'first start', min(-24 * 60));
    await sweep(replica, min(0));
    expect(await catchUpDigest(t.app.deps, matcher, hours(2), min(90))).toBe('posted');
    const [message] = await queued();
    expect(JSON.stringify(message!.payload.blocks)).toContain('the bot was running, but its clock moved past that time');
    await matcher.destroy();
  });

  it('does not open a new install with a late digest for a slot before its first start', async () => {
    const matcher = cron.createTask('0 9 * * 1-5', () => {}, { timezone: 'UTC' });
    await claimJobRun(database.db, 'installed', 'first start', min(60)); // installed at 10:00
    expect(await catchUpDigest(t.app.deps, matcher, hours(3), min(60))).toBeNull();
    expect(await queued()).toEqual([]);
    await matcher.destroy();
  });
});
