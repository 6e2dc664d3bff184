import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { boltLogger } from './bolt-logger.js';

export function slackClientOptions(config: Config, logger: Logger): WebClientOptions {
  return {
    slackApiUrl: config.slack.apiUrl,
    logger: boltLogger(logger),
    // The outbox owns retrying: a client that retries for ~30 minutes on its own would fight it,
    // and a 429 must come back to us with its Retry-After rather than be waited out in-process.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  };
}

/** The client the outbox and jobs send with (listeners use the one Bolt hands them, built the same way). */
export function createSlackClient(config: Config, logger: Logger): WebClient {
  return new WebClient(config.slack.botToken, slackClientOptions(config, logger));
}
