import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { TestDatabase } from '../helpers/db.js';
import type { TestApp } from '../../harness/app.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { drain, rows } from '../../harness/handoff.js';
import { seedHistory } from '../sla/history-seed.js';
import { ask } from './helpers.js';

const NOW = new Date('2026-11-24T09:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3600_000);
const app = useTestApp({ now: () => NOW, env: { SLACK_DIGEST_CHANNEL: 'CDIGEST' }, resetBeforeEach: true });
const { fakeSlack } = app;
let database: TestDatabase;
let t: TestApp;
beforeAll(() => {
  ({ database, t } = app);
});
beforeEach(async () => {
  await seedHistory(database, {
    name: 'Quick',
    postedAt: hoursAgo(5),
    steps: [
      { action: 'claim', by: 'UREP1', at: new Date(hoursAgo(5).getTime() + 10 * 60_000) },
      { action: 'accept', by: 'UREP1', at: hoursAgo(3) },
    ],
  });
  await seedHistory(database, {
    name: 'Nope',
    postedAt: hoursAgo(30),
    steps: [
      { action: 'claim', by: 'UREP2', at: hoursAgo(29) },
      { action: 'reject', by: 'UREP2', at: hoursAgo(28), reason: 'no_timing' },
    ],
  });
  await seedHistory(database, { name: 'Forgotten', postedAt: hoursAgo(2) });
});

const json = (value: unknown) => JSON.stringify(value);

describe('/mql stats', () => {
  it('gives managers the figures of the last N days (7 by default)', async () => {
    const week = await ask(t, fakeSlack, 'stats', 'UMANAGER');
    expect(week.response_type).toBe('ephemeral');
    expect(week.text).toBe('Last 7 days: 3 MQLs posted, 2 claims, 1 accepted, 1 rejected.');
    expect(json(week.blocks)).toContain('No timing 1');
    expect(json(week.blocks)).toContain('median 10 min');
    const day = await ask(t, fakeSlack, 'stats 1', 'UMANAGER');
    expect(day.text).toBe('Last 24 hours: 2 MQLs posted, 1 claim, 1 accepted, 0 rejected.');
  });

  it('refuses a bad number of days with the right form, and non-managers with who may', async () => {
    const bad = await ask(t, fakeSlack, 'stats lots', 'UMANAGER');
    expect(bad.text).toContain('give the number of days (a whole number from 1 to 90) and/or by version|source|rep|route');
    expect(bad.text).toContain('`/mql stats [days] [by version|source|rep|route]`');
    expect((await ask(t, fakeSlack, 'stats 7 by colour', 'UMANAGER')).text).toContain('`/mql stats [days] [by version|source|rep|route]`');
    const rep = await ask(t, fakeSlack, 'stats', 'UREP1');
    expect(rep.text).toBe(':no_entry: Only managers may use `/mql stats`: <@UMANAGER>. Nothing was done.');
  });
});

describe('/mql stalled', () => {
  it('lists leads past their SLA with links to their posts, for anyone', async () => {
    const reply = await ask(t, fakeSlack, 'stalled', 'UREP9');
    expect(reply.text).toBe('1 lead is past their SLA:');
    expect(json(reply.blocks)).toMatch(
      /<https:\/\/slack\.com\/archives\/CSALES\/p1700000001\d{6}\|Forgotten> — owner: nobody · unclaimed for 2 h \(claim SLA 15 min\)/,
    );
  });

  it('says so when nothing is stalled', async () => {
    await database.db.execute(
      sql`update handoffs set claimed_by = 'UREP3', claimed_at = ${NOW.toISOString()}::timestamptz where decision is null`,
    );
    expect((await ask(t, fakeSlack, 'stalled')).text).toContain('Nothing is stalled');
  });
});

describe('/mql digest', () => {
  it('posts the digest to the digest channel now, for managers only', async () => {
    const refused = await ask(t, fakeSlack, 'digest now', 'UREP1');
    expect(refused.text).toContain('Only managers may use `/mql digest now`');
    expect(await rows(database, 'select count(*)::int as n from outbox')).toEqual([{ n: 0 }]);

    const reply = await ask(t, fakeSlack, 'digest now', 'UMANAGER');
    expect(reply.text).toBe(':white_check_mark: The digest is on its way to <#CDIGEST>.');
    await drain(t, NOW);
    const posted = fakeSlack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'CDIGEST');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.args.text).toBe('MQL digest Tue, 24 Nov 2026: 1 lead stalled, 2 MQLs posted in the last 24 hours.');
  });

  it('answers /mql digest alone with the words that may follow, not the whole help', async () => {
    const reply = await ask(t, fakeSlack, 'digest', 'UMANAGER');
    expect(reply.text.split('\n')[0]).toBe(':warning: `/mql digest` needs `now` or `preview`:');
    expect(reply.text).toContain('`/mql digest preview`');
    expect(reply.text).not.toContain('/mql criteria');
  });

  it('previews the digest privately without posting anything', async () => {
    const preview = await ask(t, fakeSlack, 'digest preview', 'UMANAGER');
    expect(preview.response_type).toBe('ephemeral');
    expect(json(preview.blocks)).toContain('Stalled leads (1)');
    expect(await rows(database, 'select count(*)::int as n from outbox')).toEqual([{ n: 0 }]);
  });
});
