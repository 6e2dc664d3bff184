import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.js';
import { findActiveRouting, listRoutingVersions } from '../../db/queries/routing.js';
import { testConfig } from '../../harness/app.js';
import { ingestLeads } from '../../src/leads/ingest.js';
import type { LeadInput } from '../../src/leads/input.js';
import { applyRoutesChange, MAX_ROUTES, saveRoutesChange, spreadOfRecentLeads } from '../../src/routing/routes-service.js';
import type { Route } from '../../src/routing/types.js';
import { createTestDatabase, POSTGRES_URL, resetDatabase, type TestDatabase } from '../helpers/db.js';
import { parsedValue } from '../helpers/parsed.js';

const NOW = new Date('2026-11-30T12:00:00Z');
const DAY = 86_400_000;
const route = (name: string, over: Partial<Route> = {}): Route => ({
  name,
  conditions: [],
  channel: 'C0SALES2',
  team: null,
  mode: 'claim',
  ...over,
});
const names = (routes: Route[]) => routes.map((r) => r.name);

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.close());
beforeEach(async () => resetDatabase(database));

describe('applyRoutesChange', () => {
  const three = [route('emea'), route('us'), route('apac')];

  it('adds last, removes, and moves to a position or before another route', () => {
    expect(parsedValue(applyRoutesChange(three, { kind: 'add', route: route('latam') }))).toEqual({
      routes: [...three, route('latam')],
      change: 'add latam as number 4',
    });
    expect(parsedValue(applyRoutesChange(three, { kind: 'remove', name: 'US' }))).toEqual({
      routes: [route('emea'), route('apac')],
      change: 'remove us (number 2)',
    });
    const moved = parsedValue(applyRoutesChange(three, { kind: 'move', name: 'apac', to: { position: 1 } }));
    expect([names(moved.routes), moved.change]).toEqual([['apac', 'emea', 'us'], 'move apac from 3 to 1']);
    expect(names(parsedValue(applyRoutesChange(three, { kind: 'move', name: 'emea', to: { position: 3 } })).routes)).toEqual([
      'us',
      'apac',
      'emea',
    ]);
    expect(names(parsedValue(applyRoutesChange(three, { kind: 'move', name: 'emea', to: { before: 'apac' } })).routes)).toEqual([
      'us',
      'emea',
      'apac',
    ]);
    expect(names(parsedValue(applyRoutesChange(three, { kind: 'move', name: 'apac', to: { before: 'EMEA' } })).routes)).toEqual([
      'apac',
      'emea',
      'us',
    ]);
  });

  it('says why a change cannot be made', () => {
    const errorOf = (change: Parameters<typeof applyRoutesChange>[1], routes: Route[] = three) => {
      const result = applyRoutesChange(routes, change);
      return result.ok ? null : result.error;
    };
    expect(errorOf({ kind: 'add', route: route('EMEA') })).toBe('a route named `emea` exists already (number 1); choose another name');
    const full = Array.from({ length: MAX_ROUTES }, (_, i) => route(`r${i}`));
    expect(errorOf({ kind: 'add', route: route('one-more') }, full)).toBe('there are 30 routes, the most there may be; remove one first');
    expect(errorOf({ kind: 'remove', name: 'emae' })).toBe('there is no route named `emae`; did you mean `emea`?');
    expect(errorOf({ kind: 'remove', name: 'zzz' })).toBe('there is no route named `zzz`; the routes are emea, us, apac');
    expect(errorOf({ kind: 'remove', name: 'emea' }, [])).toBe('there is no route named `emea`: there are no routes yet');
    expect(errorOf({ kind: 'move', name: 'emea', to: { position: 4 } })).toBe(
      'there are 3 routes: the position is a number from 1 to 3, not 4',
    );
    expect(errorOf({ kind: 'move', name: 'emea', to: { position: 0 } })).toContain('not 0');
    expect(errorOf({ kind: 'move', name: 'emea', to: { position: 2 } }, [route('emea')])).toBe(
      'there is 1 route: the only position is 1, not 2',
    );
    expect(errorOf({ kind: 'move', name: 'emea', to: { position: 1 } })).toBe('`emea` is number 1 already');
    expect(errorOf({ kind: 'move', name: 'emea', to: { before: 'us' } })).toBe('`emea` is number 1 already');
    expect(errorOf({ kind: 'move', name: 'emea', to: { before: 'emea' } })).toBe('`emea` cannot move before itself');
    expect(errorOf({ kind: 'move', name: 'emea', to: { before: 'apc' } })).toBe('there is no route named `apc`; did you mean `apac`?');
  });
});

