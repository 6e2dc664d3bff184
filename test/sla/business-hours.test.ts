import { describe, expect, it } from 'vitest';
import { parseBusinessHours } from '../../src/sla/business-hours.js';

const USAGE = 'expected days and hours like "Mon-Fri 09:00-18:00"';

describe('parseBusinessHours', () => {
  it('reads "Mon-Fri 09:00-18:00"', () => {
    expect(parseBusinessHours('Mon-Fri 09:00-18:00')).toEqual({ days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1080 });
  });

  it('reads a single day', () => {
    expect(parseBusinessHours('Sat 10:00-14:30')).toEqual({ days: [6], startMinute: 600, endMinute: 870 });
    expect(parseBusinessHours('Sun 08:00-12:00')).toEqual({ days: [7], startMinute: 480, endMinute: 720 });
  });

  it('reads a range that wraps the week', () => {
    expect(parseBusinessHours('Sat-Mon 10:00-16:00')).toEqual({ days: [6, 7, 1], startMinute: 600, endMinute: 960 });
    expect(parseBusinessHours('Fri-Tue 10:00-16:00')).toMatchObject({ days: [5, 6, 7, 1, 2] });
  });

  it('reads a range covering the whole week', () => {
    expect(parseBusinessHours('Mon-Sun 00:00-24:00')).toEqual({ days: [1, 2, 3, 4, 5, 6, 7], startMinute: 0, endMinute: 1440 });
  });

  it('ignores case and surrounding spaces', () => {
    expect(parseBusinessHours('  mon-FRI   08:30-17:15 ')).toEqual({ days: [1, 2, 3, 4, 5], startMinute: 510, endMinute: 1035 });
  });

  it.each([
    '',
    '   ',
    'Mon-Fri',
    '09:00-18:00',
    'Mon-Fri 9:00-18:00',
    'Mon - Fri 09:00-18:00',
    'Monday-Friday 09:00-18:00',
    'Mon,Tue 09:00-18:00',
    'Mon-Fri 09:00 to 18:00',
    'Mon-Fri 0900-1800',
  ])('%j is not in the expected format', (text) => {
    expect(parseBusinessHours(text)).toEqual({ error: USAGE });
  });

  it.each(['Mun-Fri 09:00-18:00', 'Mon-Fry 09:00-18:00', 'Xyz 09:00-18:00'])('%j names an unknown day', (text) => {
    expect(parseBusinessHours(text)).toEqual({ error: `unknown day name; ${USAGE}` });
  });

  it.each([
    'Mon-Fri 18:00-09:00', // ends before it starts (no overnight shifts)
    'Mon-Fri 09:00-09:00', // empty
    'Mon-Fri 09:60-18:00', // minute 60
    'Mon-Fri 09:00-18:75',
    'Mon-Fri 09:00-24:30', // past midnight
    'Mon-Fri 25:00-26:00',
  ])('%j is not a valid range within one day', (text) => {
    expect(parseBusinessHours(text)).toEqual({ error: `the hours must be a valid range within one day; ${USAGE}` });
  });
});
