/* Fit and engagement, decay with the age of the evidence, and event windows: score() at a given `now`. */
import { describe, expect, it } from 'vitest';
import { ageInDays, DAY_MS, decayedPoints, nextDecayChange, qualifies, reachable, ruleAxis } from '../../src/scoring/axes.js';
import { score } from '../../src/scoring/score.js';
import type { Criteria, Rule, ScorableEvent } from '../../src/scoring/types.js';
import { makeLead, makeRule, NOW } from './fixtures.js';

const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);
const form = (days: number): ScorableEvent => ({ type: 'form_submit', occurredAt: daysAgo(days) });

const formRule = makeRule('events.form_submit', '>=', '1', 30, 'Submitted a form');
const proRule = makeRule('Occupation', '=', 'Working Professional', 20, 'Working professional');
const visitsRule: Rule = { ...makeRule('TotalVisits', '>=', '5', 10, 'Repeat visitor'), axis: 'engagement' };
const pro = makeLead({}, { Occupation: 'Working Professional', TotalVisits: 7 });

const criteria = (extra: Partial<Criteria> = {}): Criteria => ({
  version: 2,
  threshold: 30,
  rules: [formRule, proRule, visitsRule],
  ...extra,
});

describe('axes', () => {
  it('puts events on engagement and everything else on fit unless the rule says', () => {
    expect(ruleAxis(formRule)).toBe('engagement');
    expect(ruleAxis(proRule)).toBe('fit');
    expect(ruleAxis(visitsRule)).toBe('engagement');
    expect(ruleAxis({ field: '"EVENTS.webinar"' })).toBe('engagement');
  });

  it('sums each axis and qualifies on the total or on both minimums', () => {
    const result = score(pro, [form(0)], criteria(), NOW);
    expect(result).toMatchObject({ fit: 20, engagement: 40, total: 60, qualified: true });
    expect(result.breakdown.map((b) => b.axis)).toEqual(['engagement', 'fit', 'engagement']);
    expect(score(pro, [form(0)], criteria({ minimums: { fit: 25, engagement: 10 } }), NOW).qualified).toBe(false);
    expect(score(pro, [form(0)], criteria({ minimums: { fit: 20, engagement: 40 } }), NOW).qualified).toBe(true);
    expect(qualifies({ fit: 0, engagement: 50, total: 50 }, { threshold: 10, minimums: { fit: 0, engagement: 50 } })).toBe(true);
  });

  it('knows the most each axis can reach', () => {
    expect(reachable([formRule, proRule, visitsRule, makeRule('x', 'exists', null, -50)])).toEqual({ fit: 20, engagement: 40, total: 60 });
  });
});

describe('decay', () => {
  const halfLife = criteria({ decay: { kind: 'half-life', days: 30 } });
  const window = criteria({ decay: { kind: 'window', days: 30 } });

  it('halves engagement points every half-life, in whole days, and leaves fit alone', () => {
    expect(decayedPoints(30, 0, { kind: 'half-life', days: 30 })).toBe(30);
    expect(decayedPoints(30, 30, { kind: 'half-life', days: 30 })).toBe(15);
    expect(decayedPoints(30, 60, { kind: 'half-life', days: 30 })).toBe(8);
    expect(decayedPoints(-10, 30, { kind: 'half-life', days: 30 })).toBe(-5);
    expect(decayedPoints(30, 400, { kind: 'half-life', days: 30 })).toBe(0);
    const old = score(makeLead({}, { Occupation: 'Working Professional' }), [form(30)], halfLife, NOW);
    expect(old.breakdown.map((b) => [b.reason, b.points, b.fullPoints])).toEqual([
      ['+15 Submitted a form (decayed from +30)', 15, 30],
      ['+20 Working professional', 20, undefined],
    ]);
    expect(old.breakdown[0]!.evidenceAt).toBe(daysAgo(30).toISOString());
  });

  it('does not post a lead whose only signal is a form from long ago', () => {
    const lead = makeLead();
    expect(score(lead, [form(0)], window, NOW).qualified).toBe(true);
    expect(score(lead, [form(29.9)], window, NOW).qualified).toBe(true);
    expect(score(lead, [form(30)], window, NOW).qualified).toBe(false);
    expect(score(lead, [form(330)], halfLife, NOW)).toMatchObject({ total: 0, qualified: false, breakdown: [] });
    expect(score(lead, [form(330)], criteria(), NOW).qualified).toBe(true);
  });

  it('measures a form from its newest one, and attribute engagement from the last activity', () => {
    expect(score(makeLead(), [form(90), form(1)], window, NOW).engagement).toBe(30);
    const lastSeen = (days: number | null) =>
      score({ ...pro, lastActivityAt: days === null ? null : daysAgo(days) }, [], window, NOW).breakdown.find(
        (b) => b.ruleId === visitsRule.id,
      )?.points;
    expect(lastSeen(3)).toBe(10);
    expect(lastSeen(45)).toBeUndefined();
    expect(lastSeen(null)).toBe(10); // no time known: nothing to decay from
  });

  it('says when the score will next change, and never once nothing is left to decay', () => {
    expect(score(makeLead(), [form(2.5)], halfLife, NOW).nextChangeAt).toEqual(new Date(daysAgo(2.5).getTime() + 3 * DAY_MS));
    expect(score(makeLead(), [form(2.5)], window, NOW).nextChangeAt).toEqual(new Date(daysAgo(2.5).getTime() + 30 * DAY_MS));
    expect(score(makeLead(), [form(400)], halfLife, NOW).nextChangeAt).toBeNull();
    expect(score(makeLead(), [form(2)], criteria(), NOW).nextChangeAt).toBeNull();
    expect(nextDecayChange(30, daysAgo(1), ageInDays(daysAgo(1), NOW), { kind: 'off' })).toBeNull();
  });

  it('counts evidence from the future as new', () => {
    expect(ageInDays(daysAgo(-3), NOW)).toBe(0);
  });
});

describe('event windows', () => {
  const recentForm: Rule = { ...makeRule('events.form_submit', '>=', '1', 30, 'Recent form'), withinMs: 30 * DAY_MS };
  const windowed = criteria({ rules: [recentForm] });

  it('counts only the events inside the window', () => {
    expect(score(makeLead(), [form(10)], windowed, NOW).total).toBe(30);
    expect(score(makeLead(), [form(31)], windowed, NOW).total).toBe(0);
    const twice: Rule = { ...recentForm, value: '2' };
    expect(score(makeLead(), [form(10), form(40)], criteria({ rules: [twice] }), NOW).total).toBe(0);
    expect(score(makeLead(), [form(10), form(20)], criteria({ rules: [twice] }), NOW).total).toBe(30);
  });

  it('says when the oldest counted event leaves the window', () => {
    expect(score(makeLead(), [form(10), form(20)], windowed, NOW).nextChangeAt).toEqual(new Date(daysAgo(20).getTime() + 30 * DAY_MS + 1));
  });
});
