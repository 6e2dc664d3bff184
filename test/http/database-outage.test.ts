import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, type Database } from '../../db/client.js';
import { LEAD_API_TOKEN, startTestApp, type TestApp } from '../../harness/app.js';
import { createTestDatabase, POSTGRES_URL, type TestDatabase } from '../helpers/db.js';
import { createFakeSlack } from '../helpers/fake-slack.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

// The app reaches its Postgres database through a local proxy, so the outage is staged without stopping the
// server other tests use. Timings are not asserted: each request must merely finish before a generous deadline.
describe.skipIf(!POSTGRES_URL)('Postgres away', () => {
  const fakeSlack = createFakeSlack();
  let direct: TestDatabase;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let viaProxy: Database;
  let t: TestApp;

  beforeAll(async () => {
    fakeSlack.listen();
    direct = await createTestDatabase();
    const url = new URL(direct.url!);
    proxy = await startTcpProxy(Number(url.port || 5432), url.hostname);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    viaProxy = connectPostgres(url.toString());
    t = await startTestApp(viaProxy);
  });
  afterAll(async () => {
    await t?.stop();
    await viaProxy?.close();
    await proxy?.close();
    await direct?.close();
    fakeSlack.close();
  });

  let sequence = 0;
  const intake = (deadlineMs: number) =>
    request('/api/leads', deadlineMs, { source: 'web', externalId: `outage-${++sequence}`, email: `o${sequence}@example.com` });
  async function request(path: string, deadlineMs: number, body?: unknown) {
    const res = await fetch(`${t.baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${LEAD_API_TOKEN}` },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(deadlineMs),
    });
    return { status: res.status, body: await res.json(), retryAfter: res.headers.get('retry-after') };
  }

  it('answers 503 "database unavailable, retry" while the server is down, and 200 once it is back', async () => {
    expect((await intake(10_000)).status).toBe(200);

    await proxy.refuse();
    expect(await intake(10_000)).toEqual({ status: 503, body: { error: 'database unavailable, retry' }, retryAfter: '5' });
    expect(await request('/healthz', 3_000)).toMatchObject({
      status: 503,
      body: { status: 'unhealthy', database: 'unavailable', error: 'database unavailable' },
    });

    await proxy.forward();
    expect((await intake(10_000)).status).toBe(200);
    expect(await request('/healthz', 3_000)).toMatchObject({ status: 200, body: { status: 'ok', database: 'ok', migrations: 'current' } });
  });

  it('does not hang when the host stops answering: /healthz within a second, intake after the connect timeout', async () => {
    await proxy.blackHole();
    try {
      // /healthz gives up after 800 ms; intake after the 5 s connect timeout (postgres.js's default is 30 s).
      expect(await request('/healthz', 3_000)).toMatchObject({ status: 503, body: { database: 'unavailable' } });
      expect(await intake(15_000)).toMatchObject({ status: 503, body: { error: 'database unavailable, retry' } });
    } finally {
      await proxy.forward();
    }
    expect((await intake(10_000)).status).toBe(200);
  });
});
