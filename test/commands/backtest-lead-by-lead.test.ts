/*
 * The backtest on the real X Education leads, checked lead by lead against score() for rule sets that exercise
 * every operator, field kind and folding rule. Against an independent computation: backtest-figures.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { backtestTotals } from '../../src/scoring/criteria-service.js';
import { getActiveCriteria } from '../../db/queries/criteria.js';
import { findEventsOfLeads } from '../../db/queries/leads.js';
import { ingestLeads } from '../../src/leads/ingest.js';
import { score } from '../../src/scoring/score.js';
import type { Criteria, Rule } from '../../src/scoring/types.js';
import { useAppWithRealLeads } from './helpers.js';

const app = useAppWithRealLeads();
const NOW = new Date();

describe('the SQL backtest equals score() lead by lead', () => {
  let id = 0;
  const rule = (field: string, op: Rule['op'], value: string | null, points = 1): Rule => ({
    id: ++id,
    field,
    op,
    value,
    points,
    label: null,
  });

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
  });

  const sets: Array<[string, Rule[], number]> = [
    ['the defaults', [], 30],
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

  it.each(sets)('for %s', async (_name, rules, threshold) => {
    const criteria: Criteria = rules.length ? { version: 99, threshold, rules } : await getActiveCriteria(app.database.db);
    const totals = await backtestTotals(app.database.db, criteria, NOW);
    const leads = await app.database.db.query.leads.findMany();
    const events = await findEventsOfLeads(
      app.database.db,
      leads.map((l) => l.id),
    );
    expect(totals.size).toBe(9244);
    const differing = leads.filter((l) => score(l, events.get(l.id) ?? [], criteria, NOW).total !== totals.get(l.id));
    expect(differing.map((l) => l.externalId)).toEqual([]);
    // Not vacuous: the rules do fire, with different totals.
    expect(new Set(totals.values()).size).toBeGreaterThan(5);
  });
});
