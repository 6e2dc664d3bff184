import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { insertDeliveries } from '../db/queries/webhooks.js';
import { leads } from '../db/schema.js';
import { startTestApp } from '../harness/app.js';
import { eventually } from '../harness/handoff.js';
import { startSlackStub } from './slack-stub.js';
import type { Section } from './section.js';

const LEADS = 200;
const EVENTS = 2_000;
/** Latency is measured apart, one event at a time (every 20 ms), so it is not time spent queued behind the 2,000. */
const SINGLES = 100;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

/** A receiver that answers 204 at once and notes when each event arrived. */
async function startReceiver() {
  const received = new Map<string, number>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.set(String(req.headers['x-mql-event-id']), Date.now());
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * Webhook events to a local receiver with the bot's own webhook worker running, woken as a change wakes it.
 * Rate: 2,000 events over 200 leads (10 each, in order) written at once, until the last arrives. Latency: from
 * an event's write to its arrival, for events written one at a time.
 */
export const webhookDelivery: Section = {
  name: 'webhooks',
  perDatabase: true,
  async run(database) {
    const stub = await startSlackStub();
    const receiver = await startReceiver();
    const t = await startTestApp(database, {
      env: { SLACK_API_URL: stub.apiUrl, WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: 'bench-webhook-secret-0123' },
    });
    try {
      const rows = await database.db
        .insert(leads)
        .values(Array.from({ length: LEADS }, (_, i) => ({ source: 'bench', externalId: `hook-${i}`, name: `Lead ${i}` })))
        .returning({ id: leads.id });
      t.app.startWorkers();
      const event = (n: number) => {
        const eventId = `bench-${n}`;
        const body = JSON.stringify({ id: eventId, type: 'handoff.claimed', occurredAt: new Date().toISOString(), data: { n } });
        return { eventId, eventKey: eventId, type: 'handoff.claimed', leadId: rows[n % LEADS]!.id, body };
      };
      const arrived = (count: number) =>
        eventually(
          () => receiver.received.size,
          (n) => n >= count,
          120_000,
        );

      const started = Date.now();
      await insertDeliveries(
        database.db,
        Array.from({ length: EVENTS }, (_, n) => event(n)),
        new Date(started),
      );
      t.app.deps.wakeOutbox();
      await arrived(EVENTS);
      const seconds = (Math.max(...receiver.received.values()) - started) / 1000;

      const latencies: number[] = [];
      for (let n = EVENTS; n < EVENTS + SINGLES; n++) {
        const written = Date.now();
        await insertDeliveries(database.db, [event(n)], new Date(written));
        t.app.deps.wakeOutbox();
        await arrived(n + 1);
        latencies.push(receiver.received.get(`bench-${n}`)! - written);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      latencies.sort((a, b) => a - b);
      const single = `${SINGLES} events written one at a time, to a local receiver, worker running`;
      return [
        {
          metric: 'deliveries/s',
          value: EVENTS / seconds,
          unit: 'deliveries/s',
          note: `${EVENTS} events over ${LEADS} leads written at once, to a local receiver`,
        },
        { metric: 'written → received p50', value: percentile(latencies, 0.5), unit: 'ms', note: single },
        { metric: 'written → received p95', value: percentile(latencies, 0.95), unit: 'ms', target: { atMost: 1000 }, note: single },
      ];
    } finally {
      await t.stop();
      await receiver.close();
      await stub.close();
    }
  },
};
