import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../src/webhooks/deliver.js';
import { redactedUrl } from '../../src/webhooks/url-text.js';
import { backoffMs } from '../../src/webhooks/worker.js';

const NOW = new Date('2026-11-23T09:00:00Z');

describe('Retry-After', () => {
  it('reads seconds or an HTTP date, defaults to 30 s and never parks a URL for more than 10 minutes', () => {
    expect(retryAfterMs('12', NOW)).toBe(12_000);
    expect(retryAfterMs(' 0 ', NOW)).toBe(0);
    expect(retryAfterMs(new Date(NOW.getTime() + 90_000).toUTCString(), NOW)).toBe(90_000);
    expect(retryAfterMs(new Date(NOW.getTime() - 90_000).toUTCString(), NOW)).toBe(0);
    expect(retryAfterMs(null, NOW)).toBe(30_000);
    expect(retryAfterMs('soon', NOW)).toBe(30_000);
    expect(retryAfterMs('-5', NOW)).toBe(30_000);
    expect(retryAfterMs('86400', NOW)).toBe(600_000);
  });

  it('is a wait between 0 and 10 minutes whatever the header says', () => {
    fc.assert(
      fc.property(fc.option(fc.string()), (header) => {
        const ms = retryAfterMs(header, NOW);
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThanOrEqual(600_000);
      }),
    );
  });
});

describe('backoff', () => {
  it('doubles from 1 s to a 10-minute cap, within 10 %', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, () => 0.5))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(30, () => 0.5)).toBe(600_000);
    expect(backoffMs(1, () => 0)).toBe(900);
    expect(backoffMs(1, () => 1)).toBe(1100);
  });
});

describe('redacted URL', () => {
  it('keeps origin and path, drops user info, query and fragment', () => {
    expect(redactedUrl('https://user:pass@crm.example.com:8443/hooks/mql?token=s3cret#x')).toBe('https://crm.example.com:8443/hooks/mql');
    expect(redactedUrl('not a url')).toBe('(invalid URL)');
  });
});
