import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Figures read from the database at each scrape, so every replica reports the same truth. */
export interface ScrapedCounts {
  /** Outbox messages held for the bot's setup. */
  held(): Promise<number>;
  /** Outbox messages waiting to be sent, and how long the oldest has waited, by kind. */
  outbox(): Promise<Array<{ kind: string; depth: number; oldestAgeSeconds: number }>>;
  /** Webhook endpoints reported failing, and deliveries waiting for configured endpoints. */
  webhooks(): Promise<{ failing: number; pending: number }>;
}

const NONE: ScrapedCounts = { held: async () => 0, outbox: async () => [], webhooks: async () => ({ failing: 0, pending: 0 }) };

/** A gauge set from the database at each scrape; without the database the last count stands (a scrape must not fail for it). */
function scrapedGauge(registry: Registry, name: string, help: string, read: () => Promise<number>) {
  return new Gauge({
    name,
    help,
    registers: [registry],
    async collect() {
      try {
        this.set(await read());
      } catch {
        // keep the last value
      }
    },
  });
}

/** Like scrapedGauge, one value per label value: a label value the database no longer reports is dropped. */
function scrapedLabelledGauge(registry: Registry, name: string, help: string, label: string, read: () => Promise<Array<[string, number]>>) {
  return new Gauge({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    async collect() {
      try {
        const values = await read();
        this.reset();
        for (const [labelValue, value] of values) this.set({ [label]: labelValue }, value);
      } catch {
        // keep the last values
      }
    },
  });
}

/** One registry per app instance, so tests can run several apps in one process. */
export function createMetrics(counts: ScrapedCounts = NONE) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    outboxHeld: scrapedGauge(
      registry,
      'mql_outbox_held_messages',
      'Slack messages held because Slack refused them for the bot setup (token, channel, permission); sent once that is fixed',
      counts.held,
    ),
    outboxDepth: scrapedLabelledGauge(
      registry,
      'mql_outbox_depth',
      'Slack messages waiting in the outbox to be sent (due, retrying or paced; held ones are counted apart), by kind',
      'kind',
      async () => (await counts.outbox()).map((f) => [f.kind, f.depth]),
    ),
    outboxOldestAge: scrapedLabelledGauge(
      registry,
      'mql_outbox_oldest_age_seconds',
      'How long the oldest Slack message waiting in the outbox has waited, by kind (0: none waits)',
      'kind',
      async () => (await counts.outbox()).map((f) => [f.kind, f.oldestAgeSeconds]),
    ),
    outboxPaced: new Counter({
      name: 'mql_outbox_paced_total',
      help: "Outbox messages left for later to keep to Slack's rate limits, by the method they wait to call",
      labelNames: ['method'] as const,
      registers: [registry],
    }),
    slackApiCalls: new Counter({
      name: 'mql_slack_api_calls_total',
      help: 'Slack Web API calls by method and result: ok, the Slack error, http_<status>, timeout or request_error (no answer)',
      labelNames: ['method', 'result'] as const,
      registers: [registry],
    }),
    slackRateLimited: new Counter({
      name: 'mql_slack_rate_limited_total',
      help: 'Slack Web API calls answered 429 (rate limited), by method',
      labelNames: ['method'] as const,
      registers: [registry],
    }),
    webhookFailingEndpoints: scrapedGauge(
      registry,
      'mql_webhook_failing_endpoints',
      'Configured webhook URLs reported failing (their deliveries wait and are retried until they recover)',
      async () => (await counts.webhooks()).failing,
    ),
    webhookPendingDeliveries: scrapedGauge(
      registry,
      'mql_webhook_pending_deliveries',
      'Webhook deliveries not yet delivered to configured URLs (due, retrying or waiting for an earlier event of their lead)',
      async () => (await counts.webhooks()).pending,
    ),
    webhookDeliveries: new Counter({
      name: 'mql_webhook_deliveries_total',
      help: 'Webhook delivery attempts by result: delivered, retried (failed, will retry), failed (given up after WEBHOOK_RETRY_FOR)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    webhookLatency: new Histogram({
      name: 'mql_webhook_delivery_latency_seconds',
      help: 'From the change that emitted an event to its delivery',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
      registers: [registry],
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
    ackLatency: new Histogram({
      name: 'mql_slack_ack_latency_seconds',
      help: 'From a Slack request arriving to its answer (the ack Slack wants within 3 s), by kind: command, action, submission, event, other',
      labelNames: ['kind'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
      registers: [registry],
    }),
    workWaiting: new Gauge({
      name: 'mql_work_queue_waiting',
      help: 'Work after Slack acks (commands, clicks, submissions, Home refreshes) waiting for its turn',
      registers: [registry],
    }),
    workRefused: new Counter({
      name: 'mql_work_refused_total',
      help: 'Commands, clicks and submissions answered "the bot is busy, try again" because too much work was waiting, by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    slaBreaches: new Counter({
      name: 'mql_sla_breaches_total',
      help: 'Handoffs found past an SLA, each counted once per SLA: claim (not claimed in time) or decision (claimed, not decided in time)',
      labelNames: ['sla'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
