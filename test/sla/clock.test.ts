import { describe, expect, it } from 'vitest';
import { parseBusinessHours, type BusinessHours } from '../../src/sla/business-hours.js';
import { slaDeadline, slaElapsedMs, zonedTimeToInstant, type SlaCalendar } from '../../src/sla/clock.js';
import { slaActions, type SlaPolicy } from '../../src/sla/policy.js';

const hours = (text: string) => parseBusinessHours(text) as BusinessHours;
const berlin: SlaCalendar = { businessHours: hours('Mon-Fri 09:00-18:00'), timeZone: 'Europe/Berlin' };
const newYork: SlaCalendar = { businessHours: hours('Mon-Fri 09:00-17:00'), timeZone: 'America/New_York' };
const always: SlaCalendar = { businessHours: null, timeZone: 'UTC' };
const M = 60_000;
const H = 60 * M;
const d = (iso: string) => new Date(iso);

describe('SLA clock without business hours', () => {
  it('runs all the time, weekends and nights included', () => {
    expect(slaElapsedMs(d('2026-11-27T23:00:00Z'), d('2026-11-30T01:00:00Z'), always)).toBe(50 * H);
    expect(slaDeadline(d('2026-11-27T23:00:00Z'), 15 * M, always)).toEqual(d('2026-11-27T23:15:00Z'));
    expect(slaElapsedMs(d('2026-11-27T23:00:00Z'), d('2026-11-27T22:00:00Z'), always)).toBe(0);
  });
});

describe('SLA clock in business hours', () => {
  it('stops over the weekend: Friday 17:50 + 15 min is Monday 09:05', () => {
    // Berlin is UTC+1 in November.
    expect(slaDeadline(d('2026-11-27T16:50:00Z'), 15 * M, berlin)).toEqual(d('2026-11-30T08:05:00Z'));
    expect(slaElapsedMs(d('2026-11-27T16:50:00Z'), d('2026-11-30T08:05:00Z'), berlin)).toBe(15 * M);
  });

  it('does not run at night or before opening; a lead posted on Saturday starts Monday 09:00', () => {
    expect(slaElapsedMs(d('2026-11-24T18:00:00Z'), d('2026-11-25T07:59:00Z'), berlin)).toBe(0);
    expect(slaDeadline(d('2026-11-28T10:00:00Z'), 30 * M, berlin)).toEqual(d('2026-11-30T08:30:00Z'));
  });

  it('counts a 24 h decision SLA as 24 business hours (2 days and 6 hours of 9-hour days)', () => {
    // Monday 09:00 Berlin + 24 business hours → Wednesday 15:00.
    expect(slaDeadline(d('2026-11-23T08:00:00Z'), 24 * H, berlin)).toEqual(d('2026-11-25T14:00:00Z'));
  });

  it('keeps opening hours in local time across the spring DST change (Berlin, 29 March 2026)', () => {
    // Fri 27 Mar 09:00 CET (08:00Z) … Mon 30 Mar 18:00 CEST (16:00Z): two full 9-hour days.
    expect(slaElapsedMs(d('2026-03-27T08:00:00Z'), d('2026-03-30T16:00:00Z'), berlin)).toBe(18 * H);
    // Friday 17:00 CET + 2 h → Monday 10:00 CEST = 08:00Z.
    expect(slaDeadline(d('2026-03-27T16:00:00Z'), 2 * H, berlin)).toEqual(d('2026-03-30T08:00:00Z'));
  });

  it('keeps opening hours in local time across the autumn DST change (New York, 1 November 2026)', () => {
    // Fri 30 Oct 16:00 EDT (20:00Z) + 2 h → Mon 2 Nov 10:00 EST (15:00Z).
    expect(slaDeadline(d('2026-10-30T20:00:00Z'), 2 * H, newYork)).toEqual(d('2026-11-02T15:00:00Z'));
  });

  it('runs on a DST change day itself when it is a business day', () => {
    const everyDay: SlaCalendar = { businessHours: hours('Mon-Sun 00:00-24:00'), timeZone: 'Europe/Berlin' };
    // Sunday 29 March 2026 has 23 hours in Berlin.
    expect(slaElapsedMs(d('2026-03-28T23:00:00Z'), d('2026-03-29T22:00:00Z'), everyDay)).toBe(23 * H);
  });

  it('maps skipped and repeated wall-clock times deterministically', () => {
    expect(zonedTimeToInstant({ year: 2026, month: 3, day: 29 }, 150, 'Europe/Berlin')).toEqual(d('2026-03-29T01:30:00Z'));
    expect(zonedTimeToInstant({ year: 2026, month: 10, day: 25 }, 150, 'Europe/Berlin')).toEqual(d('2026-10-25T00:30:00Z'));
  });
});

describe('SLA actions', () => {
  const policy: SlaPolicy = { claimSlaMs: 15 * M, decisionSlaMs: 24 * H, calendar: always, autoRelease: false };
  const posted = d('2026-11-23T09:00:00Z');
  const at = (ms: number) => new Date(posted.getTime() + ms);

  it('reminds at 1× and escalates at 2× the claim SLA', () => {
    const open = { id: 7, claimableSince: posted, claimedBy: null, claimedAt: null };
    expect(slaActions(open, at(15 * M - 1), policy)).toEqual([]);
    expect(slaActions(open, at(15 * M), policy).map((a) => a.kind)).toEqual(['claim_reminder']);
    expect(slaActions(open, at(30 * M), policy).map((a) => a.key)).toEqual([
      `claim_reminder:7:${posted.getTime()}`,
      `claim_escalation:7:${posted.getTime()}`,
    ]);
  });

  it('reminds the owner, escalates, and auto-releases only when enabled', () => {
    const claimed = { id: 7, claimableSince: posted, claimedBy: 'U1', claimedAt: posted };
    expect(slaActions(claimed, at(72 * H), policy).map((a) => a.kind)).toEqual(['decision_reminder', 'decision_escalation']);
    expect(slaActions(claimed, at(72 * H), { ...policy, autoRelease: true }).map((a) => a.kind)).toEqual([
      'decision_reminder',
      'decision_escalation',
      'auto_release',
    ]);
  });
});
