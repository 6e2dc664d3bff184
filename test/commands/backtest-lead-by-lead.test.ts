/*
 * The backtest on the real X Education leads, checked lead by lead against score() for rule sets that exercise
 * every operator, field kind and folding rule, both axes and minimums, event windows and both kinds of decay.
 * Against an independent computation: backtest-figures.test.ts.
 */
import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { backtestReport, backtestTotals } from '../../src/scoring/criteria-service.js';
import { getActiveCriteria } from '../../db/queries/criteria.js';
import { findEventsOfLeads } from '../../db/queries/leads.js';
import { leadEvents, leads } from '../../db/schema.js';
import { ingestLeads } from '../../src/leads/ingest.js';
import { DAY_MS } from '../../src/scoring/axes.js';
import { score } from '../../src/scoring/score.js';
import type { Criteria, Rule } from '../../src/scoring/types.js';
import { useAppWithRealLeads } from './helpers.js';

const app = useAppWithRealLeads();
const NOW = new Date('2026-12-01T12:34:56.789Z');

/** Ages (ms before NOW) on and either side of day boundaries and windows, and in the future. */
const EDGE_AGES = [-DAY_MS, -1, 0, 1, ...[1, 3, 7, 10, 30, 90].flatMap((days) => [days * DAY_MS - 1, days * DAY_MS, days * DAY_MS + 1])];
const EVENT_TYPES = ['form_submit', 'Form_Submit', 'webinar_attended', 'email_click'];

/** A fixed pseudo-random sequence, so every run stores the same events. */
function sequence(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % below;
  };
}

/** Events at varied ages on some real leads, and last activity on others (the evidence decay reads). */
async function storeEvidence() {
  const db = app.database.db;
  const stored = await db
    .select({ id: leads.id, attributes: leads.attributes })
    .from(leads)
    .where(eq(leads.source, 'xed'))
    .orderBy(asc(leads.id));
  const ids = stored.map((r) => r.id);
  const next = sequence(13);
  const randomAge = () => next(120 * DAY_MS) - DAY_MS;
  // Each type at each edge on a lead of its own, so one event decides; then 1 to 4 events at random ages.
  const edges = EDGE_AGES.flatMap((age) => EVENT_TYPES.map((type) => [{ type, age }]));
  const randomEvents = ids
    .slice(edges.length, 1500)
    .map((_, k) => Array.from({ length: 1 + (k % 4) }, (_, j) => ({ type: EVENT_TYPES[(k + j) % EVENT_TYPES.length]!, age: randomAge() })));
  const events = [...edges, ...randomEvents].flatMap((list, k) =>
    list.map(({ type, age }) => ({ leadId: ids[k]!, type, occurredAt: new Date(NOW.getTime() - age) })),
  );
  await db.insert(leadEvents).values(events).onConflictDoNothing();
  // Last activity at each edge on leads an engagement attribute rule matches (an inquiry), then at random ages.
  const inquiries = stored.filter((r) => r.attributes['Lead Origin'] === 'Lead Add Form').slice(-EDGE_AGES.length);
  const activity = [...inquiries.map((r, k) => [r.id, EDGE_AGES[k]!]), ...ids.slice(1000, 3000).map((id) => [id, randomAge()])];
  for (const [id, age] of activity) {
    await db
      .update(leads)
      .set({ lastActivityAt: new Date(NOW.getTime() - age!) })
      .where(eq(leads.id, id!));
  }
}

