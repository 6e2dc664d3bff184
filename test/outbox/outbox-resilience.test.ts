import { beforeAll, describe, expect, it } from 'vitest';
import { HttpResponse } from 'msw';
import { leaseDueMessages } from '../../db/queries/outbox.js';
import { queueMessages, threadReply, updateMql } from '../../src/outbox/messages.js';
import { LEASE_MS } from '../../src/outbox/worker.js';
import type { TestDatabase } from '../helpers/db.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { SALES_CHANNEL, startTestApp, type TestApp } from '../../harness/app.js';
import { drain, qualifyLead, rows } from '../../harness/handoff.js';

const app = useTestApp({ resetBeforeEach: true });
const { fakeSlack } = app;
let database: TestDatabase;
let t: TestApp;
// Later than anything the tests queue (the API stamps rows with the real time).
const T0 = Date.now() + 60_000;
const at = (seconds: number) => new Date(T0 + seconds * 1000);

beforeAll(() => {
  ({ database, t } = app);
});

async function queuePosts(n: number) {
  for (let i = 0; i < n; i++) await qualifyLead(t, `lead-${i}`);
}

/** Handoff ids of the posts Slack accepted, in order. */
const postedHandoffIds = () =>
  fakeSlack.delivered(SALES_CHANNEL).map((m) => Number((m.metadata as { event_payload: { handoff_id: number } }).event_payload.handoff_id));

