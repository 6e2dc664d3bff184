/* A reason as a rep reads it: the rule's label and the evidence in words, never the rule syntax. */
import { describe, expect, it } from 'vitest';
import { reasonText } from '../../src/scoring/reason-text.js';
import { makeRule } from './fixtures.js';

describe('reasons in plain words', () => {
  it('says what an event means, with the count when there are several', () => {
    expect(reasonText(makeRule('events.form_submit', '>=', '1', 30), 1, 30)).toBe('+30 Submitted a form');
    expect(reasonText(makeRule('events.email_click', '>=', '2', 10, 'Clicks our emails'), 3, 10)).toBe('+10 Clicks our emails · 3 times');
    expect(reasonText(makeRule('events.trial_started', '>=', '1', 10), 1, 10)).toBe('+10 Trial started');
  });

  it('puts known units into words and other numbers next to their field', () => {
    const onSite = makeRule('Total Time Spent on Website', '>=', '900', 30, 'Engaged on site');
    expect(reasonText(onSite, 1532, 30)).toBe('+30 Engaged on site · 26 min on site');
    expect(reasonText(makeRule('TotalVisits', '>=', '5', 5, 'Repeat visitor'), '7', 5)).toBe('+5 Repeat visitor · 7 visits');
    expect(reasonText(makeRule('Employees', '>', '500', 10, 'Enterprise'), 1200, 10)).toBe('+10 Enterprise · Employees 1,200');
    expect(reasonText(makeRule('Employees', '>', '500', 10), 1200, 10)).toBe('+10 Employees 1,200');
  });

  it('shows the text that matched, unless the label already says it', () => {
    expect(reasonText(makeRule('title', 'contains', 'vp', 15, 'VP'), 'VP of Sales', 15)).toBe('+15 VP · VP of Sales');
    expect(reasonText(makeRule('Occupation', '=', 'Working Professional', 30, 'Working professional'), 'Working Professional', 30)).toBe(
      '+30 Working professional',
    );
    expect(reasonText(makeRule('country', 'in', 'India, Canada', 5), 'India', 5)).toBe('+5 country: India');
    expect(reasonText(makeRule('Do Not Email', '=', 'Yes', -20, 'Opted out of email'), 'Yes', -20)).toBe('-20 Opted out of email');
  });

  it('says when decay took points away', () => {
    expect(reasonText(makeRule('events.form_submit', '>=', '1', 30, 'Submitted a form'), 1, 15)).toBe(
      '+15 Submitted a form (decayed from +30)',
    );
  });
});

describe('event types named like Object.prototype members', () => {
  it('are words like any other', () => {
    for (const type of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(reasonText(makeRule(`events.${type}`, '>=', '1', 5), 1, 5)).toMatch(/^\+5 \S/);
    }
    expect(reasonText(makeRule('events.constructor', '>=', '1', 5), 1, 5)).toBe('+5 Constructor');
  });
});
