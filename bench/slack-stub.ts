import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { enforceRate, type EnforcedRate } from '../harness/slack-rate-limit.js';

/** A Web API call as the stub received it: the method and its (form or JSON) arguments. */
export type StubCall = { method: string; args: Record<string, string> };

export interface StubOptions {
  /** Enforces Slack's per-channel posting limit: chat.postMessage past it is answered 429 (Retry-After: 1). */
  postsPerChannel?: EnforcedRate;
}

function argsOf(body: string): Record<string, string> {
  if (body.startsWith('{')) return JSON.parse(body) as Record<string, string>;
  return Object.fromEntries(new URLSearchParams(body));
}

/**
 * A local Slack Web API stand-in: answers every call `ok` at once, so a benchmark measures the bot, not
 * Slack; with `postsPerChannel` it refuses posts as Slack would past its rate limit. Counts calls per method
 * and the 429s it answered, and tells `onCall` of each call it answered ok. Listens on 127.0.0.1 only.
 */
export async function startSlackStub(
  onCall?: (call: StubCall) => void,
  options: StubOptions = {},
): Promise<{
  apiUrl: string;
  responseUrl: string;
  calls: Map<string, number>;
  /** Calls answered 429. */
  rateLimited(): number;
  close(): Promise<void>;
}> {
  const calls = new Map<string, number>();
  const limit = options.postsPerChannel ? enforceRate(options.postsPerChannel) : null;
  let ts = 1_700_000_000;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
      calls.set(method, (calls.get(method) ?? 0) + 1);
      const args = argsOf(Buffer.concat(chunks).toString('utf8'));
      if (method === 'chat.postMessage' && limit && !limit.accept(String(args.channel), Date.now())) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      onCall?.({ method, args });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, channel: args.channel ?? 'CSALES', ts: `${ts++}.000100`, messages: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    responseUrl: `http://127.0.0.1:${port}/response`,
    calls,
    rateLimited: () => limit?.refused() ?? 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