describe('saveRoutesChange', () => {
  it('saves each change as the next version with who and what, and audits it', async () => {
    const db = database.db;
    expect(await findActiveRouting(db)).toEqual({ version: 0, routes: [] });
    expect(await saveRoutesChange(db, { kind: 'add', route: route('emea') }, 'UMANAGER', NOW)).toMatchObject({
      ok: true,
      before: { version: 0 },
    });
    await saveRoutesChange(db, { kind: 'add', route: route('us') }, 'UMANAGER2', NOW);
    await saveRoutesChange(db, { kind: 'move', name: 'us', to: { position: 1 } }, 'UMANAGER', NOW);
    const refused = await saveRoutesChange(db, { kind: 'remove', name: 'nope' }, 'UMANAGER', NOW);
    expect(refused.ok).toBe(false);

    const { versions, total } = await listRoutingVersions(db, 10);
    expect(total).toBe(3);
    expect(versions.map((v) => [v.version, names(v.routes), v.change, v.createdBy])).toEqual([
      [3, ['us', 'emea'], 'move us from 2 to 1', 'UMANAGER'],
      [2, ['emea', 'us'], 'add us as number 2', 'UMANAGER2'],
      [1, ['emea'], 'add emea as number 1', 'UMANAGER'],
    ]);
    expect(versions[0]!.createdAt).toEqual(NOW);
    const audit = await queryRows(
      db,
      sql`select actor, action, entity, entity_id, from_state, to_state, details from audit_log order by id`,
    );
    expect(audit).toHaveLength(3);
    expect(audit[2]).toEqual({
      actor: 'UMANAGER',
      action: 'routing.changed',
      entity: 'routing',
      entity_id: '3',
      from_state: '2',
      to_state: '3',
      details: { change: 'move us from 2 to 1' },
    });
  });

  it('leaves handed-over leads with the route they were given', async () => {
    await saveRoutesChange(database.db, { kind: 'add', route: route('all', { channel: 'C0ALL' }) }, 'UMANAGER', NOW);
    const hot: LeadInput = { source: 'web', externalId: 'hot', attributes: { 'Lead Origin': 'Lead Add Form' } };
    await ingestLeads(database.db, [hot], { now: NOW, actor: 'test', queuePosts: true });
    await saveRoutesChange(database.db, { kind: 'remove', name: 'all' }, 'UMANAGER', NOW);
    const [handoff] = await queryRows(database.db, sql`select route_name, routing_version, post_channel from handoffs`);
    expect(handoff).toEqual({ route_name: 'all', routing_version: 1, post_channel: 'C0ALL' });
  });

  it.skipIf(!POSTGRES_URL)('serialises changes made at the same moment: each gets its own version, none is lost (Postgres)', async () => {
    const adds = Array.from({ length: 8 }, (_, i) => saveRoutesChange(database.db, { kind: 'add', route: route(`r${i}`) }, `U${i}`, NOW));
    const twins = Array.from({ length: 3 }, () => saveRoutesChange(database.db, { kind: 'add', route: route('twin') }, 'UTWIN', NOW));
    const results = await Promise.all([...adds, ...twins]);
    expect(results.filter((r) => r.ok)).toHaveLength(9);
    const errors = results.flatMap((r) => (r.ok ? [] : [r.error]));
    expect(errors).toHaveLength(2);
    for (const error of errors) expect(error).toMatch(/^a route named `twin` exists already \(number \d\)/);
    const { versions, total } = await listRoutingVersions(database.db, 20);
    expect(total).toBe(9);
    expect(versions.map((v) => v.version)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(versions[0]!.routes.map((r) => r.name).sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'twin']);
    const [audit] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from audit_log where action = 'routing.changed'`,
    );
    expect(audit!.n).toBe(9);
  });
});

describe('spreadOfRecentLeads', () => {
  const input = (id: string, over: Partial<LeadInput>): LeadInput => ({
    source: 'web',
    externalId: id,
    attributes: { 'Lead Origin': 'Lead Add Form' },
    ...over,
  });
  const members = async (id: string) => new Set(id === 'S0EMEA' ? ['U0CAR'] : []);
  const groups = { members, tryMembers: members };
  const deps = () => ({ database, groups, config: testConfig() });

  it('spreads the qualified leads seen in the last 30 days, reading only the events the routes count', async () => {
    const store = (inputs: LeadInput[], at: Date) => ingestLeads(database.db, inputs, { now: at, actor: 'test', queuePosts: false });
    await store([input('old', { country: 'Germany' })], new Date(NOW.getTime() - 40 * DAY));
    await store(
      [
        input('de1', { country: 'Germany' }),
        input('de2', { country: 'Germany' }),
        input('fr', { country: 'France', events: [{ type: 'Webinar', occurredAt: new Date(NOW.getTime() - 2 * DAY) }] }),
        input('in', { country: 'India' }),
        { source: 'web', externalId: 'cold', country: 'Germany', attributes: {} },
      ],
      new Date(NOW.getTime() - 3 * DAY),
    );
    const routes: Route[] = [
      route('webinar', { conditions: [{ field: 'events.webinar', op: 'exists', value: null }] }),
      route('emea', {
        conditions: [{ field: 'country', op: 'in', value: 'Germany, France' }],
        team: { users: ['U0ANA'], groups: ['S0EMEA'], weights: {} },
        mode: 'round-robin',
      }),
    ];
    const { spread, total } = await spreadOfRecentLeads(deps(), routes, NOW);
    expect(total).toBe(4);
    expect(spread.routes.map((s) => [s.route?.name ?? 'default', s.leads])).toEqual([
      ['webinar', 1],
      ['emea', 2],
      ['default', 1],
    ]);
    expect(spread.routes[1]!.reps).toEqual([
      { userId: 'U0ANA', weight: 1, leads: 1 },
      { userId: 'U0CAR', weight: 1, leads: 1 },
    ]);
  });

  it('routes on the stored score, fit and engagement', async () => {
    await ingestLeads(
      database.db,
      [input('form', { events: [{ type: 'form_submit', occurredAt: new Date(NOW.getTime() - DAY) }] }), input('plain', {})],
      { now: NOW, actor: 'test', queuePosts: false },
    );
    const engaged = route('engaged', {
      conditions: [
        { field: 'engagement', op: '>=', value: '30' },
        { field: 'score', op: '>=', value: '70' },
      ],
    });
    const { spread } = await spreadOfRecentLeads(deps(), [engaged], NOW);
    expect(spread.routes.map((s) => s.leads)).toEqual([1, 1]);
  });
});
