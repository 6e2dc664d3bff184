/* Bodies that used to fail in the database or overflow the stack (500) are the caller's error: 400, nothing written. */
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import type { TestDatabase } from '../helpers/db.js';
import type { TestApp } from '../../harness/app.js';
import { useTestApp } from '../helpers/use-test-app.js';

const app = useTestApp({ resetBeforeEach: true });
let database: TestDatabase;
let t: TestApp;
beforeAll(() => {
  ({ database, t } = app);
});

async function leadCount(): Promise<number> {
  const [row] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from leads`);
  return row!.n;
}

const event = (data: unknown) => ({ type: 'page_view', occurredAt: '2026-11-20T10:00:00Z', data });
const lead = (extra: Record<string, unknown>) => ({ source: 'web', externalId: 'x1', ...extra });
/** `{"a":{"a":…1…}}` nested `depth` deep, built as text: JSON.stringify itself would overflow. */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const LONE = '\ud800x';

describe('POST /api/leads refuses what it cannot store, naming where', () => {
  it.each([
    ['a name', lead({ name: LONE }), 'name'],
    ['an attribute value', lead({ attributes: { plan: LONE } }), 'attributes.plan'],
    ['an attribute key', lead({ attributes: { [LONE]: 1 } }), 'attributes'],
    ['an event data value', lead({ events: [event({ page: { title: LONE } })] }), 'events.0.data.page.title'],
    ['an event data key', lead({ events: [event({ [LONE]: 1 })] }), 'events.0.data'],
    ['a lead in a batch', { leads: [lead({}), lead({ externalId: 'x2', company: 'a\udc00' })] }, 'leads.1.company'],
  ])('a lone surrogate in %s: 400', async (_, body, path) => {
    const res = await t.api('/api/leads', body);
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ path, message: expect.stringContaining('surrogate') }]);
    expect(await leadCount()).toBe(0);
  });

  it.each([5_000, 100_000])('events[].data nested %i deep: 400 naming the bound', async (depth) => {
    const res = await t.api(
      '/api/leads',
      `{"source":"web","externalId":"d","events":[{"type":"t","occurredAt":"2026-11-20T10:00:00Z","data":${nested(depth)}}]}`,
    );
    expect(res.status).toBe(400);
    expect(res.body.fields[0].message).toMatch(/deeper than 32 levels/);
    expect(res.body.fields[0].path).toMatch(/^events\.0\.data(\.a)+$/);
    expect(await leadCount()).toBe(0);
  });

  it('takes data nested within the bound', async () => {
    const res = await t.api(
      '/api/leads',
      `{"source":"web","externalId":"d","events":[{"type":"t","occurredAt":"2026-11-20T10:00:00Z","data":${nested(20)}}]}`,
    );
    expect(res.status).toBe(200);
  });

  it('refuses events[].data over 16 KB as JSON, and takes it just under', async () => {
    const big = await t.api('/api/leads', lead({ events: [event({ blob: 'x'.repeat(16 * 1024) })] }));
    expect(big.status).toBe(400);
    expect(big.body.fields).toEqual([{ path: 'events.0.data', message: expect.stringMatching(/at most 16 KB/) }]);
    expect(await leadCount()).toBe(0);
    const fits = await t.api('/api/leads', lead({ events: [event({ blob: 'x'.repeat(16 * 1024 - 20) })] }));
    expect(fits.status).toBe(200);
  });

  it('keeps a proper surrogate pair (an emoji)', async () => {
    const res = await t.api('/api/leads', lead({ name: 'Ada 🚀', events: [event({ '🚀': '🚀' })] }));
    expect(res.status).toBe(200);
    const [row] = await queryRows<{ name: string }>(database.db, sql`select name from leads`);
    expect(row!.name).toBe('Ada 🚀');
  });

  it('refuses the same on the events route', async () => {
    await t.api('/api/leads', lead({}));
    const res = await t.api('/api/leads/x1/events?source=web', { events: [event({ k: LONE })] });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ path: 'events.0.data.k', message: expect.stringContaining('surrogate') }]);
  });
});
