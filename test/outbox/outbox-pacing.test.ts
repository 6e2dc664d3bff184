import { HttpResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { leaseDueMessages, nextDueAt } from '../../db/queries/outbox.js';
import { routingVersions } from '../../db/schema.js';
import type { Route } from '../../db/types.js';
import { SALES_CHANNEL } from '../../harness/app.js';
import { qualifyLead, rows } from '../../harness/handoff.js';
import { enforceRate, type SlackRateLimit } from '../../harness/slack-rate-limit.js';
import { channelMessage, claimedDm, dm, offerDm, queuedMessage, queueMessages, threadReply, updateMql } from '../../src/outbox/messages.js';
import { createPacer } from '../../src/outbox/pacing.js';
import { drainOutbox, LEASE_MS } from '../../src/outbox/worker.js';
import { useTestApp } from '../helpers/use-test-app.js';

const START = Date.parse('2026-11-23T10:00:00Z');
/** The clock of the app, the worker and the fake Slack alike: the tests move it as the worker's loop would wait. */
let clock = new Date(START);
const app = useTestApp({ now: () => clock, resetBeforeEach: true });
const { fakeSlack } = app;

const EMEA = 'CEMEA';
const APAC = 'CAPAC';
const route = (name: string, country: string, channel: string): Route => ({
  name,
  conditions: [{ field: 'country', op: '=', value: country }],
  channel,
  team: null,
  mode: 'claim',
});

/** Slack as documented: a message per second per channel, bursts of 3; past that it answers 429. */
let channelLimit: SlackRateLimit;
/** A workspace-wide limit Slack does not publish; set by a test to make Slack refuse what pacing let through. */
let workspaceLimit: SlackRateLimit | null;

beforeEach(async () => {
  clock = new Date(START);
  channelLimit = enforceRate({ intervalMs: 1000, burst: 3 });
  workspaceLimit = null;
  await app.database.db
    .insert(routingVersions)
    .values({ version: 1, routes: [route('emea', 'Germany', EMEA), route('apac', 'India', APAC)], change: 'test', createdBy: 'UMANAGER' });
  fakeSlack.respond('chat.postMessage', (args) => {
    const now = clock.getTime();
    if (channelLimit.accept(String(args.channel), now) && (workspaceLimit?.accept('workspace', now) ?? true)) return undefined;
    return new HttpResponse(JSON.stringify({ ok: false, error: 'ratelimited' }), { status: 429, headers: { 'Retry-After': '5' } });
  });
});

/** Drains as the worker's loop does: a pass, then another as soon as the next waiting message falls due. */
async function drainAsTheLoopDoes() {
  const pacing = { pacer: createPacer(), clock: () => clock };
  const passes = [];
  for (let pass = 0; pass < 100; pass++) {
    passes.push(await drainOutbox(app.t.app.outbox, clock, { pacing }));
    const next = await nextDueAt(app.database.db, clock);
    if (!next) return passes;
    clock = next;
  }
  throw new Error('the outbox did not drain in 100 passes');
}

const handoffIdOf = (message: Record<string, unknown>) =>
  Number((message.metadata as { event_payload: { handoff_id: number } }).event_payload.handoff_id);
const postsIn = (channel: string) =>
  fakeSlack
    .delivered(channel)
    .filter((m) => m.metadata)
    .map(handoffIdOf);
const metrics = async () => (await app.t.api('/metrics')).body as string;

describe('the outbox paces itself to Slack', () => {
  it('drains 3 channels × 10 posts with no 429: each post once, in order per channel, before a digest and a reminder queued earlier', async () => {
    await queueMessages(
      app.database.db,
      [channelMessage({ channel: SALES_CHANNEL, text: 'daily digest' }, 'digest:1'), dm(null, 'UREP', 'a reminder', 'reminder:1')],
      clock,
    );
    for (let i = 0; i < 30; i++) await qualifyLead(app.t, `lead-${i}`, { country: ['Germany', 'India', 'Peru'][i % 3] });

    const passes = await drainAsTheLoopDoes();

    expect(channelLimit.refused()).toBe(0);
    for (const channel of [EMEA, APAC, SALES_CHANNEL]) {
      const posted = postsIn(channel);
      expect(posted).toHaveLength(10);
      expect(posted).toEqual([...posted].sort((a, b) => a - b));
    }
    expect(fakeSlack.callsTo('chat.postMessage')).toHaveLength(32);
    // The digest was queued first, yet waits for every post of its channel.
    expect(fakeSlack.delivered(SALES_CHANNEL).at(-1)).toMatchObject({ text: 'daily digest' });
    // The reminder's channel is free: it goes in the first pass, after the posts that pass could send.
    const order = fakeSlack.callsTo('chat.postMessage').map((c) => c.args.channel);
    expect(order.indexOf('UREP')).toBe(9);
    expect(passes[0]).toMatchObject({ sent: 10, paced: 22 });
    // As fast as Slack allows: 11 messages in the sales channel, 3 at once and then one a second.
    expect(clock.getTime() - START).toBe(8000);
    // Waiting for the limit used up no attempt.
    expect(await rows(app.database, 'select distinct attempts, sent_at is not null as sent from outbox')).toEqual([
      { attempts: 1, sent: true },
    ]);

    const scraped = await metrics();
    expect(scraped).toMatch(/^mql_slack_api_calls_total\{method="chat.postMessage",result="ok"\} 32$/m);
    expect(scraped).toMatch(/^mql_outbox_paced_total\{method="chat.postMessage"\} [1-9]\d*$/m);
    expect(scraped).not.toMatch(/^mql_slack_rate_limited_total\{/m);
    expect(scraped).toMatch(/^mql_outbox_depth\{kind="post_mql"\} 0$/m);
  });

  it('a long queue in one channel holds up no other channel, even past a batch', async () => {
    for (let i = 0; i < 25; i++) await qualifyLead(app.t, `sales-${i}`);
    await qualifyLead(app.t, 'emea-1', { country: 'Germany' });

    const first = await drainOutbox(app.t.app.outbox, clock, { pacing: { pacer: createPacer(), clock: () => clock } });

    expect(first).toMatchObject({ sent: 4, paced: 22 });
    expect(postsIn(EMEA)).toHaveLength(1);
    expect(postsIn(SALES_CHANNEL)).toEqual([1, 2, 3]);
  });

  it('still waits out a 429 for its Retry-After when Slack limits what pacing let through, and counts it', async () => {
    // A workspace-wide limit of 4 messages, then one every 2 seconds, across channels.
    workspaceLimit = enforceRate({ intervalMs: 2000, burst: 4 });
    for (let i = 0; i < 9; i++) await qualifyLead(app.t, `lead-${i}`, { country: ['Germany', 'India', 'Peru'][i % 3] });
    const scrapedBefore = await metrics();
    expect(scrapedBefore).toMatch(/^mql_outbox_depth\{kind="post_mql"\} 9$/m);

    const passes = await drainAsTheLoopDoes();

    expect(passes[0]).toMatchObject({ sent: 4, retried: 1, pausedUntil: new Date(START + 5000) });
    expect([EMEA, APAC, SALES_CHANNEL].flatMap(postsIn).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const scraped = await metrics();
    expect(scraped).toMatch(/^mql_slack_rate_limited_total\{method="chat.postMessage"\} [1-9]\d*$/m);
    expect(scraped).toMatch(/^mql_slack_api_calls_total\{method="chat.postMessage",result="http_429"\} [1-9]\d*$/m);
  });
});

describe('what goes first', () => {
  it('the post, its updates and offer DMs, then claim DMs, reminders, and digests last, whatever order they were queued in', async () => {
    await qualifyLead(app.t, 'lead-1');
    const handoff = { id: 1, version: 2 };
    // Least urgent first: the lease must reorder them.
    await queueMessages(
      app.database.db,
      [
        channelMessage({ channel: SALES_CHANNEL, text: 'digest' }, 'digest:1'),
        threadReply(1, 'nudge', 'reply:1'),
        dm(1, 'UREP', 'reminder', 'reminder:1'),
        claimedDm(handoff, 'UREP'),
        offerDm(1, { id: 5, userId: 'UCY' }),
        updateMql(handoff, 'change'),
      ],
      clock,
    );
    const leased = await leaseDueMessages(app.database.db, clock, 20, LEASE_MS);
    // Within a rank, in the order queued.
    expect(leased.map((m) => queuedMessage(m).kind)).toEqual([
      'post_mql',
      'offer_dm',
      'update_mql',
      'claimed_dm',
      'thread_reply',
      'dm',
      'channel_message',
    ]);
  });
});
