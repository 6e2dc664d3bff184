import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { LEAD_API_TOKEN } from '../../harness/app.js';
import { useTestApp } from '../helpers/use-test-app.js';

const app = useTestApp();

/** One request on the given agent: its status and connection header. */
function send(agent: Agent, path: string, body: Buffer) {
  const url = new URL(path, app.t.baseUrl);
  return new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${LEAD_API_TOKEN}`, 'content-length': body.length },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
    });
    // The server may answer and close before the whole body is sent.
    req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'EPIPE' ? undefined : reject(error)));
    req.end(body);
  });
}

describe('a body too large', () => {
  it.each(['/api/leads', '/slack/events'])(
    'to %s is answered 413 and its connection closed, so a next request is answered',
    async (path) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const tooLarge = await send(agent, path, Buffer.alloc(11 * 1024 * 1024, 32));
        expect(tooLarge).toEqual({ status: 413, connection: 'close' });
        const next = await send(agent, '/api/leads', Buffer.from('{"leads":[]}'));
        expect(next.status).toBe(400);
      } finally {
        agent.destroy();
      }
    },
  );
});
