import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SIGNING_SECRET, startTestApp } from '../harness/app.js';
import { drain, eventually, handoffsOf, qualifyLead, rows } from '../harness/handoff.js';
import { startSlackStub } from './slack-stub.js';
import type { Section } from './section.js';

const ROUNDS = 20;
const CLICKS = 50;
const LOAD = fileURLToPath(new URL('./click-load.mjs', import.meta.url));

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

/** 50 reps clicking Claim on the same lead at once, 20 times over, from another process: how fast each is acked. */
export const claimAck: Section = {
  name: 'claim clicks',
  perDatabase: true,
  async run(database) {
    const stub = await startSlackStub();
    const t = await startTestApp(database, { env: { SLACK_API_URL: stub.apiUrl } });
    try {
      const handoffIds: number[] = [];
      for (let round = 0; round <= ROUNDS; round++) {
        const lead = await qualifyLead(t, `claim-bench-${round}`);
        handoffIds.push((await handoffsOf(database, lead.id))[0]!.id);
      }
      await drain(t, new Date(Date.now() + 60_000));
      const args = {
        url: `${t.baseUrl}/slack/events`,
        secret: SIGNING_SECRET,
        responseUrl: stub.responseUrl,
        handoffIds,
        clicks: CLICKS,
        pauseMs: 300,
      };
      const { stdout } = await promisify(execFile)(process.execPath, [LOAD, JSON.stringify(args)], { maxBuffer: 10 * 1024 * 1024 });
      const latencies = (JSON.parse(stdout) as number[]).sort((a, b) => a - b);
      // Every round has exactly one winner: the race is won once however fast the acks are.
      const claimed = await eventually(
        () => rows(database, 'select count(*)::int as n from handoffs where claimed_by is not null'),
        (r) => r[0]!.n === ROUNDS + 1,
      );
      const note = `${ROUNDS} rounds × ${CLICKS} concurrent signed clicks on one lead, from a separate process; exactly one winner on each of the ${claimed[0]!.n} leads`;
      return [
        { metric: 'ack latency p50', value: percentile(latencies, 0.5), unit: 'ms', note },
        { metric: 'ack latency p99', value: percentile(latencies, 0.99), unit: 'ms', target: { atMost: 50 }, note },
      ];
    } finally {
      await t.stop();
      await stub.close();
    }
  },
};
