import { routingVersions } from '../db/schema.js';
import type { Route } from '../db/types.js';
import { startTestApp } from '../harness/app.js';
import { eventually, qualifyLead } from '../harness/handoff.js';
import { startSlackStub } from './slack-stub.js';
import type { Section } from './section.js';

const LEADS = 60;
const REPS = ['UREP1', 'UREP2', 'UREP3'];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

/**
 * Qualification to offer DM, as a rep waits for it: a lead posted to the API under a round-robin route, with the
 * bot's own workers running (router and outbox, woken by the intake), until the stub Slack receives the DM.
 */
export const routingOffer: Section = {
  name: 'routing',
  perDatabase: true,
  async run(database) {
    let dms = 0;
    const stub = await startSlackStub(({ method, args }) => {
      if (method === 'chat.postMessage' && args.channel?.startsWith('U')) dms++;
    });
    const t = await startTestApp(database, { env: { SLACK_API_URL: stub.apiUrl } });
    try {
      const route: Route = {
        name: 'everyone',
        conditions: [{ field: 'score', op: '>=', value: '0' }],
        channel: 'CSALES',
        team: { users: REPS, groups: [], weights: {} },
        mode: 'round-robin',
      };
      await database.db.insert(routingVersions).values({ version: 1, routes: [route], change: 'bench', createdBy: 'bench' });
      t.app.startWorkers();
      const latencies: number[] = [];
      for (let i = 0; i < LEADS; i++) {
        const started = performance.now();
        await qualifyLead(t, `routed-${i}`, {}, new Date().toISOString());
        await eventually(
          () => dms,
          (n) => n > i,
          10_000,
        );
        latencies.push(performance.now() - started);
      }
      latencies.sort((a, b) => a - b);
      const note = `${LEADS} leads one after another, each from POST /api/leads to the offer DM reaching a local stub Slack`;
      return [
        { metric: 'qualification → offer DM p50', value: percentile(latencies, 0.5), unit: 'ms', note },
        { metric: 'qualification → offer DM p95', value: percentile(latencies, 0.95), unit: 'ms', target: { atMost: 1000 }, note },
      ];
    } finally {
      await t.stop();
      await stub.close();
    }
  },
};
