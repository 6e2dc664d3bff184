import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app instance, so tests can run several apps in one process. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
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
