import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookCall {
  /** 1 for the first request the receiver got. */
  n: number;
  body: string;
  headers: IncomingHttpHeaders;
  /** What the receiver answered; null while hanging. */
  status: number | null;
}

/** How to answer call `n`: a status (with headers, after `delayMs`), 'hang' (never answer), or undefined for 200. */
export type Script = (
  n: number,
  call: WebhookCall,
) => { status: number; headers?: Record<string, string>; delayMs?: number } | 'hang' | undefined;

/** Fails every `failEvery`th call with 500 and answers every `slowEvery`th with 429 and `Retry-After`. */
export const flaky =
  (failEvery: number, slowEvery: number, retryAfter = '1'): Script =>
  (n) =>
    n % slowEvery === 0 ? { status: 429, headers: { 'Retry-After': retryAfter } } : n % failEvery === 0 ? { status: 500 } : undefined;

/**
 * A webhook receiver on a real local port (the app posts to it with fetch): records every request's raw body
 * and headers, and answers as scripted. `accepted` are the calls it answered 2xx, in the order they came.
 */
export async function startWebhookReceiver(path = '/hooks/mql', port = 0) {
  const calls: WebhookCall[] = [];
  let script: Script = () => undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const call: WebhookCall = { n: calls.length + 1, body: Buffer.concat(chunks).toString('utf8'), headers: req.headers, status: null };
      calls.push(call);
      const answer = script(call.n, call) ?? { status: 200 };
      if (answer === 'hang') return;
      setTimeout(() => {
        call.status = answer.status;
        res.writeHead(answer.status, answer.headers).end();
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${address.port}${path}`,
    port: address.port,
    calls,
    accepted: () => calls.filter((c) => c.status !== null && c.status >= 200 && c.status < 300),
    /** The parsed bodies of the accepted calls, in arrival order. */
    events: () =>
      calls
        .filter((c) => c.status !== null && c.status >= 200 && c.status < 300)
        .map((c) => JSON.parse(c.body) as { id: string; type: string; occurredAt: string; data: any }),
    script: (next: Script) => {
      script = next;
    },
    reset: () => {
      calls.length = 0;
      script = () => undefined;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

type Verifier = (secret: string, rawBody: string, headers: Record<string, string | string[] | undefined>, nowSeconds?: number) => boolean;

/**
 * How a receiver verifies a delivery: the README's own snippet ("CRM integration"), compiled as it is printed,
 * so the lines integrators copy are the ones the tests verify every delivery with.
 */
export const verifyMqlWebhook: Verifier = readmeVerifier();

function readmeVerifier(): Verifier {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const snippet = /```js\n([\s\S]*?function verifyMqlWebhook[\s\S]*?)```/.exec(readme)?.[1];
  if (!snippet) throw new Error('README.md has no ```js block defining verifyMqlWebhook');
  const code = snippet.replace(/^import .*$/m, '');
  return new Function('createHmac', 'timingSafeEqual', `${code}\nreturn verifyMqlWebhook;`)(createHmac, timingSafeEqual) as Verifier;
}
