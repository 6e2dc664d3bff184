import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import cron from 'node-cron';
import type { TestDatabase } from '../helpers/db.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { startTestApp, type TestApp } from '../../harness/app.js';
import { drain, rows } from '../../harness/handoff.js';
import { seedHandoff } from '../helpers/seed.js';
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
      ['dm', `claim_escalation:${id}:${T0}:UMANAGER`],
    ]);
    expect(messages[0]!.payload.text).toBe('<!here> This lead has waited 15 min without an owner (claim SLA 15 min). Who can take it?');
    expect(messages[1]!.payload).toMatchObject({ user: 'UMANAGER' });
    expect(messages[1]!.payload.text).toContain('Ada has waited 30 min unclaimed');

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
      `decision_escalation:${id}:UREP1:${claimed}:UMANAGER`,
    ]);
    const result = await sweep(t, new Date(claimed + 72 * 3600_000));
    expect(result.released).toBe(1);
    const [handoff] = await rows(database, `select claimed_by, claimable_since from handoffs where id = ${id}`);
    expect(handoff!.claimed_by).toBeNull();
    expect(await rows(database, `select actor, action from audit_log`)).toEqual([
      { actor: 'system:auto-release', action: 'handoff.release' },
    ]);
    expect((await queued()).map((m) => m.kind)).toEqual(['dm', 'dm', 'update_mql', 'thread_reply']);
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
  async function seedWeek() {
    const now = hours(24); // Tue 09:00 UTC
    // Last 24 hours
    await seedHandoff(database, {
      name: 'Fast accept',
      postedAt: hours(1),
      claimedBy: 'UREP1',
      claimedAt: min(65),
      decision: 'accepted',
      decidedBy: 'UREP1',
      decidedAt: hours(3),
    });
    await seedHandoff(database, {
      name: 'Slow reject',
      postedAt: hours(2),
      claimedBy: 'UREP2',
      claimedAt: min(150),
      decision: 'rejected',
      reasonCode: 'no_budget',
      decidedBy: 'UREP2',
      decidedAt: hours(5),
    });
    await seedHandoff(database, { name: 'Waiting', postedAt: hours(20) });
    await seedHandoff(database, { name: 'Fresh', postedAt: min(24 * 60 - 5) });
    // Earlier in the week
    await seedHandoff(database, { name: 'Old claim', postedAt: hours(-72), claimedBy: 'UREP1', claimedAt: hours(-71) });
    await seedHandoff(database, {
      name: 'Old reject',
      postedAt: hours(-96),
      claimedBy: 'UREP1',
      claimedAt: min(-96 * 60 + 10),
      decision: 'rejected',
      reasonCode: 'duplicate',
      decidedBy: 'UREP1',
      decidedAt: hours(-95),
    });
    // Older than a week and decided: not in any figure
    await seedHandoff(database, {
      name: 'Ancient',
      postedAt: hours(-24 * 9),
      claimedBy: 'UREP3',
      claimedAt: hours(-24 * 9 + 1),
      decision: 'accepted',
      decidedBy: 'UREP3',
      decidedAt: hours(-24 * 8),
    });
    return now;
  }

  it('reports stalled leads and the figures of the last day and week exactly', async () => {
    const now = await seedWeek();
    const digest = await buildDigest(t.app.deps, now);
    expect(digest.stalled.map((s) => [s.handoff.leadName, s.kind, s.waitedMs / 60_000])).toEqual([
      ['Old claim', 'undecided', 95 * 60],
      ['Waiting', 'unclaimed', 4 * 60],
    ]);
    expect(digest.lastDay).toEqual({
      posted: 4,
      claimed: 2,
      accepted: 1,
      rejected: 1,
      rejectedByReason: { no_budget: 1 },
      timeToClaim: { median: 5 * 60_000, p90: 30 * 60_000 },
      timeToDecide: { median: 115 * 60_000, p90: 150 * 60_000 },
      // Claims: 5 min (met), 30 min (missed), "Waiting" unclaimed 4 h (missed); "Fresh" is still within SLA.
      claimWithinSla: 33,
      decisionWithinSla: 100,
      reps: [
        { rep: 'UREP1', claimed: 1, accepted: 1, rejected: 0, medianTimeToClaim: 5 * 60_000 },
        { rep: 'UREP2', claimed: 1, accepted: 0, rejected: 1, medianTimeToClaim: 30 * 60_000 },
      ],
    });
    expect(digest.lastWeek).toMatchObject({
      posted: 6,
      claimed: 4,
      accepted: 1,
      rejected: 2,
      rejectedByReason: { no_budget: 1, duplicate: 1 },
      timeToClaim: { median: 10 * 60_000, p90: 60 * 60_000 },
      // Three decisions within 24 h; "Old claim" undecided for 95 h misses it: 3 of 4.
      decisionWithinSla: 75,
    });
    expect(digest.lastWeek.reps[0]).toEqual({ rep: 'UREP1', claimed: 3, accepted: 1, rejected: 1, medianTimeToClaim: 10 * 60_000 });

    const text = JSON.stringify(digestBlocks(digest));
    expect(text).toMatch(
      /<https:\/\/slack\.com\/archives\/CSALES\/p1700000000\d{6}\|Old claim> — claimed by <@UREP1> 3 d 23 h ago, undecided \(SLA 1 d\)/,
    );
    expect(text).toContain('No budget 1');
  });

  it('shows the first 10 stalled leads and "and N more"', async () => {
    for (let i = 0; i < 13; i++) await seedHandoff(database, { name: `Lead ${i}`, postedAt: min(-60 - i) });
    const blocks = digestBlocks(await buildDigest(t.app.deps, min(0)));
    const stalled = JSON.stringify(blocks.find((b) => JSON.stringify(b).includes('Stalled leads (13)')));
    expect(stalled.match(/• /g)).toHaveLength(10);
    expect(stalled).toContain('and 3 more');
  });

  it('says in one line when there is nothing to report', async () => {
    const blocks = digestBlocks(await buildDigest(t.app.deps, min(0)));
    expect(blocks).toEqual([
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '*MQL digest — Mon, 23 Nov 2026:* nothing to report: no MQLs in the last 7 days and none stalled.' },
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
    expect(posts[0]!.args.text).toBe('MQL digest Tue, 24 Nov 2026: 2 stalled, 4 posted in the last day.');
  });

  it('posts a missed digest late when the process comes back the same day, once', async () => {
    const matcher = cron.createTask('0 9 * * 1-5', () => {}, { timezone: 'UTC' });
    await claimJobRun(database.db, 'installed', 'first start', min(-24 * 60));
    expect(await catchUpDigest(t.app.deps, matcher, min(-60))).toBeNull(); // 08:00: not due yet
    expect(await catchUpDigest(t.app.deps, matcher, min(1))).toBeNull(); // 09:01: the cron tick's job
    expect(await catchUpDigest(t.app.deps, matcher, hours(2))).toBe('posted');
    expect(await catchUpDigest(replica.app.deps, matcher, hours(3))).toBeNull();
    const [message] = await queued();
    expect(JSON.stringify(message!.payload.blocks)).toContain('late: it was due 2026-11-23 09:00 UTC');
    await matcher.destroy();
  });

  it('does not open a new install with a late digest for a slot before its first start', async () => {
    const matcher = cron.createTask('0 9 * * 1-5', () => {}, { timezone: 'UTC' });
    await claimJobRun(database.db, 'installed', 'first start', min(60)); // installed at 10:00
    expect(await catchUpDigest(t.app.deps, matcher, hours(3))).toBeNull();
    expect(await queued()).toEqual([]);
    await matcher.destroy();
  });
});