describe('the SQL backtest equals score() lead by lead', () => {
  let id = 0;
  const rule = (field: string, op: Rule['op'], value: string | null, points = 1, more: Partial<Rule> = {}): Rule => ({
    id: ++id,
    field,
    op,
    value,
    points,
    label: null,
    ...more,
  });
  const within = (days: number) => ({ withinMs: days * DAY_MS });

  beforeAll(async () => {
    // Leads that exercise folding, case-variant keys, booleans, full-width digits, emoji and events.
    await ingestLeads(
      app.database.db,
      [
        {
          source: 'edge',
          externalId: 'e1',
          country: 'İndia',
          email: 'Ann@Example.com',
          title: 'VP Sales',
          attributes: { 'lead source': 'GOOGLE', Größe: 7, Flag: true },
        },
        {
          source: 'edge',
          externalId: 'e2',
          attributes: { 'LEAD SOURCE': 'google', GRÖSSE: '１２', Flag: false, Notes: 'Launch 🚀 team', 'Page Views Per Visit': '2.4' },
        },
        {
          source: 'edge',
          externalId: 'e3',
          attributes: { 'Lead Source': null, 'Total Time Spent on Website': '1,532', City: 'thane & outskirts' },
        },
        {
          source: 'edge',
          externalId: 'e4',
          attributes: { Straße: 'X' },
          events: [
            { type: 'form_submit', occurredAt: new Date('2026-11-01T10:00:00Z') },
            { type: 'form_submit', occurredAt: new Date('2026-11-02T10:00:00Z') },
            { type: 'webinar_attended', occurredAt: new Date('2026-11-03T10:00:00Z') },
          ],
        },
      ],
      { now: new Date('2026-11-05T10:00:00Z'), actor: 'test', queuePosts: false },
    );
    await storeEvidence();
  });

  /** Engagement both from events and from attributes (dated by the lead's last activity), and fit. */
  const engagementRules = () => [
    rule('events.form_submit', '>=', '1', 30),
    rule('events.form_submit', '>=', '2', 10, within(30)),
    rule('events.webinar_attended', 'exists', null, 15, within(7)),
    rule('events.email_click', '>=', '1', 9, within(90)),
    rule('events.email_click', 'exists', null, 4, { axis: 'fit' }),
    rule('events.form_submit', '<', '1', -5, within(10)),
    rule('Lead Origin', '=', 'Lead Add Form', 40, { axis: 'engagement' }),
    rule('Total Time Spent on Website', '>=', '900', 31, { axis: 'engagement' }),
    rule('Do Not Email', '=', 'Yes', -21, { axis: 'engagement' }),
    rule('What is your current occupation', '=', 'Working Professional', 30),
    rule('TotalVisits', '>=', '5', 5, { axis: 'fit' }),
  ];

  const sets: Array<[string, Rule[], number, Partial<Criteria>?]> = [
    ['the defaults', [], 30],
    ['axes and minimums, with event windows', engagementRules(), 30, { minimums: { fit: 5, engagement: 20 } }],
    ['a half-life', engagementRules(), 35, { decay: { kind: 'half-life', days: 10 } }],
    ['a half-life and minimums', engagementRules(), 30, { decay: { kind: 'half-life', days: 3 }, minimums: { fit: 4, engagement: 25 } }],
    ['a window', engagementRules(), 30, { decay: { kind: 'window', days: 7 } }],
    [
      'every operator and field kind',
      [
        rule('country', '=', 'india', 10),
        rule('Country', '!=', 'India', 3),
        rule('City', 'in', 'Mumbai, Thane & Outskirts', 4),
        rule('Specialization', 'contains', 'MANAGEMENT', 5),
        rule('lead source', '=', 'google', 6),
        rule('"Page Views Per Visit"', '<', '2.5', 7),
        rule('TotalVisits', 'exists', null, 2),
        rule('How did you hear about X Education', 'exists', null, -3),
        rule('Tags', '!=', 'Ringing', 1),
        rule('events.FORM_SUBMIT', '>=', '2', 20),
        rule('events.webinar_attended', 'exists', null, 9),
        rule('events.email_click', '<', '1', 1),
        rule('email', 'contains', '@example', 8),
        rule('title', 'contains', 'vp', 15),
        rule('GRÖSSE', '>', '5', 11),
        rule('STRASSE', '=', 'x', 12),
        rule('Flag', '=', 'yes', 13),
        rule('Notes', 'contains', '🚀', 14),
        rule('Total Time Spent on Website', '>', '600', 2),
        rule('source', '=', 'EDGE', 1),
        rule('externalId', 'in', 'e1,e3', 1),
      ],
      12,
    ],
  ];

  const criteriaOf = async (rules: Rule[], threshold: number, more: Partial<Criteria>): Promise<Criteria> =>
    rules.length ? { version: 99, threshold, rules, ...more } : getActiveCriteria(app.database.db);

  async function scoredLeads(criteria: Criteria) {
    const stored = await app.database.db.query.leads.findMany();
    const events = await findEventsOfLeads(
      app.database.db,
      stored.map((l) => l.id),
    );
    const scoreOf = (lead: (typeof stored)[number], c: Criteria) => score(lead, events.get(lead.id) ?? [], c, NOW);
    return { scores: stored.map((lead) => ({ lead, scored: scoreOf(lead, criteria) })), scoreOf };
  }

  it.each(sets)('for %s', async (_name, rules, threshold, more = {}) => {
    const criteria = await criteriaOf(rules, threshold, more);
    const totals = await backtestTotals(app.database.db, criteria, NOW);
    const { scores, scoreOf } = await scoredLeads(criteria);
    expect(totals.size).toBe(9244);
    const differing = scores.filter(({ lead, scored }) => {
      const backtested = totals.get(lead.id);
      return (['total', 'fit', 'engagement', 'qualified'] as const).some((key) => backtested?.[key] !== scored[key]);
    });
    expect(differing.map(({ lead }) => lead.externalId)).toEqual([]);
    // Not vacuous: the rules do fire, with different totals, and leads land on both sides of the line.
    expect(new Set([...totals.values()].map((t) => t.total)).size).toBeGreaterThan(5);
    expect(new Set([...totals.values()].map((t) => t.qualified))).toEqual(new Set([true, false]));
    if (more.decay) {
      // Decay took points from some leads, and left all of them to others (recent evidence, or none at all).
      const undecayed = { ...criteria, decay: { kind: 'off' } as const };
      const kept = scores.filter(({ lead, scored }) => scored.engagement === scoreOf(lead, undecayed).engagement);
      expect(scores.length - kept.length).toBeGreaterThan(100);
      expect(kept.filter(({ scored }) => scored.engagement > 0).length).toBeGreaterThan(100);
    }
  });

  // The report counts groups of leads (by hits and evidence age buckets), not leads: it must add up the same.
  it.each(sets.filter(([, , , more]) => more))('the grouped report adds up score() for %s', async (_name, rules, threshold, more = {}) => {
    const candidate = await criteriaOf(rules, threshold, more);
    const baseline: Criteria = { ...candidate, minimums: null, decay: { kind: 'off' } };
    const report = await backtestReport(app.database.db, { candidate, baseline, now: NOW });
    const { scores, scoreOf } = await scoredLeads(candidate);
    const was = new Map(scores.map(({ lead }) => [lead.id, scoreOf(lead, baseline).qualified]));
    const count = (keep: (s: (typeof scores)[number]) => boolean) => scores.filter(keep).length;
    expect(report.qualified).toBe(count(({ scored }) => scored.qualified));
    expect(report.baseline.qualified).toBe(count(({ lead }) => was.get(lead.id)!));
    expect(report.moved).toEqual({
      newlyQualified: count(({ lead, scored }) => scored.qualified && !was.get(lead.id)),
      droppedOut: count(({ lead, scored }) => !scored.qualified && was.get(lead.id)!),
    });
    expect(report.moved.newlyQualified + report.moved.droppedOut).toBeGreaterThan(0);
    for (const effect of report.rules) {
      const without = { ...candidate, rules: candidate.rules.filter((r) => r.id !== effect.rule.id) };
      expect(effect.moved, effect.rule.field).toBe(count(({ lead, scored }) => scoreOf(lead, without).qualified !== scored.qualified));
    }
    expect(report.rules.filter((r) => r.moved > 0).length).toBeGreaterThan(3);
    for (const sweep of report.sweeps) {
      const on = sweep.on === 'total' ? 'total' : sweep.on;
      for (const point of sweep.points) {
        const fixed = sweep.fixed;
        expect(point.qualified).toBe(count(({ scored }) => scored[on] >= point.at && (!fixed || scored[fixed.axis] >= fixed.minimum)));
      }
    }
  });
});
