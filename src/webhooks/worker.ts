import type { Db } from '../../db/client.js';
import {
  leaseDueDeliveries,
  markDelivered,
  markDeliveryFailed,
  pauseEndpoint,
  returnDeliveries,
  scheduleDeliveryRetry,
  type LeasedDelivery,
} from '../../db/queries/webhook-deliveries.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { startWakeableLoop, type WakeableLoop } from '../wakeable-loop.js';
import { postDelivery, type AttemptResult } from './deliver.js';
import { endpointFailed, endpointSucceeded } from './endpoint-health.js';
import { redactedUrl } from './url-text.js';

export interface WebhookDeps {
  db: Db;
  logger: Logger;
  metrics: Metrics;
  config: Config['webhooks'];
}

/** How a pass is stopped: first no new requests, then (after a grace period) the ones in flight are cut off. */
export interface Halt {
  stop: AbortSignal;
  cutOff: AbortSignal;
}
const NEVER = new AbortController().signal;
/** Requests in flight get this long to be answered when the bot stops; then they are cut off. */
const STOP_GRACE_MS = 1000;

export interface WebhookPassResult {
  delivered: number;
  retried: number;
  failed: number;
}

const BATCH = 64;
/** Deliveries to different leads of one endpoint go side by side, this many at a time. */
const PER_ENDPOINT = 8;
const MAX_BACKOFF_MS = 10 * 60_000;

/** A lease outlasts the slowest batch (every request timing out, PER_ENDPOINT at a time): it lapses only if we died. */
export const leaseMs = (timeoutMs: number) => Math.ceil(BATCH / PER_ENDPOINT) * timeoutMs + 60_000;

/** 1 s, 2 s, 4 s… up to 10 minutes, ±10 % so retries of many deliveries spread out. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.9 + 0.2 * random()));
}

/**
 * Delivers due webhook deliveries at `now`, oldest first, each lead's in order, until none is due or only
 * retries are left. Each URL goes on its own, so one that hangs or fails holds up only itself. Each lease and
 * attempt is timed `now` plus the time the pass has taken, so a lease ends a full lease after it was taken and
 * a signature is fresh. Once `halt.stop` is aborted no request is started and the rest is given back, due at
 * once (for the next start or a replica); once `halt.cutOff` is, requests in flight are cut off and given back too
 * (the receiver may have had one: it drops a repeat by its id).
 * Never throws: an unexpected error is logged and the lease lapses, so the delivery is tried again.
 */
export async function deliverWebhooks(
  deps: WebhookDeps,
  now: Date,
  halt: Halt = { stop: NEVER, cutOff: NEVER },
): Promise<WebhookPassResult> {
  const result: WebhookPassResult = { delivered: 0, retried: 0, failed: 0 };
  await Promise.all(deps.config.urls.map((url) => deliverToUrl(deps, url, passClock(now), halt, result)));
  return result;
}

/** `now` plus the time the pass has taken so far. */
function passClock(now: Date): () => Date {
  const started = performance.now();
  return () => new Date(now.getTime() + Math.round(performance.now() - started));
}

async function deliverToUrl(deps: WebhookDeps, url: string, clock: () => Date, halt: Halt, result: WebhookPassResult) {
  try {
    for (;;) {
      if (halt.stop.aborted) return;
      const batch = await leaseDueDeliveries(deps.db, url, clock(), BATCH, leaseMs(deps.config.timeoutMs));
      if (batch.length === 0) return;
      const before = result.delivered + result.failed;
      await deliverToEndpoint(deps, batch, clock, halt, result);
      // A full batch may have left more due; a delivered or given-up one lets its lead's next event go.
      if (batch.length < BATCH && result.delivered + result.failed === before) return;
    }
  } catch (error) {
    deps.logger.error(
      { err: error, url: redactedUrl(url) },
      'webhook delivery pass failed; leased deliveries are retried when their lease lapses',
    );
  }
}

/** Sends one endpoint's share of a batch, PER_ENDPOINT at a time (one per lead, so order holds). */
async function deliverToEndpoint(
  deps: WebhookDeps,
  deliveries: LeasedDelivery[],
  clock: () => Date,
  halt: Halt,
  result: WebhookPassResult,
): Promise<void> {
  let next = 0;
  let pausedUntil: Date | null = null;
  const health: HealthNote[] = [];
  const worker = async () => {
    while (next < deliveries.length && !halt.stop.aborted && !pausedUntil) {
      const delivery = deliveries[next++]!;
      const outcome = await attempt(deps, delivery, clock, halt.cutOff);
      result[outcome.counted]++;
      if (outcome.health) health.push(outcome.health);
      if (outcome.pausedUntil) pausedUntil = outcome.pausedUntil;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PER_ENDPOINT, deliveries.length) }, worker));
  await recordHealth(deps, deliveries[0]!.endpoint, health);
  // Untried: due again when the receiver lets us (a pause) or at once (stopping: for the next start or a replica).
  await returnDeliveries(
    deps.db,
    deliveries.slice(next).map((d) => d.id),
    pausedUntil ?? clock(),
  );
}

/** How an attempt went for its endpoint's health: noted per attempt, recorded once per batch. */
type HealthNote = { ok: true; at: Date } | { ok: false; at: Date; error: string };

