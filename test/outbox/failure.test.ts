import { ErrorCode, WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { classifyFailure, retryDelayMs } from '../../src/outbox/failure.js';

const platform = (error: string) => new WebAPIPlatformError({ ok: false, error });

describe('classifyFailure: rate limits', () => {
  it('waits as long as Slack asks (real WebAPIRateLimitedError)', () => {
    expect(classifyFailure(new WebAPIRateLimitedError(30))).toEqual({
      kind: 'rate_limited',
      retryAfterMs: 30_000,
      error: 'rate limited (Retry-After 30s)',
    });
  });

  it('accepts an object shaped like the error', () => {
    expect(classifyFailure({ code: ErrorCode.RateLimitedError, retryAfter: 2 })).toEqual({
      kind: 'rate_limited',
      retryAfterMs: 2000,
      error: 'rate limited (Retry-After 2s)',
    });
  });

  it('waits at least one second when Retry-After is 0 or missing', () => {
    expect(classifyFailure(new WebAPIRateLimitedError(0))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1000 });
    expect(classifyFailure({ code: ErrorCode.RateLimitedError })).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 1000,
      error: 'rate limited (Retry-After 1s)',
    });
  });
});

describe('classifyFailure: Slack platform errors', () => {
  it.each([
    'channel_not_found',
    'not_in_channel',
    'is_archived',
    'invalid_auth',
    'not_authed',
    'account_inactive',
    'token_revoked',
    'token_expired',
    'team_access_not_granted',
    'missing_scope',
    'no_permission',
    'restricted_action',
    'ekm_access_denied',
  ])('%s is about the bot setup: the message is held, not failed', (error) => {
    expect(classifyFailure(platform(error))).toEqual({ kind: 'misconfigured', error });
  });

  it.each([
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
  ])('%s is about the message itself: permanent (no retry, no fix of the setup can help)', (error) => {
    expect(classifyFailure(platform(error))).toEqual({ kind: 'permanent', error });
  });

  it.each(['internal_error', 'service_unavailable', 'request_timeout', 'some_new_error'])(
    '%s is transient, and Slack did not act on it',
    (error) => {
      expect(classifyFailure(platform(error))).toEqual({ kind: 'transient', error, uncertain: false });
    },
  );

  it('accepts an object shaped like the error', () => {
    expect(classifyFailure({ code: ErrorCode.PlatformError, data: { error: 'not_in_channel' } })).toEqual({
      kind: 'misconfigured',
      error: 'not_in_channel',
    });
  });

  it('names a platform error without an error code "unknown_error" and retries it', () => {
    expect(classifyFailure({ code: ErrorCode.PlatformError, data: {} })).toEqual({
      kind: 'transient',
      error: 'unknown_error',
      uncertain: false,
    });
  });
});

describe('classifyFailure: HTTP errors', () => {
  const http = (status: number) => new WebAPIHTTPError(status, 'status text', {});

  it.each([400, 401, 403, 404, 410, 413])('HTTP %i is permanent', (status) => {
    expect(classifyFailure(http(status))).toEqual({ kind: 'permanent', error: `HTTP ${status}` });
  });

  it.each([500, 502, 503, 504])('HTTP %i is transient and uncertain (Slack may have acted)', (status) => {
    expect(classifyFailure(http(status))).toEqual({ kind: 'transient', error: `HTTP ${status}`, uncertain: true });
  });

  it('HTTP 408 (request timeout) is retried, and Slack did not act on it', () => {
    expect(classifyFailure(http(408))).toEqual({ kind: 'transient', error: 'HTTP 408', uncertain: false });
  });

  it('HTTP 429 (too many requests) without Retry-After slows down and retries, never drops the message', () => {
    expect(classifyFailure(http(429))).toEqual({ kind: 'rate_limited', retryAfterMs: 30_000, error: 'HTTP 429 without Retry-After' });
  });

  it('accepts an object shaped like the error; a missing status is "HTTP 0", retried', () => {
    expect(classifyFailure({ code: ErrorCode.HTTPError, statusCode: 404 })).toEqual({ kind: 'permanent', error: 'HTTP 404' });
    expect(classifyFailure({ code: ErrorCode.HTTPError })).toEqual({ kind: 'transient', error: 'HTTP 0', uncertain: false });
  });
});

describe('classifyFailure: request and unknown errors', () => {
  it('a request error (network) is transient and uncertain, with the cause', () => {
    expect(classifyFailure(new WebAPIRequestError(new Error('socket hang up')))).toEqual({
      kind: 'transient',
      error: 'request error: socket hang up',
      uncertain: true,
    });
    expect(classifyFailure({ code: ErrorCode.RequestError, original: new Error('ETIMEDOUT') })).toEqual({
      kind: 'transient',
      error: 'request error: ETIMEDOUT',
      uncertain: true,
    });
  });

  it('a request error without a cause still says what happened', () => {
    expect(classifyFailure({ code: ErrorCode.RequestError })).toEqual({
      kind: 'transient',
      error: 'request error: request failed',
      uncertain: true,
    });
  });

  it('anything else is transient and uncertain, with its message', () => {
    expect(classifyFailure(new Error('boom'))).toEqual({ kind: 'transient', error: 'boom', uncertain: true });
    expect(classifyFailure('weird')).toEqual({ kind: 'transient', error: 'weird', uncertain: true });
    expect(classifyFailure(null)).toEqual({ kind: 'transient', error: 'null', uncertain: true });
    expect(classifyFailure(undefined)).toEqual({ kind: 'transient', error: 'undefined', uncertain: true });
  });
});

describe('retryDelayMs', () => {
  const middle = () => 0.5; // no jitter

  it('starts at one second and doubles with each attempt', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(a, middle))).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000]);
  });

  it('treats attempt 0 like the first', () => {
    expect(retryDelayMs(0, middle)).toBe(1000);
  });

  it('caps the delay at 5 minutes and never gives up', () => {
    expect(retryDelayMs(9, middle)).toBe(256_000);
    expect(retryDelayMs(10, middle)).toBe(300_000);
    expect(retryDelayMs(50, middle)).toBe(300_000);
    expect(retryDelayMs(10_000, middle)).toBe(300_000);
  });

  it('jitters within ±20%', () => {
    expect(retryDelayMs(1, () => 0)).toBe(800);
    expect(retryDelayMs(1, () => 0.999999)).toBe(1200);
    expect(retryDelayMs(3, () => 0)).toBe(3200);
    expect(retryDelayMs(3, () => 0.25)).toBe(3600);
    expect(retryDelayMs(20, () => 0)).toBe(240_000);
    expect(retryDelayMs(20, () => 0.999999)).toBe(360_000);
  });

  it('uses Math.random by default and stays within bounds', () => {
    for (let i = 0; i < 200; i++) {
      const delay = retryDelayMs(4);
      expect(delay).toBeGreaterThanOrEqual(6400);
      expect(delay).toBeLessThanOrEqual(9600);
    }
  });
});
