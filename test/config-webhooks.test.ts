import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { BASE, problems } from './config-fixtures.js';

const SECRET = 'a-webhook-secret-of-24ch';

describe('loadConfig: webhook settings', () => {
  it('defaults: no URL, nothing signed, a 10 s timeout, retried for 3 days', () => {
    expect(loadConfig(BASE).webhooks).toEqual({ urls: [], secret: '', timeoutMs: 10_000, retryForMs: 3 * 86_400_000 });
  });

  it('reads comma-separated URLs (blanks and repeats dropped), the secret, the timeout and how long to retry', () => {
    const config = loadConfig({
      ...BASE,
      WEBHOOK_URL: ' https://crm.example.com/hooks/mql , http://10.0.0.5:8080/in?token=x,,https://crm.example.com/hooks/mql',
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_TIMEOUT: '5s',
      WEBHOOK_RETRY_FOR: '12h',
    });
    expect(config.webhooks).toEqual({
      urls: ['https://crm.example.com/hooks/mql', 'http://10.0.0.5:8080/in?token=x'],
      secret: SECRET,
      timeoutMs: 5_000,
      retryForMs: 12 * 3_600_000,
    });
  });

  it('needs the secret with a URL, refuses a short one, and names a bad URL by position without printing it', () => {
    expect(problems({ ...BASE, WEBHOOK_URL: 'https://crm.example.com/hook' })).toEqual([
      'WEBHOOK_SECRET: is required when WEBHOOK_URL is set (deliveries are signed with it)',
    ]);
    expect(problems({ ...BASE, WEBHOOK_URL: 'https://crm.example.com/hook', WEBHOOK_SECRET: 'short' })).toEqual([
      'WEBHOOK_SECRET: must be at least 16 characters',
    ]);
    const lines = problems({
      ...BASE,
      WEBHOOK_URL: 'https://ok.example.com/h, ftp://files.example.com/?token=s3cr3t',
      WEBHOOK_SECRET: SECRET,
    });
    expect(lines).toEqual(['WEBHOOK_URL: URL 2 is not an http(s) URL like https://crm.example.com/hooks/mql']);
    expect(lines.join('\n')).not.toContain('s3cr3t');
    expect(problems({ ...BASE, WEBHOOK_TIMEOUT: 'soon', WEBHOOK_RETRY_FOR: '0s' }).map((l) => l.split(':')[0])).toEqual([
      'WEBHOOK_TIMEOUT',
      'WEBHOOK_RETRY_FOR',
    ]);
  });
});
