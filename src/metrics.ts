import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per app instance, so tests can run several apps in one process. `countHeld` counts the outbox
 * messages held for the bot's setup; it is asked at each scrape, so every replica reports the same truth.
 */
export function createMetrics(countHeld: () => Promise<number> = async () => 0) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    outboxHeld: new Gauge({
      name: 'mql_outbox_held_messages',
      help: 'Slack messages held because Slack refused them for the bot setup (token, channel, permission); sent once that is fixed',
      registers: [registry],
      async collect() {
        try {
          this.set(await countHeld());
        } catch {
          // Without the database the last count stands: a scrape must not fail for it.
        }
      },
    }),
    registry,
    leadsIngested: new Counter({
      name: 'mql_leads_ingested_total',
      help: 'Leads received through the API, by outcome of the upsert',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    leadsScored: new Counter({ name: 'mql_leads_scored_total', help: 'Leads scored', registers: [registry] }),
    leadsQualified: new Counter({
      name: 'mql_leads_qualified_total',
      help: 'Leads that crossed the threshold and were queued for sales',
      registers: [registry],
    }),
    slackRequestsRefused: new Counter({
      name: 'mql_slack_requests_refused_total',
      help: 'Requests to /slack/events refused before routing: bad signature, stale or future timestamp, replay, malformed payload',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'mql_http_request_duration_seconds',
      help: 'HTTP API latency',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
