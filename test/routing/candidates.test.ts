/** Who can be offered a lead: team expansion, Do Not Disturb (fake Slack) and each rep's load and history (database). */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setAway } from '../../db/queries/rep-away.js';
import { offers } from '../../db/schema.js';
import { candidatesFor, expandTeam, usersInDnd } from '../../src/routing/candidates.js';
import type { Deps } from '../../src/deps.js';
import type { Logger } from '../../src/logger.js';
import { type SeedHandoff, seedHandoff } from '../helpers/seed.js';
import { useTestApp } from '../helpers/use-test-app.js';

const T0 = new Date('2026-12-01T10:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(T0.getTime() + ms);

const app = useTestApp({ now: () => T0, env: { ROUTING_RESPECT_DND: 'true' }, resetBeforeEach: true });
const { fakeSlack } = app;
const deps = (over: Partial<Deps> = {}): Deps => ({ ...app.t.app.deps, ...over });

describe('expandTeam', () => {
  it("lists the route's users, then each group's members, once each, with weights defaulting to 1", async () => {
    fakeSlack.respond('usergroups.users.list', (args) =>
      args.usergroup === 'SEMEA' ? { ok: true, users: ['UBEN', 'UANA', 'UCY'] } : undefined,
    );
    const team = await expandTeam(deps(), { users: ['UANA', 'UDAN'], groups: ['SEMEA'], weights: { UCY: 2, UDAN: 0.5 } });
    expect(team).toEqual({ users: ['UANA', 'UDAN', 'UBEN', 'UCY'], weights: { UANA: 1, UDAN: 0.5, UBEN: 1, UCY: 2 } });
  });

  it('keeps the named users when a group no longer exists (it has nobody in it)', async () => {
    fakeSlack.respond('usergroups.users.list', () => ({ ok: false, error: 'no_such_subteam' }));
    expect(await expandTeam(deps(), { users: ['UANA'], groups: ['SGONE'], weights: {} })).toEqual({
      users: ['UANA'],
      weights: { UANA: 1 },
    });
  });

  it('says which groups Slack could not list just now, so the lead waits for them rather than opening', async () => {
    fakeSlack.respond('usergroups.users.list', () => new Response('upstream error', { status: 503 }));
    expect(await expandTeam(deps(), { users: ['UANA'], groups: ['SDOWN'], weights: {} })).toEqual({
      users: ['UANA'],
      weights: { UANA: 1 },
      unread: ['SDOWN'],
    });
  });
});

describe('usersInDnd', () => {
  // Each test asks about users of its own: answers are cached per user for a minute on the app's Slack client.
  const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

  it('asks Slack nothing when ROUTING_RESPECT_DND is off', async () => {
    const base = deps();
    const off = deps({ config: { ...base.config, routing: { ...base.config.routing, respectDnd: false } } });
    expect(await usersInDnd(off, ['UOFF1'])).toEqual(new Set());
    expect(fakeSlack.callsTo('dnd.info')).toEqual([]);
  });

  it('counts a snooze and scheduled quiet hours that are running, not those ahead or ended', async () => {
    const status: Record<string, Record<string, unknown>> = {
      USNOOZED: { snooze_enabled: true, snooze_endtime: seconds(at(HOUR)) },
      USNOOZE_OVER: { snooze_enabled: true, snooze_endtime: seconds(at(-60_000)) },
      UQUIET: { dnd_enabled: true, next_dnd_start_ts: seconds(at(-HOUR)), next_dnd_end_ts: seconds(at(HOUR)) },
      UQUIET_LATER: { dnd_enabled: true, next_dnd_start_ts: seconds(at(8 * HOUR)), next_dnd_end_ts: seconds(at(16 * HOUR)) },
      USCHEDULE_OFF: { dnd_enabled: false, next_dnd_start_ts: seconds(at(-HOUR)), next_dnd_end_ts: seconds(at(HOUR)) },
    };
    fakeSlack.respond('dnd.info', (args) => ({ ok: true, ...status[String(args.user)] }));
    expect(await usersInDnd(deps(), Object.keys(status))).toEqual(new Set(['USNOOZED', 'UQUIET']));
    expect(fakeSlack.callsTo('dnd.info').map((c) => c.args.user)).toEqual(Object.keys(status));
  });

  it('reuses an answer for a minute, then asks again', async () => {
    let snoozed = true;
    fakeSlack.respond('dnd.info', () => ({ ok: true, snooze_enabled: snoozed, snooze_endtime: seconds(at(DAY)) }));
    expect(await usersInDnd(deps({ now: () => T0 }), ['UCACHED'])).toEqual(new Set(['UCACHED']));
    snoozed = false;
    expect(await usersInDnd(deps({ now: () => at(59_000) }), ['UCACHED'])).toEqual(new Set(['UCACHED']));
    expect(fakeSlack.callsTo('dnd.info')).toHaveLength(1);
    expect(await usersInDnd(deps({ now: () => at(60_000) }), ['UCACHED'])).toEqual(new Set());
    expect(fakeSlack.callsTo('dnd.info')).toHaveLength(2);
  });

  it('counts a failed lookup as not in DND, logged once a minute', async () => {
    fakeSlack.respond('dnd.info', () => ({ ok: false, error: 'user_not_found' }));
    const warn = vi.fn();
    const logger = { warn } as unknown as Logger;
    expect(await usersInDnd(deps({ logger, now: () => at(DAY) }), ['UBROKEN'])).toEqual(new Set());
    expect(await usersInDnd(deps({ logger, now: () => at(DAY + 30_000) }), ['UBROKEN'])).toEqual(new Set());
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![1]).toBe('could not read Do Not Disturb; offering as if not in it');
    await usersInDnd(deps({ logger, now: () => at(DAY + 61_000) }), ['UBROKEN']);
    expect(warn).toHaveBeenCalledTimes(2);
  });
});