/**
 * Records the batch's attempts on the endpoint in one go rather than one row lock per delivery: a success
 * ends the run of failures, so only the last success and the failures after it count.
 */
async function recordHealth(deps: WebhookDeps, url: string, notes: HealthNote[]): Promise<void> {
  try {
    const lastSuccess = notes.map((note) => note.ok).lastIndexOf(true);
    if (lastSuccess >= 0) await endpointSucceeded(deps.db, deps.logger, url, notes[lastSuccess]!.at);
    for (const note of notes.slice(lastSuccess + 1)) {
      if (!note.ok) await endpointFailed(deps.db, deps.logger, url, note.error, note.at);
    }
  } catch (error) {
    deps.logger.error({ err: error, url: redactedUrl(url) }, 'could not record the health of a webhook URL');
  }
}

interface Attempted {
  counted: keyof WebhookPassResult;
  health?: HealthNote;
  pausedUntil?: Date;
}

async function attempt(deps: WebhookDeps, delivery: LeasedDelivery, clock: () => Date, cutOff: AbortSignal): Promise<Attempted> {
  const url = delivery.endpoint;
  const log = deps.logger.child({ url: redactedUrl(url), deliveryId: delivery.id, eventId: delivery.eventId, type: delivery.type });
  try {
    const sent = await postDelivery(url, delivery, { secret: deps.config.secret, timeoutMs: deps.config.timeoutMs, at: clock(), cutOff });
    const at = clock();
    if (sent.kind === 'interrupted') {
      // Stopping: not the receiver's failure; due again at once, as if never tried.
      await returnDeliveries(deps.db, [delivery.id], at);
      return { counted: 'retried' };
    }
    if (sent.kind === 'delivered') {
      await markDelivered(deps.db, delivery.id, sent.status, at);
      deps.metrics.webhookDeliveries.inc({ result: 'delivered' });
      deps.metrics.webhookLatency.observe(Math.max(0, at.getTime() - delivery.createdAt.getTime()) / 1000);
      return { counted: 'delivered', health: { ok: true, at } };
    }
    // A 429 is the receiver pacing us, not failing: it does not count towards reporting the URL.
    const health: HealthNote | undefined = sent.kind === 'failed' ? { ok: false, at, error: sent.error } : undefined;
    if (at.getTime() - delivery.createdAt.getTime() >= deps.config.retryForMs) {
      await markDeliveryFailed(deps.db, delivery.id, at, sent.status, sent.error);
      deps.metrics.webhookDeliveries.inc({ result: 'failed' });
      log.error(
        { lastError: sent.error, attempts: delivery.attempts },
        `gave up delivering ${delivery.type} event ${delivery.eventId} to ${redactedUrl(url)} after WEBHOOK_RETRY_FOR (${sent.error}); the lead's later events go on`,
      );
      return { counted: 'failed', health };
    }
    deps.metrics.webhookDeliveries.inc({ result: 'retried' });
    return { ...(await retryLater(deps, delivery, sent, at)), health };
  } catch (error) {
    log.error({ err: error }, 'webhook delivery could not be recorded; it is retried when its lease lapses');
    return { counted: 'retried' };
  }
}

async function retryLater(
  deps: WebhookDeps,
  delivery: LeasedDelivery,
  sent: Exclude<AttemptResult, { kind: 'delivered' | 'interrupted' }>,
  at: Date,
): Promise<{ counted: 'retried'; pausedUntil?: Date }> {
  if (sent.kind === 'slow_down') {
    const until = new Date(at.getTime() + sent.waitMs);
    await pauseEndpoint(deps.db, delivery.endpoint, until);
    await scheduleDeliveryRetry(deps.db, delivery.id, until, sent.status, sent.error);
    return { counted: 'retried', pausedUntil: until };
  }
  await scheduleDeliveryRetry(deps.db, delivery.id, new Date(at.getTime() + backoffMs(delivery.attempts)), sent.status, sent.error);
  return { counted: 'retried' };
}

/**
 * Delivers continuously, every `intervalMs` and whenever woken (something was just written): one loop per URL,
 * so a URL that hangs holds up only its own deliveries.
 */
export function startWebhookLoop(deps: WebhookDeps, now: () => Date, intervalMs = 1000): WakeableLoop {
  const stop = new AbortController();
  const cutOff = new AbortController();
  const loops = deps.config.urls.map((url) =>
    startWakeableLoop(async () => {
      await deliverToUrl(
        deps,
        url,
        passClock(now()),
        { stop: stop.signal, cutOff: cutOff.signal },
        { delivered: 0, retried: 0, failed: 0 },
      );
    }, intervalMs),
  );
  return {
    wake: () => {
      for (const loop of loops) loop.wake();
    },
    idle: async () => {
      await Promise.all(loops.map((loop) => loop.idle()));
    },
    async stop() {
      stop.abort();
      // A receiver that answers is let finish (no repeat for it); one that hangs does not hold up the stop.
      const timer = setTimeout(() => cutOff.abort(), STOP_GRACE_MS);
      await Promise.all(loops.map((loop) => loop.stop()));
      clearTimeout(timer);
    },
  };
}
