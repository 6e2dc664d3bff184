import { startTestApp } from '../harness/app.js';
import { generatedLeads, timelineEndingNow } from './generated-leads.js';
import { BATCH_SIZE, timeIntakeAndFloor } from './intake.js';
import { percentile, type Measurement, type Section } from './section.js';

const BATCHES = 20;
const TIMELINE = timelineEndingNow((BATCHES + 1) * BATCH_SIZE);
const batch = (b: number) => generatedLeads(b * BATCH_SIZE, BATCH_SIZE, TIMELINE);

/**
 * POST /api/leads against the real app over HTTP, one client sending 1,000-lead batches back to back; then the
 * floor: the same rows in plain multi-row inserts into a table without keys, on the same database.
 */
export const ingestHttp: Section = {
  name: 'lead intake over HTTP',
  perDatabase: true,
  async run(database) {
    // Nothing here calls Slack; should anything try, it meets a closed local port rather than the network.
    const app = await startTestApp(database, { env: { SLACK_API_URL: 'http://127.0.0.1:9/api/' } });
    try {
      const batches = Array.from({ length: BATCHES }, (_, b) => batch(b));
      const { latencies, seconds, queued, plainSeconds, driver } = await timeIntakeAndFloor(app, database, batches, batch(BATCHES));
      latencies.sort((a, b) => a - b);
      const leads = BATCHES * BATCH_SIZE;
      const measurements: Measurement[] = [
        {
          metric: 'leads/s through POST /api/leads',
          value: leads / seconds,
          unit: 'leads/s',
          floor: { value: leads / plainSeconds, label: `plain multi-row insert (${driver})` },
          target: { atLeast: 0.5 },
          note: `${BATCHES} × ${BATCH_SIZE.toLocaleString('en-US')} leads with 2-3 events, ${queued.toLocaleString('en-US')} queued for sales; floor: the same rows, one insert a batch, into a table without keys`,
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