describe('candidatesFor', () => {
  let target: number;
  beforeEach(async () => {
    target = await seedHandoff(app.database, { name: 'Routed now', postedAt: at(-HOUR) });
  });

  const offer = async (handoffId: number, userId: string, offeredAt: Date, status: 'open' | 'passed' | 'timed_out' = 'passed') => {
    await app.database.db.insert(offers).values({
      handoffId,
      userId,
      routeName: 'emea',
      reason: 'round-robin',
      offeredAt,
      expiresAt: new Date(offeredAt.getTime() + 300_000),
      status,
    });
  };
  const other = (name: string, more: Partial<SeedHandoff> = {}) => seedHandoff(app.database, { name, postedAt: at(-2 * DAY), ...more });

  it("reads each rep's away spell, DND, load, cap, earlier offers of this lead and offers in the window", async () => {
    // UANA holds two open leads (a decided one does not count) and had offers 1 and 8 days ago (8 is outside the window).
    await other('Open 1', { claimedBy: 'UANA', claimedAt: at(-DAY) });
    await other('Open 2', { claimedBy: 'UANA', claimedAt: at(-DAY) });
    const decided = await other('Done', {
      claimedBy: 'UANA',
      claimedAt: at(-DAY),
      decision: 'accepted',
      decidedBy: 'UANA',
      decidedAt: at(-HOUR),
    });
    await offer(decided, 'UANA', at(-DAY), 'passed');
    await offer(decided, 'UANA', at(-8 * DAY), 'timed_out');
    // UBEN holds an offer of another lead he has not answered: it counts towards his load and his offers.
    await offer(await other('Offered to Ben'), 'UBEN', at(-10 * 60_000), 'open');
    // UCY passed this very lead two hours ago.
    await offer(target, 'UCY', at(-2 * HOUR), 'passed');
    // UDAN is away until tomorrow; UEVE's spell ended an hour ago.
    await setAway(app.database.db, { userId: 'UDAN', awayUntil: at(DAY), since: at(-DAY), setBy: 'UDAN' });
    await setAway(app.database.db, { userId: 'UEVE', awayUntil: at(-HOUR), since: at(-DAY), setBy: 'UMANAGER' });

    const users = ['UANA', 'UBEN', 'UCY', 'UDAN', 'UEVE', 'UFAY'];
    const candidates = await app.database.db.transaction((tx) =>
      candidatesFor(tx, { users, weights: { UANA: 2 }, cap: 3, handoffId: target, inDnd: new Set(['UFAY']), windowMs: 7 * DAY, now: T0 }),
    );
    const base = { weight: 1, away: false, inDnd: false, load: 0, cap: 3, offeredAlready: false, assignments: 0, lastAssignedAt: null };
    expect(candidates).toEqual([
      { ...base, userId: 'UANA', weight: 2, load: 2, assignments: 1, lastAssignedAt: at(-DAY) },
      { ...base, userId: 'UBEN', load: 1, assignments: 1, lastAssignedAt: at(-10 * 60_000) },
      { ...base, userId: 'UCY', offeredAlready: true, assignments: 1, lastAssignedAt: at(-2 * HOUR) },
      { ...base, userId: 'UDAN', away: true },
      { ...base, userId: 'UEVE' },
      { ...base, userId: 'UFAY', inDnd: true },
    ]);
  });

  it('takes the latest offer in the window as the last, and no cap as null', async () => {
    const lead = await other('Earlier');
    for (const hoursAgo of [50, 3, 20]) await offer(lead, 'UANA', at(-hoursAgo * HOUR));
    const [ana] = await app.database.db.transaction((tx) =>
      candidatesFor(tx, { users: ['UANA'], weights: {}, cap: null, handoffId: target, inDnd: new Set(), windowMs: DAY, now: T0 }),
    );
    expect(ana).toMatchObject({ cap: null, assignments: 2, lastAssignedAt: at(-3 * HOUR) });
  });

  it('returns nobody for an empty team', async () => {
    const none = await candidatesFor(app.database.db, {
      users: [],
      weights: {},
      cap: 2,
      handoffId: target,
      inDnd: new Set(),
      windowMs: DAY,
      now: T0,
    });
    expect(none).toEqual([]);
  });
});
