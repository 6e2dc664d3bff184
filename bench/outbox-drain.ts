import { routingVersions } from '../db/schema.js';
import type { Route } from '../db/types.js';
import { startTestApp } from '../harness/app.js';
import { startOutboxLoop } from '../src/outbox/worker.js';
import { startSlackStub } from './slack-stub.js';
import type { Section } from './section.js';

/** Three channels (two routes and the sales channel), as many posts for each. */
const CHANNELS = [
  { country: 'Germany', channel: 'CEMEA' },
  { country: 'India', channel: 'CAPAC' },
  { country: 'Peru', channel: 'CSALES' },
];
const POSTS_PER_CHANNEL = 20;
/**
 * Slack's documented posting limit as the stub enforces it, with the burst the bot assumes. The stub forgives
 * 100 ms per window: it reads the clock when a request arrives, which on a busy event loop is not when the
 * bot sent it.
 */
const SLACK_RATE = { intervalMs: 1000, burst: 3, toleranceMs: 100 };

const route = ({ country, channel }: (typeof CHANNELS)[number]): Route => ({
  name: channel.toLowerCase(),
  conditions: [{ field: 'country', op: '=', value: country }],
  channel,
  team: null,
  mode: 'claim',
});

/**
 * The outbox worker's own loop draining MQL posts into three channels, against a stub Slack that refuses
 * (429) any post past its rate limit: how close the drain comes to the fastest Slack allows, and whether
 * Slack had to refuse anything.
 */
export const outboxDrain: Section = {
  name: 'outbox',
  perDatabase: true,
  async run(database) {
    let posted = 0;
    let lastPostAt = 0;
    const stub = await startSlackStub(
      ({ method }) => {
        if (method !== 'chat.postMessage') return;
        posted++;
        lastPostAt = performance.now();
      },
      { postsPerChannel: SLACK_RATE },
    );
    const t = await startTestApp(database, { env: { SLACK_API_URL: stub.apiUrl } });
    try {
      await database.db
        .insert(routingVersions)
        .values({ version: 1, routes: CHANNELS.filter((c) => c.channel !== 'CSALES').map(route), change: 'bench', createdBy: 'UBENCH' });
      const leads = CHANNELS.flatMap(({ country }) =>
        Array.from({ length: POSTS_PER_CHANNEL }, (_, i) => ({
          source: 'bench',
          externalId: `${country}-${i}`,
          name: `Lead ${i}`,
          country,
          events: [{ type: 'form_submit', occurredAt: '2026-11-23T09:00:00Z' }],
        })),
      );
      const res = await t.api('/api/leads', { leads });
      if (res.status !== 200) throw new Error(`queueing posts failed: ${res.status}`);

      const total = leads.length;
      const started = performance.now();
      const loop = startOutboxLoop(t.app.outbox, () => new Date());
      try {
        while (posted < total) {
          if (performance.now() - started > 120_000) throw new Error(`posted ${posted} of ${total} in 2 minutes`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      } finally {
        await loop.stop();
      }
      const seconds = (lastPostAt - started) / 1000;
      // The fastest Slack allows: each channel's burst at once, then one a second.
      const fastestSeconds = ((POSTS_PER_CHANNEL - SLACK_RATE.burst) * SLACK_RATE.intervalMs) / 1000;
      const note = `${CHANNELS.length} channels × ${POSTS_PER_CHANNEL} MQL posts, the worker's loop, a stub enforcing 1 post/s per channel (burst ${SLACK_RATE.burst})`;
      return [
        {
          metric: 'drain',
          value: total / seconds,
          unit: 'posts/s',
          floor: { value: total / fastestSeconds, label: "Slack's allowed rate" },
          target: { atLeast: 0.95 },
          note,
        },
        { metric: '429s', value: stub.rateLimited(), unit: 'responses', target: { atMost: 0 }, note: 'answered 429 by the stub' },
      ];
    } finally {
      await t.stop();
      await stub.close();
    }
  },
};
