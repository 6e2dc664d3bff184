/*
 * Simultaneous first writes of one new lead, racing on separate Postgres connections. PGlite has one
 * connection and serialises every transaction, so there the writes cannot race and the test is skipped.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import { POSTGRES_URL, type TestDatabase } from '../helpers/db.js';
import type { TestApp } from '../../harness/app.js';
import { useTestApp } from '../helpers/use-test-app.js';

const app = useTestApp({ resetBeforeEach: true });
let database: TestDatabase;
let t: TestApp;
beforeAll(() => {
  ({ database, t } = app);
});

const ROUNDS = 30;
const WRITERS = 8;

describe.skipIf(!POSTGRES_URL)('concurrent first writes of one new lead (Postgres only)', () => {
  it(`keeps every writer's fields, answers inserted once and queues at most one post (${ROUNDS} rounds of ${WRITERS})`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const externalId = `race-${round}`;
      const bodies = Array.from({ length: WRITERS }, (_, i) =>
        i % 2 === 0
          ? {
              source: 'web',
              externalId,
              email: `${externalId}@example.com`,
              name: 'Ada Lovelace',
              company: 'Analytical',
              attributes: { [`w${i}`]: i },
            }
          : { source: 'web', externalId, events: [{ type: 'form_submit', occurredAt: `2026-11-20T10:00:0${i}Z` }] },
      );
      const answers = await Promise.all(bodies.map((body) => t.api('/api/leads', body)));
      for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(200);
      const leads = answers.map((a) => a.body.leads[0]);

      const [row] = await queryRows<{ name: string | null; email: string | null; company: string | null; attributes: unknown }>(
        database.db,
        sql`select name, email, company, attributes from leads where external_id = ${externalId}`,
      );
      expect(row, `round ${round}`).toEqual({
        name: 'Ada Lovelace',
        email: `${externalId}@example.com`,
        company: 'Analytical',
        attributes: { w0: 0, w2: 2, w4: 4, w6: 6 },
      });
      expect(
        leads.filter((l) => l.status === 'inserted'),
        `round ${round}`,
      ).toHaveLength(1);
      // Every writer brings something new (an attribute or an event), so every other answer is `updated`.
      expect(
        leads.filter((l) => l.status === 'updated'),
        `round ${round}`,
      ).toHaveLength(WRITERS - 1);
      expect(leads.filter((l) => l.queuedForSales).length, `round ${round}`).toBeLessThanOrEqual(1);
      const [outbox] = await queryRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from outbox o join handoffs h on h.id = o.handoff_id join leads l on l.id = h.lead_id
            where l.external_id = ${externalId}`,
      );
      expect(outbox!.n, `round ${round}`).toBe(leads.filter((l) => l.queuedForSales).length);
    }
  });
});
