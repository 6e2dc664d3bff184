import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenizeCommand } from '../../commands/parse.js';
import { awayPeriod, MAX_AWAY_MS, parseAway, type AwaySpell } from '../../src/routing/away-syntax.js';
import { slackDate } from '../../src/slack/mrkdwn.js';

// Tuesday 1 December 2026, 10:00 UTC (11:00 in Berlin).
const NOW = new Date('2026-12-01T10:00:00Z');
const HOUR = 3_600_000;
/** The end as replies show it: a Slack date, which each reader sees in their own time zone. */
const shown = (iso: string) => slackDate(new Date(iso));

function parse(text: string, timeZone = 'UTC', now = NOW) {
  const tokens = tokenizeCommand(text);
  if (!tokens.ok) throw new Error(tokens.error);
  return parseAway(tokens.value, now, timeZone);
}

function spell(text: string, timeZone = 'UTC', now = NOW): AwaySpell {
  const parsed = parse(text, timeZone, now);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

function error(text: string, timeZone = 'UTC'): string {
  const parsed = parse(text, timeZone);
  if (parsed.ok) throw new Error(`"${text}" parsed as ${parsed.value.until?.toISOString()}`);
  return parsed.error;
}

describe('parseAway: when the rep is back', () => {
  it('is open-ended with nothing after /mql away', () => {
    expect(spell('')).toEqual({ until: null, zoned: false, lastDay: null });
    expect(awayPeriod(spell(''), NOW, 'UTC')).toBeNull();
  });

  it('reads a 24-hour time later today, in the time zone given, and says which', () => {
    expect(spell('until 17:30').until).toEqual(new Date('2026-12-01T17:30:00Z'));
    expect(spell('until 17:30', 'Europe/Berlin').until).toEqual(new Date('2026-12-01T16:30:00Z'));
    expect(awayPeriod(spell('until 17:30'), NOW, 'UTC')).toBe(`until ${shown('2026-12-01T17:30:00Z')} (17:30 in UTC)`);
    expect(awayPeriod(spell('until 17:30', 'Europe/Berlin'), NOW, 'Europe/Berlin')).toBe(
      `until ${shown('2026-12-01T16:30:00Z')} (17:30 in Europe/Berlin)`,
    );
  });

  it('reads 12-hour times with am/pm, with or without minutes and a space', () => {
    expect(spell('until 5pm').until).toEqual(new Date('2026-12-01T17:00:00Z'));
    expect(spell('until 5:15 PM').until).toEqual(new Date('2026-12-01T17:15:00Z'));
    expect(spell('until 12pm').until).toEqual(new Date('2026-12-01T12:00:00Z'));
    // 12am is midnight: already passed today, so tomorrow's.
    expect(spell('until 12am').until).toEqual(new Date('2026-12-02T00:00:00Z'));
  });

  it('takes a time already passed today as tomorrow', () => {
    expect(spell('until 9:00').until).toEqual(new Date('2026-12-02T09:00:00Z'));
    expect(spell('until 10:00').until).toEqual(new Date('2026-12-02T10:00:00Z'));
    expect(awayPeriod(spell('until 9am'), NOW, 'UTC')).toBe(`until ${shown('2026-12-02T09:00:00Z')} (Wed 2 Dec 09:00 in UTC)`);
  });

  it('keeps a date away through that whole day, back at the midnight that ends it', () => {
    const through = spell('until 2026-12-04');
    expect(through.until).toEqual(new Date('2026-12-05T00:00:00Z'));
    expect(awayPeriod(through, NOW, 'UTC')).toBe(`until ${shown('2026-12-05T00:00:00Z')} (the end of Fri 4 Dec in UTC)`);
    const newYork = spell('until 2026-12-04', 'America/New_York');
    expect(newYork.until).toEqual(new Date('2026-12-05T05:00:00Z'));
    expect(awayPeriod(newYork, NOW, 'America/New_York')).toBe(
      `until ${shown('2026-12-05T05:00:00Z')} (the end of Fri 4 Dec in America/New_York)`,
    );
    // Today itself: away for the rest of it.
    expect(spell('until 2026-12-01').until).toEqual(new Date('2026-12-02T00:00:00Z'));
  });

  it('shows the year of a date in another year', () => {
    expect(awayPeriod(spell('until 2027-01-05'), NOW, 'UTC')).toContain('(the end of Tue 5 Jan 2027 in UTC)');
  });

  it('keeps a weekday away through the next such day, today included', () => {
    expect(spell('until friday').until).toEqual(new Date('2026-12-05T00:00:00Z'));
    expect(spell('until Fri').until).toEqual(new Date('2026-12-05T00:00:00Z'));
    expect(spell('until tuesday').until).toEqual(new Date('2026-12-02T00:00:00Z'));
    expect(spell('until monday').until).toEqual(new Date('2026-12-08T00:00:00Z'));
    expect(awayPeriod(spell('until thurs'), NOW, 'UTC')).toContain('(the end of Thu 3 Dec in UTC)');
  });

  it('reads a weekday in the time zone given, where the day may differ from UTC', () => {
    // 23:30 UTC on Tuesday is already Wednesday in Tokyo: "until wednesday" is the rest of today there.
    const late = new Date('2026-12-01T23:30:00Z');
    expect(spell('until wednesday', 'Asia/Tokyo', late).until).toEqual(new Date('2026-12-02T15:00:00Z'));
  });

  it('ends a day at its own midnight across a change of clocks', () => {
    // Friday 6 March 2026, noon in Los Angeles (UTC-8); clocks go forward on Sunday 8 March (UTC-7 after).
    const friday = new Date('2026-03-06T20:00:00Z');
    expect(spell('until sunday', 'America/Los_Angeles', friday).until).toEqual(new Date('2026-03-09T07:00:00Z'));
    expect(spell('until 2026-03-07', 'America/Los_Angeles', friday).until).toEqual(new Date('2026-03-08T08:00:00Z'));
  });

  it('reads durations after for, after until, and alone', () => {
    for (const text of ['for 2h', 'until 2h', '2h', 'for 2 hours', '120m']) {
      expect(spell(text).until, text).toEqual(new Date(NOW.getTime() + 2 * HOUR));
    }
    expect(spell('3d').until).toEqual(new Date('2026-12-04T10:00:00Z'));
    // A duration ends at the same instant in every zone: only the Slack date, no zone.
    expect(awayPeriod(spell('for 3d'), NOW, 'Europe/Berlin')).toBe(`until ${shown('2026-12-04T10:00:00Z')}`);
    expect(spell('90 minutes')).toEqual({ until: new Date(NOW.getTime() + 1.5 * HOUR), zoned: false, lastDay: null });
  });

  it('takes a time, date or day without until too', () => {
    expect(spell('friday').until).toEqual(new Date('2026-12-05T00:00:00Z'));
    expect(spell('5pm').until).toEqual(new Date('2026-12-01T17:00:00Z'));
  });

  it('accepts a spell of exactly 365 days', () => {
    expect(spell('365d').until).toEqual(new Date(NOW.getTime() + 365 * 24 * HOUR));
  });
});

describe('parseAway: what it refuses', () => {
  it('refuses words that are no time, date, day or duration, naming the forms', () => {
    expect(error('until soon')).toBe(
      '`soon` is not a time, date, day or duration the bot knows; write `until 17:30`, `until 5pm`, `until 2026-12-24`, `until friday`, `for 2h` or `3d`',
    );
    expect(error('whenever')).toContain('`whenever` is not a time, date, day or duration');
    expect(error('until 5')).toContain('`5` is not a time, date, day or duration');
    // Names every object has are no weekday.
    for (const word of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(error(`until ${word}`)).toContain(`\`${word}\` is not a time, date, day or duration`);
    }
  });

  it('takes only a duration after for', () => {
    expect(error('for friday')).toContain('`friday` is not a duration the bot knows');
  });

  it('refuses until or for with nothing after it', () => {
    expect(error('until')).toContain('`until` needs what follows it');
    expect(error('for')).toContain('`for` needs what follows it');
  });

  it('refuses impossible times and dates', () => {
    expect(error('until 25:00')).toBe('`25:00` is not a time of day');
    expect(error('until 17:60')).toBe('`17:60` is not a time of day');
    expect(error('until 13pm')).toBe('`13pm` is not a time of day');
    expect(error('until 0am')).toBe('`0am` is not a time of day');
    expect(error('until 2026-02-30')).toBe('`2026-02-30` is not a date');
    expect(error('until 2026-13-01')).toBe('`2026-13-01` is not a date');
  });

  it('refuses a date already over', () => {
    expect(error('until 2026-11-30')).toBe('2026-11-30 is already over; name a day to come');
  });

  it('refuses more than 365 days', () => {
    expect(error('366d')).toContain('`366d` is more than 365 days away');
    expect(error('until 2027-12-24')).toContain('more than 365 days away');
    expect(error('for 2w 1d')).toContain('is not a duration');
  });

  it('refuses a zero duration as no time at all, and one under a minute as too short', () => {
    const zero = '`0m` is no time at all: the duration must be more than zero, e.g. `for 2h`';
    expect(error('for 0m')).toBe(zero);
    expect(error('0m')).toBe(zero);
    expect(error('until 0.0 hours')).toContain('`0.0 hours` is no time at all');
    expect(error('30s')).toBe('`30s` is under a minute: an away spell lasts at least `1m`');
  });

  it('refuses a duration of years, or too long for a date, as more than 365 days', () => {
    expect(error('for 20y')).toContain('`20y` is more than 365 days away');
    expect(error(`for ${'9'.repeat(30)}d`)).toContain('is more than 365 days away');
  });
});

describe('parseAway on anything typed', () => {
  const words = fc.constantFrom(
    'until',
    'for',
    'friday',
    'sun',
    '5pm',
    '12:00',
    '24:00',
    '2026-12-24',
    '0000-01-01',
    '9999-12-31',
    '3d',
    '1e9d',
    '-2h',
    '0m',
    '99999999999999999999w',
    '0.5s',
    'pm',
    ':',
  );
  const text = fc.array(fc.oneof(words, fc.string()), { maxLength: 5 }).map((parts) => parts.join(' '));

  it('answers a spell between now and a year ahead, or an error, and never throws', () => {
    fc.assert(
      fc.property(text, fc.constantFrom('UTC', 'Europe/Berlin', 'Pacific/Kiritimati', 'America/St_Johns'), (input, timeZone) => {
        const tokens = tokenizeCommand(input);
        if (!tokens.ok) return;
        const parsed = parseAway(tokens.value, NOW, timeZone);
        if (!parsed.ok) {
          expect(parsed.error).toMatch(/\S/);
        } else if (parsed.value.until === null) {
          expect(tokens.value).toEqual([]);
        } else {
          expect(parsed.value.until.getTime()).toBeGreaterThan(NOW.getTime());
          expect(parsed.value.until.getTime() - NOW.getTime()).toBeLessThanOrEqual(MAX_AWAY_MS);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
