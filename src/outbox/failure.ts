import { ErrorCode } from '@slack/web-api';

/** What a failed Slack call means for the message that caused it. */
export type Failure =
  | { kind: 'rate_limited'; retryAfterMs: number; error: string }
  /** About the bot, not the message (token, channel, permission): the message is held until that is fixed. */
  | { kind: 'misconfigured'; error: string }
  | { kind: 'permanent'; error: string }
  | { kind: 'transient'; error: string /** Slack may have acted on it anyway (timeout, 5xx). */; uncertain: boolean };

/** Errors that say the token itself is unusable: every call fails the same way until it is replaced. */
export const TOKEN_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'team_access_not_granted',
]);

/** Errors about the channel a call went to: about the setup for a configured channel, about the recipient for a DM. */
export const CHANNEL_ERRORS = new Set(['channel_not_found', 'not_in_channel', 'is_archived']);

/** Errors an admin fixes in Slack or in the settings, after which the very same message goes through. */
const MISCONFIGURED = new Set([
  ...TOKEN_ERRORS,
  ...CHANNEL_ERRORS,
  'missing_scope',
  'no_permission',
  'restricted_action',
  'ekm_access_denied',
]);

/** Errors about the message itself, which no retry and no fix of the setup can change: failed and logged once. */
const PERMANENT = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'too_many_attachments',
  'user_not_found',
  'cannot_dm_bot',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'invalid_arguments',
]);

export function classifyFailure(error: unknown): Failure {
  const code = (error as { code?: string } | null)?.code;
  if (code === ErrorCode.RateLimitedError) {
    const seconds = (error as { retryAfter?: number }).retryAfter ?? 1;
    return { kind: 'rate_limited', retryAfterMs: Math.max(1, seconds) * 1000, error: `rate limited (Retry-After ${seconds}s)` };
  }
  if (code === ErrorCode.PlatformError) {
    const slackError = String((error as { data?: { error?: string } }).data?.error ?? 'unknown_error');
    if (MISCONFIGURED.has(slackError)) return { kind: 'misconfigured', error: slackError };
    if (PERMANENT.has(slackError)) return { kind: 'permanent', error: slackError };
    return { kind: 'transient', error: slackError, uncertain: false };
  }
  if (code === ErrorCode.HTTPError) {
    const status = (error as { statusCode?: number }).statusCode ?? 0;
    // A 429 that came without a usable Retry-After: slow down anyway.
    if (status === 429) return { kind: 'rate_limited', retryAfterMs: 30_000, error: 'HTTP 429 without Retry-After' };
    // Any other 4xx (but a timeout) is our request's fault and will fail the same way again.
    if (status >= 400 && status < 500 && status !== 408) return { kind: 'permanent', error: `HTTP ${status}` };
    return { kind: 'transient', error: `HTTP ${status}`, uncertain: status >= 500 };
  }
  if (code === ErrorCode.RequestError) {
    const message = (error as { original?: Error }).original?.message ?? 'request failed';
    return { kind: 'transient', error: `request error: ${message}`, uncertain: true };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'transient', error: message, uncertain: true };
}

const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 5 * 60_000;

/** Exponential backoff with jitter, capped at 5 minutes: an outage is waited out, never given up on. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.8 + 0.4 * random()));
}
