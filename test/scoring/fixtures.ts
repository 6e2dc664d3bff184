/** Builders shared by the score() tests (score-operators, score-breakdown). */
import type { Attributes, Criteria, Rule, ScorableEvent, ScorableLead } from '../../src/scoring/types.js';

export function makeLead(overrides: Partial<ScorableLead> = {}, attributes: Attributes = {}): ScorableLead {
  return {
    source: 'api',
    externalId: 'ext-1',
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    company: 'Analytical Engines',
    title: 'Director of Engineering',
    country: 'Canada',
    attributes,
    ...overrides,
  };
}

let nextId = 1;
export function makeRule(field: string, op: Rule['op'], value: string | null, points = 10, label: string | null = null): Rule {
  return { id: nextId++, field, op, value, points, label };
}

export function criteria(rules: Rule[], threshold = 50, version = 3): Criteria {
  return { version, threshold, rules };
}

/** The moment score() is asked at in these tests. */
export const NOW = new Date('2026-11-30T12:00:00Z');

/** Events of these types, each an hour before NOW. */
export const events = (...types: string[]): ScorableEvent[] =>
  types.map((type) => ({ type, occurredAt: new Date(NOW.getTime() - 3_600_000) }));
