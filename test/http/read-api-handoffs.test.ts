/*
 * GET /api/handoffs: a CRM that pulls walks every handoff exactly once, page by page in the order they last
 * changed (ties broken by id), and then sees only what changed since.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../helpers/db.js';
import { seedHandoff } from '../helpers/seed.js';
import { useTestApp } from '../helpers/use-test-app.js';
import type { TestApp } from '../../harness/app.js';
import { rows } from '../../harness/handoff.js';
import { applyHandoffAction } from '../../src/handoff/service.js';

const T1 = '2026-11-23T10:00:00.000Z';
const T2 = '2026-11-23T10:05:00.000Z';
let clock = new Date('2026-11-23T11:00:00Z');

const app = useTestApp({ now: () => clock, resetBeforeEach: true });
let t: TestApp;
let database: TestDatabase;
beforeAll(() => {
  ({ t, database } = app);
});

/** Handoffs changed last at these times (Postgres keeps microseconds; the cursor must too); ids in (time, id) order. */
async function handoffsChangedAt(times: string[]): Promise<number[]> {
  const seeded: Array<{ id: number; at: string }> = [];
  for (const [i, at] of times.entries()) {
    const id = await seedHandoff(database, { name: `Lead ${i}`, postedAt: new Date('2026-11-23T09:00:00Z'), email: `l${i}@acme.example` });
    await rows(database, `update handoffs set updated_at = '${at}' where id = ${id}`);
    seeded.push({ id, at });
  }
  const key = (s: { at: string }) => Date.parse(s.at) * 1000 + Number(s.at.match(/\.\d{3}(\d{3})/)?.[1] ?? 0);
  return seeded.sort((a, b) => key(a) - key(b) || a.id - b.id).map((s) => s.id);
}

/** Follows nextCursor from the first page to the last; every page but the last is full. */
async function walk(query: string, limit: number) {
  const ids: number[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const res = await t.api(`/api/handoffs?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    ids.push(...res.body.handoffs.map((h: { id: number }) => h.id));
    cursor = res.body.nextCursor;
    if (!cursor) return ids;
    expect(res.body.handoffs).toHaveLength(limit);
  }
  throw new Error('more than 50 pages: the cursor does not move on');
}

describe('GET /api/handoffs', () => {
  it('walks every handoff exactly once in (updatedAt, id) order across pages of any size, ties included', async () => {
    // Reversed insertion against time, three sharing T2 and two a microsecond-precise time within one millisecond.
    const order = await handoffsChangedAt([T2, T2, '2026-11-23T10:01:00.000999Z', T1, T2, '2026-11-23T10:01:00.000001Z', T1]);
    for (const limit of [1, 2, 3, 7, 100]) expect(await walk('', limit), `limit ${limit}`).toEqual(order);
  });

  it('shows each handoff with its lead, and answers an empty page with no cursor', async () => {
    expect((await t.api('/api/handoffs')).body).toEqual({ handoffs: [], nextCursor: null });
    const [id] = await handoffsChangedAt([T1]);
    const { body } = await t.api('/api/handoffs');
    expect(body.nextCursor).toBeNull();
    expect(body.handoffs).toEqual([
      expect.objectContaining({
        id,
        state: 'unclaimed',
        updatedAt: T1,
        lead: { source: 'seed', externalId: expect.stringMatching(/^seed-/), email: 'l0@acme.example', name: 'Lead 0', company: null },
      }),
    ]);
  });

  it('filters by updatedSince (inclusive, any offset), and a later change brings a handoff back with a higher version', async () => {
    const [, , atT2] = await handoffsChangedAt([T1, '2026-11-23T10:02:00Z', T2]);
    expect(await walk(`&updatedSince=${T2}`, 2)).toEqual([atT2]);
    expect(await walk(`&updatedSince=${encodeURIComponent('2026-11-23T11:01:00+01:00')}`, 2)).toHaveLength(2);
    expect(await walk('&updatedSince=2026-11-23T10:05:00.001Z', 2)).toEqual([]);

    const first = (await t.api(`/api/handoffs?updatedSince=${T2}`)).body.handoffs[0];
    clock = new Date('2026-11-23T11:00:00Z');
    await applyHandoffAction(t.app.deps, {
      handoffId: atT2!,
      actor: { userId: 'UREP1', isManager: false },
      command: { action: 'claim' },
      now: clock,
    });
    const { body } = await t.api(`/api/handoffs?updatedSince=${encodeURIComponent(first.updatedAt)}`);
    expect(body.handoffs).toEqual([
      expect.objectContaining({ id: atT2, state: 'claimed', claimedBy: 'UREP1', updatedAt: clock.toISOString() }),
    ]);
    expect(body.handoffs[0].version).toBeGreaterThan(first.version);
  });

  it('refuses a bad cursor, date, limit or parameter with 400 naming the field', async () => {
    const fieldsOf = async (query: string) => {
      const res = await t.api(`/api/handoffs?${query}`);
      expect(res.status).toBe(400);
      return res.body.fields.map((f: { path: string }) => f.path);
    };
    expect(await fieldsOf('limit=0')).toEqual(['query.limit']);
    expect(await fieldsOf('limit=501')).toEqual(['query.limit']);
    expect(await fieldsOf('limit=ten')).toEqual(['query.limit']);
    expect(await fieldsOf('updatedSince=yesterday')).toEqual(['query.updatedSince']);
    expect(await fieldsOf('updatedSince=2026-02-30T00:00:00Z')).toEqual(['query.updatedSince']);
    expect(await fieldsOf('cursor=not-a-cursor')).toEqual(['query.cursor']);
    // Well-formed base64url of a time that does not exist.
    expect(await fieldsOf(`cursor=${Buffer.from('2026-02-30T00:00:00.000000Z|1').toString('base64url')}`)).toEqual(['query.cursor']);
    expect(await fieldsOf('updated_since=2026-11-23T10:00:00Z')).toEqual(['query']);
    expect((await t.api('/api/handoffs', undefined, { token: null })).status).toBe(401);
  });
});
