import { describe, expect, it } from 'vitest';
import { createPacer } from '../../src/outbox/pacing.js';
import { startOutboxLoop } from '../../src/outbox/worker.js';
import { SALES_CHANNEL } from '../../harness/app.js';
import { drain, eventually, rows } from '../../harness/handoff.js';
import { useTestApp } from '../helpers/use-test-app.js';

const QUEUED = 60;

describe('stopping the outbox worker', () => {
  const ctx = useTestApp();

  it('finishes the message in flight, gives the rest of its batch back, and a later drain sends them exactly once', async () => {
    const { t, database, fakeSlack } = ctx;
    const leads = Array.from({ length: QUEUED }, (_, i) => ({
      source: 'web',
      externalId: `stop-${i}`,
      name: `Lead ${i}`,
      events: [{ type: 'form_submit', occurredAt: '2026-11-23T09:00:00Z' }],
    }));
    expect((await t.api('/api/leads', { leads })).status).toBe(200);
    // A slow Slack: each post takes 50 ms.
    fakeSlack.respond('chat.postMessage', () => new Promise((resolve) => setTimeout(() => resolve(undefined), 50)));

    // A Slack without rate limits, so nothing waits for pacing here (outbox-pacing.test.ts tests that).
    const loop = startOutboxLoop(t.app.outbox, () => new Date(), { pacer: createPacer({ perChannel: {}, perMethod: {} }) });
    await eventually(
      () => fakeSlack.delivered(SALES_CHANNEL).length,
      (n) => n >= 3,
    );
    await loop.stop();

    const sent = fakeSlack.delivered(SALES_CHANNEL).length;
    // The message in flight when stop() was called is finished; nothing more is started (the batch is 20).
    expect(sent).toBeLessThan(10);
    // What was leased and not tried is due again at once, untouched: not leased, not counted as attempted.
    const [left] = await rows(
      database,
      `select count(*)::int as unsent,
              count(*) filter (where next_attempt_at > now())::int as leased,
              count(*) filter (where attempts > 0 or maybe_delivered)::int as touched
       from outbox where sent_at is null and failed_at is null`,
    );
    expect(left).toEqual({ unsent: QUEUED - sent, leased: 0, touched: 0 });

    // The next start (or another replica) sends the rest, each once.
    fakeSlack.respond('chat.postMessage', () => undefined);
    expect((await drain(t, new Date())).sent).toBe(QUEUED - sent);
    const handoffIds = fakeSlack
      .delivered(SALES_CHANNEL)
      .map((m) => Number((m.metadata as { event_payload: { handoff_id: number } }).event_payload.handoff_id))
      .sort((a, b) => a - b);
    expect(handoffIds).toEqual(Array.from({ length: QUEUED }, (_, i) => i + 1));
    expect(fakeSlack.callsTo('chat.postMessage')).toHaveLength(QUEUED);
  });
});
