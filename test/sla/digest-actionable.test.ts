/** Point 14 (and the digest's parts of 1 and 6): what a manager reads in the digest, and /mql stalled. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../helpers/db.js';
import type { TestApp } from '../../harness/app.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { handoffs, leads, outbox } from '../../db/schema.js';
import { ask, readable } from '../commands/helpers.js';
import { seedHistory } from './history-seed.js';

const NOW = new Date('2026-11-24T09:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3600_000);
const app = useTestApp({ now: () => NOW, resetBeforeEach: true });
const { fakeSlack } = app;
let database: TestDatabase;
let t: TestApp;
beforeAll(() => {
  ({ database, t } = app);
});

/** A lead whose post Slack refused: for good (`failed`), or held until the setup is fixed. */
async function seedUnposted(name: string, refusal: { failed: string } | { held: string }) {
  const [lead] = await database.db
    .insert(leads)
    .values({ source: 'seed', externalId: `u-${name}`, name, stage: 'mql' })
    .returning();
  const [handoff] = await database.db
    .insert(handoffs)
    .values({ leadId: lead!.id, qualification: 1, score: 40, threshold: 30, criteriaVersion: 1 })
    .returning();
  await database.db.insert(outbox).values({
    kind: 'post_mql',
    handoffId: handoff!.id,
    dedupeKey: `post_mql:${handoff!.id}`,
    createdAt: hoursAgo(3),
    ...('failed' in refusal
      ? { failedAt: hoursAgo(3), lastError: refusal.failed }
      : { heldReason: refusal.held, heldSince: hoursAgo(3), lastError: refusal.held }),
  });
}

const claim = (by: string, at: Date) => ({ action: 'claim' as const, by, at });

async function seedDay() {
  // Released after 4 h, unclaimed again for 1 h: waited 5 h in total.
  await seedHistory(database, {
    name: 'Released',
    postedAt: hoursAgo(5),
    steps: [claim('UREP1', hoursAgo(4.5)), { action: 'release', by: 'UREP1', at: hoursAgo(1) }],
  });
  await seedHistory(database, { name: 'Held long', postedAt: hoursAgo(30), steps: [claim('UREP2', hoursAgo(29))] });
  await seedHistory(database, {
    name: 'Won',
    postedAt: hoursAgo(6),
    steps: [claim('UREP1', hoursAgo(5.9)), { action: 'accept', by: 'UREP1', at: hoursAgo(5) }],
  });
  await seedHistory(database, {
    name: 'Lost',
    postedAt: hoursAgo(7),
    steps: [claim('UREP2', hoursAgo(6.9)), { action: 'reject', by: 'UREP2', at: hoursAgo(6), reason: 'no_budget' }],
  });
  await seedUnposted('Refused', { failed: 'msg_too_long' });
  await seedUnposted('Waiting for setup', { held: 'not_in_channel' });
}

describe('the digest tells a manager what to act on', () => {
  it('shows open leads by state, stalled leads with owner and Assign, leads that could not be posted, rates and changes', async () => {
    await seedDay();
    const preview = await ask(t, fakeSlack, 'digest preview', 'UMANAGER');
    const text = readable(preview);
    expect(preview.text).toBe('MQL digest Tue, 24 Nov 2026: 2 leads stalled, 2 could not be posted, 3 MQLs posted in the last 24 hours.');
    expect(text).toContain('*Open leads: 4* — 1 unclaimed · 1 claimed, undecided · 2 could not be posted');
    expect(text).toMatch(/\|Held long> — owner: <@UREP2> · undecided for 1 d 5 h \(decision SLA 1 d\) · waited 1 d 6 h in total/);
    expect(text).toMatch(/\|Released> — owner: nobody · waited 5 h in total; unclaimed again for 1 h since a release \(claim SLA 15 min\)/);
    expect(text).toContain('• Refused — could not be posted: msg_too_long');
    expect(text).toContain("• Waiting for setup — could not be posted: not_in_channel (held: it is posted once the bot's setup is fixed)");
    const json = JSON.stringify(preview.blocks);
    expect(json.match(/"action_id":"mql_reassign"/g)).toHaveLength(2);
    expect(json).toContain('*Accepted by reps*\\n1 (▲ 1) · 50% of decided');
    expect(json).toContain('*Rejected*\\n1 (▲ 1) · No budget 1');
    expect(json).toContain('*MQLs posted*\\n3 (▲ 2)');
    expect(json).toContain('▲▼ change against the previous 24 hours');
    expect(json).toContain('*Last 7 days:* 4 MQLs posted (▲ 4)');
  });

  it('does not repeat the week when it holds the same figures as the day', async () => {
    await seedHistory(database, { name: 'Only', postedAt: hoursAgo(1) });
    const json = JSON.stringify((await ask(t, fakeSlack, 'digest preview', 'UMANAGER')).blocks);
    expect(json.match(/MQLs posted/g)).toHaveLength(1);
    // Only the states that hold a lead are named: no "0 could not be posted".
    expect(json).toContain('*Open leads: 1* — 1 unclaimed"');
    expect(json).toContain('*Last 7 days:* the same figures as the last 24 hours (no MQLs before that).');
  });

  it('stays inside Slack limits with many stalled and unposted leads', async () => {
    for (let i = 0; i < 60; i++) await seedHistory(database, { name: `Stalled ${i} ${'x'.repeat(60)}`, postedAt: hoursAgo(2 + i / 10) });
    for (let i = 0; i < 30; i++) await seedUnposted(`Unposted ${i} ${'y'.repeat(60)}`, { failed: `invalid_blocks ${'z'.repeat(200)}` });
    const preview = await ask(t, fakeSlack, 'digest preview', 'UMANAGER');
    const blocks = preview.blocks as Array<{ type: string; text?: { text: string } }>;
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
    const text = readable(preview);
    expect(text).toContain('Stalled leads (60)');
    expect(text).toContain('Could not be posted (30)');
    expect(text).toMatch(/\nand \d+ more$/m);
    expect(JSON.stringify(blocks)).toContain('and 50 more: `/mql stalled` lists them all');
  });
});

describe('/mql stalled', () => {
  it('lists leads that could not be posted, and ages from the first post', async () => {
    await seedDay();
    const reply = await ask(t, fakeSlack, 'stalled', 'UREP9');
    expect(reply.text).toBe('2 leads are past their SLA: 2 leads could not be posted:');
    const text = readable(reply);
    expect(text).toContain('waited 5 h in total; unclaimed again for 1 h since a release');
    expect(text).toContain('• Refused — could not be posted: msg_too_long');
  });
});
