import { describe, expect, it } from 'vitest';
import type { TeamMembers } from '../../src/routing/candidates.js';
import { spreadLeads, type SpreadLead } from '../../src/routing/spread.js';
import type { Route } from '../../src/routing/types.js';

const T0 = new Date('2026-11-01T09:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function lead(i: number, country: string, score = 50): SpreadLead {
  return {
    routed: {
      lead: { source: 'web', externalId: `l${i}`, email: null, name: null, company: null, title: null, country, attributes: {} },
      events: [],
      score: { score, fit: score, engagement: 0 },
    },
    at: new Date(T0.getTime() + i * HOUR),
  };
}

const emea: Route = {
  name: 'emea',
  conditions: [{ field: 'country', op: 'in', value: 'Germany, France' }],
  channel: 'C0EMEA',
  team: { users: ['U0ANA', 'U0BEN'], groups: ['S0EMEA'], weights: { U0BEN: 2 } },
  mode: 'round-robin',
};
const big: Route = { name: 'big', conditions: [{ field: 'score', op: '>=', value: '80' }], channel: 'C0BIG', team: null, mode: 'claim' };

describe('spreadLeads', () => {
  it('counts each lead once, on the first route that matches, the default last', () => {
    const leads = [lead(0, 'Germany', 90), lead(1, 'India', 90), lead(2, 'India'), lead(3, 'France')];
    const spread = spreadLeads({ routes: [emea, big], teams: new Map(), leads, windowMs: 7 * DAY });
    expect(spread.leads).toBe(4);
    expect(spread.routes.map((s) => [s.route?.name ?? 'default', s.leads])).toEqual([
      ['emea', 2],
      ['big', 1],
      ['default', 1],
    ]);
    // A team whose members are unknown (not given) names no rep.
    expect(spread.routes[0]!.reps).toBeNull();
  });

  it('hands a team route its leads in turn, weights honoured, over the expanded team (groups included)', () => {
    const teams = new Map<string, TeamMembers>([
      ['emea', { users: ['U0ANA', 'U0BEN', 'U0CAR'], weights: { U0ANA: 1, U0BEN: 2, U0CAR: 1 } }],
    ]);
    const leads = Array.from({ length: 400 }, (_, i) => lead(i, i % 2 ? 'Germany' : 'France'));
    const [share] = spreadLeads({ routes: [emea], teams, leads, windowMs: 30 * DAY }).routes;
    expect(share!.reps).toEqual([
      { userId: 'U0ANA', weight: 1, leads: 100 },
      { userId: 'U0BEN', weight: 2, leads: 200 },
      { userId: 'U0CAR', weight: 1, leads: 100 },
    ]);
  });

  it('counts fairness over the window only, across routes, as offers are counted', () => {
    const second: Route = {
      ...emea,
      name: 'india',
      conditions: [{ field: 'country', op: '=', value: 'India' }],
      team: { users: ['U0ANA', 'U0BEN'], groups: [], weights: {} },
    };
    const teams = new Map<string, TeamMembers>([
      ['emea', { users: ['U0ANA'], weights: { U0ANA: 1 } }],
      ['india', { users: ['U0ANA', 'U0BEN'], weights: { U0ANA: 1, U0BEN: 1 } }],
    ]);
    // Ana took three EMEA leads just before: the first India lead goes to Ben. Three days later those are out of the
    // window, so both have none and Ana, who has waited longer, takes the second.
    const leads = [
      lead(0, 'Germany'),
      lead(1, 'Germany'),
      lead(2, 'Germany'),
      lead(3, 'India'),
      { ...lead(4, 'India'), at: new Date(T0.getTime() + 3 * DAY) },
    ];
    const spread = spreadLeads({ routes: [emea, second], teams, leads, windowMs: DAY });
    expect(spread.routes[1]!.reps).toEqual([
      { userId: 'U0ANA', weight: 1, leads: 1 },
      { userId: 'U0BEN', weight: 1, leads: 1 },
    ]);
    const fresh = spreadLeads({
      routes: [emea, second],
      teams,
      leads: [...leads, { ...lead(5, 'India'), at: new Date(T0.getTime() + 3 * DAY + HOUR) }],
      windowMs: DAY,
    });
    expect(fresh.routes[1]!.reps!.map((r) => r.leads)).toEqual([1, 2]);
  });

  it('judges conditions at the time of each lead, and takes turns in time order whatever order the leads come in', () => {
    const recent: Route = { ...big, name: 'recent', conditions: [{ field: 'events.form_submit', op: '>=', value: '1', withinMs: DAY }] };
    const withForm = (i: number, formAt: Date): SpreadLead => ({
      ...lead(i, 'India'),
      routed: { ...lead(i, 'India').routed, events: [{ type: 'form_submit', occurredAt: formAt }] },
    });
    // Routed an hour after the form: recent. Routed two days after it: not any more.
    const leads = [withForm(10, new Date(T0.getTime() + 9 * HOUR)), withForm(60, new Date(T0.getTime() + 10 * HOUR))];
    const spread = spreadLeads({ routes: [recent], teams: new Map(), leads: leads.reverse(), windowMs: DAY });
    expect(spread.routes.map((s) => s.leads)).toEqual([1, 1]);
  });
});
