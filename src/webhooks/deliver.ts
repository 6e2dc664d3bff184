import { webhookHeaders, type SignedDelivery } from './signature.js';

/** What one attempt came to. Error texts never hold the URL (it may carry a token). */
export type AttemptResult =
  | { kind: 'delivered'; status: number }
  /** 429: the receiver asked us to wait this long before sending it anything. */
  | { kind: 'slow_down'; status: number; waitMs: number; error: string }
  | { kind: 'failed'; status: number | null; error: string }
  /** The bot is stopping: the request was cut off, which says nothing about the receiver. */
  | { kind: 'interrupted' };

/** Without a usable Retry-After we wait this long; a receiver never parks us for longer than the cap. */
const DEFAULT_RETRY_AFTER_MS = 30_000;
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** POSTs the stored body, exactly as stored (it is what the signature covers), signed at `at`. */
export async function postDelivery(
  url: string,
  delivery: SignedDelivery,
  options: { secret: string; timeoutMs: number; at: Date; cutOff?: AbortSignal },
): Promise<AttemptResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: webhookHeaders(options.secret, delivery, options.at),
      body: delivery.body,
      signal: options.cutOff
        ? AbortSignal.any([AbortSignal.timeout(options.timeoutMs), options.cutOff])
        : AbortSignal.timeout(options.timeoutMs),
      redirect: 'manual',
    });
  } catch (error) {
    if (options.cutOff?.aborted) return { kind: 'interrupted' };
    return { kind: 'failed', status: null, error: requestError(error, options.timeoutMs) };
  }
  // The answer's body means nothing to us, but is read (within the timeout) so the connection can be reused.
  await response.arrayBuffer().catch(() => {});
  if (response.status >= 200 && response.status < 300) return { kind: 'delivered', status: response.status };
  if (response.status === 429) {
    const waitMs = retryAfterMs(response.headers.get('retry-after'), options.at);
    return { kind: 'slow_down', status: 429, waitMs, error: `HTTP 429 (retry after ${Math.round(waitMs / 1000)} s)` };
  }
  return { kind: 'failed', status: response.status, error: `HTTP ${response.status}` };
}

/** Retry-After in seconds or as an HTTP date, bounded; a missing or unreadable one means the default. */
export function retryAfterMs(header: string | null, now: Date): number {
  const text = header?.trim() ?? '';
  let ms = Number.NaN;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else if (/[a-z]/i.test(text)) ms = Date.parse(text) - now.getTime();
  if (!Number.isFinite(ms)) return DEFAULT_RETRY_AFTER_MS;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

/** A failed request as a short text: what went wrong, never where (undici's messages are safe, the URL is not). */
function requestError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === 'string') return `request failed (${cause.code})`;
  return 'request failed';
}
