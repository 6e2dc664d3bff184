import { startTestApp } from '../harness/app.js';
import { drain } from '../harness/handoff.js';
import { startSlackStub } from './slack-stub.js';
import type { Section } from './section.js';

const POSTS = 500;

/** How many MQL posts per second the outbox worker sends when Slack answers at once and never limits. */
export const outboxDrain: Section = {
  name: 'outbox',
  perDatabase: true,
  async run(database) {
    const stub = await startSlackStub();
    const t = await startTestApp(database, { env: { SLACK_API_URL: stub.apiUrl } });
    try {
      const leads = Array.from({ length: POSTS }, (_, i) => ({
        source: 'bench',
        externalId: `post-${i}`,
        name: `Lead ${i}`,
        events: [{ type: 'form_submit', occurredAt: '2026-11-23T09:00:00Z' }],
      }));
      const res = await t.api('/api/leads', { leads });
      if (res.status !== 200) throw new Error(`queueing posts failed: ${res.status}`);
      const started = performance.now();
      const result = await drain(t, new Date(Date.now() + 60_000));
      const seconds = (performance.now() - started) / 1000;
      if (result.sent !== POSTS) throw new Error(`sent ${result.sent} of ${POSTS}`);
      return [{ metric: 'posts drained/s', value: POSTS / seconds, unit: 'posts/s', note: `${POSTS} MQL posts to a local stub Slack` }];
    } finally {
      await t.stop();
      await stub.close();
    }
  },
};
