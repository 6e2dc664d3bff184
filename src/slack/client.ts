import { LogLevel, WebClient, type FetchFunction, type WebClientOptions } from '@slack/web-api';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { boltLogger } from './bolt-logger.js';

export type SlackCallMetrics = Pick<Metrics, 'slackApiCalls' | 'slackRateLimited'>;

/** What Slack answered: ok, its error code, the HTTP status when not 200 (`http_429`), or no answer. */
async function resultOf(response: Response): Promise<string> {
  if (response.status !== 200) return `http_${response.status}`;
  try {
    const body = (await response.clone().json()) as { ok?: boolean; error?: unknown };
    return body.ok ? 'ok' : String(body.error ?? 'unknown_error');
  } catch {
    return 'invalid_response';
  }
}

/** Web API method names (`chat.postMessage`); anything else would make a label per request. */
const METHOD_NAME = /^[a-z]+(\.[a-zA-Z]+)+$/;

/**
 * What a call is counted as: its Web API method, or `response_url` for answers through a response URL (whose
 * path is a secret that lets anyone answer as the app, and is unique per request: never a label).
 */
export function callLabel(url: string, apiUrl: string): string {
  if (!url.startsWith(apiUrl)) return 'response_url';
  const method = url.slice(apiUrl.length).split('?')[0] ?? '';
  return METHOD_NAME.test(method) ? method : 'other';
}

/**
 * The Web API client's fetch, counting each call by method and result. Every client is built with it (the
 * outbox's and jobs', and Bolt's for listeners and their response URLs), so it is the one place that sees every
 * call. It reads `globalThis.fetch` when called, as the client would, so a test's interception still applies.
 */
export function countingFetch(metrics: SlackCallMetrics, apiUrl: string): FetchFunction {
  return async (url, init) => {
    const method = callLabel(String(url), apiUrl);
    let response: Response;
    try {
      response = await globalThis.fetch(url, init);
    } catch (error) {
      const timedOut = (error as { name?: string } | null)?.name === 'TimeoutError';
      metrics.slackApiCalls.inc({ method, result: timedOut ? 'timeout' : 'request_error' });
      throw error;
    }
    // A response URL answers plain "ok", not the Web API's JSON.
    const result = method === 'response_url' && response.status === 200 ? 'ok' : await resultOf(response);
    metrics.slackApiCalls.inc({ method, result });
    if (response.status === 429) metrics.slackRateLimited.inc({ method });
    return response;
  };
}

/** `metrics` counts every call the client makes; without it (a one-off check in a test) nothing is counted. */
export function slackClientOptions(config: Config, logger: Logger, metrics?: SlackCallMetrics): WebClientOptions {
  // Each failed call is logged once by whoever made it (the outbox throttles its own); the client's own
  // warning for every attempt would double that during an outage. (It ignores `logLevel` with a logger.)
  const quiet = boltLogger(logger);
  quiet.setLevel(LogLevel.ERROR);
  return {
    slackApiUrl: config.slack.apiUrl,
    logger: quiet,
    // The outbox owns retrying: a client that retries for ~30 minutes on its own would fight it,
    // and a 429 must come back to us with its Retry-After rather than be waited out in-process.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // Well inside the outbox lease, so a hung call can never outlive it.
    timeout: 10_000,
    ...(metrics ? { fetch: countingFetch(metrics, config.slack.apiUrl) } : {}),
  };
}

/** The client the outbox and jobs send with (listeners use the one Bolt hands them, built the same way). */
export function createSlackClient(config: Config, logger: Logger, metrics?: SlackCallMetrics): WebClient {
  return new WebClient(config.slack.botToken, slackClientOptions(config, logger, metrics));
}
