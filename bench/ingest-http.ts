import { startTestApp } from '../harness/app.js';
import type { Measurement, Section } from './section.js';

const BATCHES = 20;
const BATCH_SIZE = 1000;

/**
 * A minute per lead, ending now: every event is in the past (the API refuses future ones) and inside the default
 * 30-day window, whenever the bench runs.
 */
const START = Date.now() - (BATCHES + 1) * BATCH_SIZE * 60_000;

/** Leads like a form/marketing-automation feed sends: a few attributes, a few events; about a quarter qualify. */
function generatedBatch(batch: number) {
  return Array.from({ length: BATCH_SIZE }, (_, i) => {
    const n = batch * BATCH_SIZE + i;
    const at = (seconds: number) => new Date(START + n * 60_000 + seconds * 1000).toISOString();
    return {
      source: 'bench',
      externalId: `lead-${n}`,
      email: `lead-${n}@example.com`,
      name: `Lead ${n}`,
      company: `Company ${n % 97}`,
      title: ['Engineer', 'Analyst', 'VP Sales', 'Student'][n % 4]!,
      country: ['India', 'United States', 'Germany'][n % 3]!,
      attributes: {
        'Lead Origin': n % 10 === 0 ? 'Lead Add Form' : 'Landing Page Submission',
        TotalVisits: n % 9,
        'Total Time Spent on Website': (n * 37) % 1000,
        'Do Not Email': n % 10 === 0 ? 'Yes' : 'No',
      },
      events: [
        { type: 'email_open', occurredAt: at(0) },
        { type: 'email_click', occurredAt: at(1) },
        ...(n % 7 === 0 ? [{ type: 'form_submit', occurredAt: at(2) }] : []),
      ],
    };
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/** POST /api/leads against the real app over HTTP, one client sending 1,000-lead batches back to back. */
export const ingestHttp: Section = {
  name: 'lead intake over HTTP',
  perDatabase: true,
  async run(database) {
    // Nothing here calls Slack; should anything try, it meets a closed local port rather than the network.
    const app = await startTestApp(database, { env: { SLACK_API_URL: 'http://127.0.0.1:9/api/' } });
    try {
      const post = async (batch: number) => {
        const res = await app.api('/api/leads', { leads: generatedBatch(batch) });
        if (res.status !== 200 || res.body.leads?.length !== BATCH_SIZE) {
          throw new Error(`POST /api/leads answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
        }
        return res.body.leads.filter((l: { queuedForSales: boolean }) => l.queuedForSales).length as number;
      };
      await post(BATCHES); // warm-up (JIT, connection pool, plan caches); not counted
      const latencies: number[] = [];
      let queued = 0;
      const started = performance.now();
      for (let b = 0; b < BATCHES; b++) {
        const t = performance.now();
        queued += await post(b);
        latencies.push(performance.now() - t);
      }
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      const measurements: Measurement[] = [
        {
          metric: 'leads/s through POST /api/leads',
          value: (BATCHES * BATCH_SIZE) / seconds,
          unit: 'leads/s',
          target: { atLeast: 2000 },
          note: `${BATCHES} × ${BATCH_SIZE.toLocaleString('en-US')} leads with 2-3 events, ${queued.toLocaleString('en-US')} queued for sales`,
        },
        { metric: 'batch latency p50', value: percentile(latencies, 0.5), unit: 'ms' },
        { metric: 'batch latency p95', value: percentile(latencies, 0.95), unit: 'ms' },
      ];
      return measurements;
    } finally {
      await app.stop();
    }
  },
};