describe('outbox under Slack failures', () => {
  it('waits out a 429 for its Retry-After, keeps retrying through 500s, then sends every post exactly once', async () => {
    await queuePosts(5);
    let calls = 0;
    fakeSlack.respond('chat.postMessage', () => {
      calls++;
      if (calls === 1)
        return new HttpResponse(JSON.stringify({ ok: false, error: 'ratelimited' }), { status: 429, headers: { 'Retry-After': '30' } });
      if (calls <= 4) return new HttpResponse('upstream broke', { status: 500 });
      return undefined;
    });

    const first = await drain(t, at(0));
    expect(first).toMatchObject({ sent: 0, retried: 1, pausedUntil: at(30) });
    // Nothing is due during the pause: no call is made.
    expect((await drain(t, at(10))).sent).toBe(0);
    expect(calls).toBe(1);

    for (let second = 31; second < 31 + 20 * 60; second += 30) await drain(t, at(second));
    expect(postedHandoffIds().sort()).toEqual([1, 2, 3, 4, 5]);
    const handoffs = await rows(database, 'select message_ts from handoffs order by id');
    expect(handoffs.every((h) => typeof h.message_ts === 'string')).toBe(true);
    expect(await rows(database, 'select count(*)::int as n from outbox where sent_at is null')).toEqual([{ n: 0 }]);
  });

  it('records an error about the message itself once and does not retry it', async () => {
    await queuePosts(1);
    fakeSlack.respond('chat.postMessage', () => ({ ok: false, error: 'invalid_blocks' }));
    expect(await drain(t, at(0))).toMatchObject({ failed: 1, sent: 0 });
    await drain(t, at(600));
    expect(fakeSlack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(await rows(database, 'select last_error, failed_at is not null as failed from outbox')).toEqual([
      { last_error: 'invalid_blocks', failed: true },
    ]);
    // A reply in the thread of a post that will never exist is dropped, not retried forever.
    await queueMessages(database.db, [threadReply(1, 'reminder', 'r1')], at(600));
    expect(await drain(t, at(601))).toMatchObject({ failed: 1, retried: 0 });
    expect((await rows(database, `select last_error from outbox where dedupe_key = 'r1'`))[0]!.last_error).toBe(
      'the post of handoff 1 failed (invalid_blocks)',
    );
  });
});

describe('outbox on several replicas', () => {
  it('two workers draining side by side send each post once', async () => {
    await queuePosts(30);
    const replica = await startTestApp(database);
    try {
      const results = await Promise.all([drain(t, at(0)), drain(replica, at(0)), drain(t, at(0)), drain(replica, at(0))]);
      expect(results.reduce((n, r) => n + r.sent, 0)).toBe(30);
      expect(postedHandoffIds().sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    } finally {
      await replica.stop();
    }
  });
});

describe('outbox across a crash and restart', () => {
  it('after a lost answer, a new app instance finds the post in the channel instead of posting it twice', async () => {
    await queuePosts(3);
    let calls = 0;
    fakeSlack.respond('chat.postMessage', (args) => {
      calls++;
      if (calls !== 2) return undefined;
      // Slack took the message, but the answer never reached us.
      fakeSlack.deliver(String(args.channel), { ts: '1699999999.000200', metadata: args.metadata });
      return HttpResponse.error();
    });
    await drain(t, at(0));
    expect(postedHandoffIds()).toEqual([1, 2, 3]);

    // The file's app from here on (the fixture stops it after the file).
    t = await app.restart();
    await drain(t, at(3600));
    expect(postedHandoffIds()).toEqual([1, 2, 3]);
    expect(fakeSlack.callsTo('chat.postMessage')).toHaveLength(3);
    const [second] = await rows(database, 'select message_ts from handoffs where id = 2');
    expect(second!.message_ts).toBe('1699999999.000200');
  });

  it('finds a post whose answer was lost even when a burst of later messages pushed it pages back', async () => {
    await queuePosts(1);
    fakeSlack.respond('chat.postMessage', (args) => {
      // Slack took the message, but the answer never reached us; then 450 more messages arrived.
      fakeSlack.deliver(String(args.channel), { ts: '1699999999.000300', metadata: args.metadata });
      for (let i = 0; i < 450; i++)
        fakeSlack.deliver(String(args.channel), { ts: `1700000001.${String(i).padStart(6, '0')}`, text: `later ${i}` });
      return HttpResponse.error();
    });
    await drain(t, at(0));
    fakeSlack.respond('chat.postMessage', () => undefined);
    await drain(t, at(3600));
    expect(fakeSlack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(fakeSlack.callsTo('conversations.history').length).toBeGreaterThanOrEqual(3);
    const [handoff] = await rows(database, 'select message_ts from handoffs where id = 1');
    expect(handoff!.message_ts).toBe('1699999999.000300');
  });

  it('sends what a dead worker had leased once its lease lapses, and never twice', async () => {
    await queuePosts(3);
    // A worker leases everything, gets post 1 into Slack, and dies before recording anything.
    const leased = await leaseDueMessages(database.db, at(0), 10, LEASE_MS);
    expect(leased).toHaveLength(3);
    fakeSlack.deliver(SALES_CHANNEL, {
      ts: '1699999999.000100',
      metadata: { event_type: 'mql_handoff', event_payload: { handoff_id: 1 } },
    });

    const restarted = await startTestApp(database);
    try {
      expect((await drain(restarted, at(30))).sent).toBe(0);
      expect((await drain(restarted, at(61))).sent).toBe(3);
      expect(postedHandoffIds()).toEqual([1, 2, 3]);
      await drain(restarted, at(3600));
      expect(postedHandoffIds()).toEqual([1, 2, 3]);
    } finally {
      await restarted.stop();
    }
  });

  it("sends what waited for a post as soon as the post goes, not at the waiting message's own retry", async () => {
    const lead = await qualifyLead(t, 'late-post');
    const [row] = await rows(database, `select id::int as id, version from handoffs where lead_id = ${lead.id}`);
    const handoff = { id: Number(row!.id), version: Number(row!.version) };
    await queueMessages(database.db, [updateMql(handoff, 'change')], at(0));
    let calls = 0;
    fakeSlack.respond('chat.postMessage', () => (++calls === 1 ? new HttpResponse('upstream broke', { status: 503 }) : undefined));
    // The post fails (retried within ~1 s); the update waits for it (its own retry 5 s later).
    await drain(t, at(0));
    expect(fakeSlack.callsTo('chat.update')).toHaveLength(0);
    await drain(t, at(2));
    await drain(t, at(2));
    expect(postedHandoffIds()).toEqual([handoff.id]);
    expect(fakeSlack.callsTo('chat.update')).toHaveLength(1);
  });
});
