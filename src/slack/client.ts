import { LogLevel, WebClient, type WebClientOptions } from '@slack/web-api';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { boltLogger } from './bolt-logger.js';

export function slackClientOptions(config: Config, logger: Logger): WebClientOptions {
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
  };
}

/** The client the outbox and jobs send with (listeners use the one Bolt hands them, built the same way). */
export function createSlackClient(config: Config, logger: Logger): WebClient {
  return new WebClient(config.slack.botToken, slackClientOptions(config, logger));
}
