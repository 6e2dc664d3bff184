import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Slack Web API stand-in with no rate limit: answers every call `ok` at once, so a benchmark measures
 * the bot, not Slack. Counts calls per method. Listens on 127.0.0.1 only.
 */
export async function startSlackStub(): Promise<{
  apiUrl: string;
  responseUrl: string;
  calls: Map<string, number>;
  close(): Promise<void>;
}> {
  const calls = new Map<string, number>();
  let ts = 1_700_000_000;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
      calls.set(method, (calls.get(method) ?? 0) + 1);
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
