import { createHmac } from 'node:crypto';

/**
 * The signature scheme Slack uses for its own requests: HMAC-SHA256 of "v1:<timestamp>:<raw body>" with the
 * shared secret, sent as `v1=<hex>`. The timestamp is signed too, so a receiver can refuse old replays.
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`v1:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedDelivery {
  eventId: string;
  type: string;
  body: string;
}

/** The headers of one attempt: signed at `now` (each retry gets a fresh timestamp, so it is not refused as stale). */
export function webhookHeaders(secret: string, delivery: SignedDelivery, now: Date): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'Content-Type': 'application/json',
    'User-Agent': 'mql-handoff-bot',
    'X-Mql-Timestamp': String(timestamp),
    'X-Mql-Signature': webhookSignature(secret, timestamp, delivery.body),
    'Idempotency-Key': delivery.eventId,
    'X-Mql-Event-Id': delivery.eventId,
    'X-Mql-Event-Type': delivery.type,
  };
}
