import { describe, expect, it } from 'vitest';
import { webhookHeaders, webhookSignature } from '../../src/webhooks/signature.js';
import { verifyMqlWebhook } from '../helpers/webhook-receiver.js';

const SECRET = 'whsec-test-0123456789abcdef';
const BODY = '{"id":"e1","type":"lead.qualified"}';
const AT = new Date('2023-11-14T22:13:20Z'); // 1700000000

describe('webhook signature', () => {
  it('is v1= and the hex HMAC-SHA256 of "v1:<timestamp>:<raw body>" (checked against openssl)', () => {
    // printf 'v1:1700000000:{"id":"e1","type":"lead.qualified"}' | openssl dgst -sha256 -hmac 'whsec-test-0123456789abcdef'
    expect(webhookSignature(SECRET, 1700000000, BODY)).toBe('v1=8aab778e71650383e660e0b74f91fc403c034bde38a98e781d6370a9f20a2d5c');
  });

  it('sends the timestamp, signature, idempotency key and event headers', () => {
    const headers = webhookHeaders(SECRET, { eventId: 'e1', type: 'lead.qualified', body: BODY }, AT);
    expect(headers).toEqual({
      'Content-Type': 'application/json',
      'User-Agent': 'mql-handoff-bot',
      'X-Mql-Timestamp': '1700000000',
      'X-Mql-Signature': webhookSignature(SECRET, 1700000000, BODY),
      'Idempotency-Key': 'e1',
      'X-Mql-Event-Id': 'e1',
      'X-Mql-Event-Type': 'lead.qualified',
    });
  });

  it("passes the README's verification, which refuses a changed body, timestamp or secret and a stale timestamp", () => {
    const signed = Object.fromEntries(
      Object.entries(webhookHeaders(SECRET, { eventId: 'e1', type: 'lead.qualified', body: BODY }, AT)).map(([k, v]) => [
        k.toLowerCase(),
        v,
      ]),
    );
    const now = AT.getTime() / 1000 + 10;
    expect(verifyMqlWebhook(SECRET, BODY, signed, now)).toBe(true);
    expect(verifyMqlWebhook(SECRET, `${BODY} `, signed, now)).toBe(false);
    expect(verifyMqlWebhook(SECRET, BODY, { ...signed, 'x-mql-timestamp': '1700000001' }, now)).toBe(false);
    expect(verifyMqlWebhook('another-secret-0123456789', BODY, signed, now)).toBe(false);
    expect(verifyMqlWebhook(SECRET, BODY, signed, now + 600)).toBe(false);
    expect(verifyMqlWebhook(SECRET, BODY, { ...signed, 'x-mql-signature': undefined }, now)).toBe(false);
  });
});
