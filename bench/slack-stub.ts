import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Web API call as the stub received it: the method and its (form or JSON) arguments. */
export type StubCall = { method: string; args: Record<string, string> };

function argsOf(body: string): Record<string, string> {
  if (body.startsWith('{')) return JSON.parse(body) as Record<string, string>;
  return Object.fromEntries(new URLSearchParams(body));
}

/**
 * A local Slack Web API stand-in with no rate limit: answers every call `ok` at once, so a benchmark measures
 * the bot, not Slack. Counts calls per method, and tells `onCall` of each. Listens on 127.0.0.1 only.
 */
export async function startSlackStub(onCall?: (call: StubCall) => void): Promise<{
  apiUrl: string;
  responseUrl: string;
  calls: Map<string, number>;
  close(): Promise<void>;
}> {
  const calls = new Map<string, number>();
  let ts = 1_700_000_000;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
      calls.set(method, (calls.get(method) ?? 0) + 1);
      if (onCall) onCall({ method, args: argsOf(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, channel: 'CSALES', ts: `${ts++}.000100`, messages: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    responseUrl: `http://127.0.0.1:${port}/response`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
