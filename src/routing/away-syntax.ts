/*
 * What follows `/mql away`: nothing (until they are back), `until 17:30` / `until 5pm`, `until 2026-12-24`,
 * `until friday`, `for 2h` / `until 3d` / `3d`. Times and days are read in the time zone given (the rep's own). Pure.
 */
import ms from 'ms';
import { fail, ok, type Parsed, type Token } from '../scoring/rule-tokens.js';
import { zonedParts, zonedTimeToInstant } from '../sla/clock.js';
import { slackDate } from '../slack/mrkdwn.js';

const DAY_MS = 24 * 3_600_000;
/** Longer than any holiday; a longer spell is more likely a typo (`until 2027-…` for 2026). */
export const MAX_AWAY_MS = 365 * DAY_MS;

interface LocalDay {
  year: number;
  month: number;
  day: number;
}

/**
 * An away spell: back at `until` (null: when they say so). `zoned`: the end was a time of day or a day, so it
 * depends on the time zone it was read in; `lastDay` for forms that name a day (away to the end of it).
 */
export interface AwaySpell {
  until: Date | null;
  zoned: boolean;
  lastDay: LocalDay | null;
}

const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** ISO weekday (1 = Monday) by the words people write. */
const WEEKDAYS: Record<string, number> = {
  ...Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d, i) => [d, i + 1])),
  ...Object.fromEntries(WEEKDAY_NAMES.map((d, i) => [d.toLowerCase(), i + 1])),
  tues: 2,
  thur: 4,
  thurs: 4,
};

export const AWAY_FORMS = '`until 17:30`, `until 5pm`, `until 2026-12-24`, `until friday`, `for 2h` or `3d`';

/** The spell the words after `/mql away` (any mention already taken out) describe, at `now`, in `timeZone`. */
export function parseAway(tokens: Token[], now: Date, timeZone: string): Parsed<AwaySpell> {
  if (tokens.length === 0) return ok({ until: null, zoned: false, lastDay: null });
  const [first, ...rest] = tokens;
  const keyword = first!.quoted ? null : first!.text.toLowerCase();
  const words = (keyword === 'until' || keyword === 'for' ? rest : tokens).map((t) => t.text).join(' ');
  if (!words) return fail(`\`${keyword}\` needs what follows it: ${AWAY_FORMS}`);
  // `for` takes a duration; `until`, or nothing, also a time, a date or a day (`/mql away friday`).
  const spell = keyword === 'for' ? forDuration(words, now) : untilWhen(words, now, timeZone);
  if (!spell) {
    return fail(`\`${words}\` is not a ${keyword === 'for' ? '' : 'time, date, day or '}duration the bot knows; write ${AWAY_FORMS}`);
  }
  if ('error' in spell) return fail(spell.error);
  // Written so that a duration too long for a Date (NaN) is refused as well.
  if (!(spell.until!.getTime() - now.getTime() <= MAX_AWAY_MS)) {
    return fail(`\`${words}\` is more than 365 days away; set a spell of at most a year, or \`/mql away\` alone until you are back`);
  }
  return ok(spell);
}

type Outcome = AwaySpell | { error: string } | null;

/** Away for a duration from now. A zero or a few seconds is a duration too, refused with why. */
function forDuration(words: string, now: Date): Outcome {
  const length = durationMs(words);
  if (length === null) return null;
  if (length <= 0) return { error: `\`${words}\` is no time at all: the duration must be more than zero, e.g. \`for 2h\`` };
  if (length < 60_000) return { error: `\`${words}\` is under a minute: an away spell lasts at least \`1m\`` };
  return { until: new Date(now.getTime() + Math.round(length)), zoned: false, lastDay: null };
}

/**
 * `2h`, `3d`, `90 minutes`: the forms parseDuration (scoring/duration-syntax.ts) reads, without its limits, so
 * `0m` and `20y` get their own answer (more than zero; at most a year) rather than "not a duration".
 */
function durationMs(words: string): number | null {
  if (!/^\d+(\.\d+)?\s*[a-z]+$/i.test(words)) return null;
  const length = ms(words as ms.StringValue);
  return length !== undefined && Number.isFinite(length) ? length : null;
}

function untilWhen(words: string, now: Date, timeZone: string): Outcome {
  const text = words.toLowerCase();
  const time = clockMinute(text);
  if (time !== undefined) return time === null ? { error: `\`${words}\` is not a time of day` } : atNextClock(time, now, timeZone);
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (date) return throughDate(words, { year: Number(date[1]), month: Number(date[2]), day: Number(date[3]) }, now, timeZone);
  // Own keys only: `constructor` or `__proto__` is not a day.
  const weekday = Object.hasOwn(WEEKDAYS, text) ? WEEKDAYS[text] : undefined;
  if (weekday) return throughDay(nextWeekday(weekday, now, timeZone), timeZone);
  return forDuration(words, now);
}

/** Minute of the day of `17:30`, `5pm`, `5:30 pm`; null when it looks like a time but is none (`25:00`); undefined otherwise. */
function clockMinute(text: string): number | null | undefined {
  const h24 = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (h24) {
    const [hour, minute] = [Number(h24[1]), Number(h24[2])];
    return hour < 24 && minute < 60 ? hour * 60 + minute : null;
  }
  const h12 = /^(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?$/.exec(text);
  if (!h12) return undefined;
  const [hour, minute] = [Number(h12[1]), Number(h12[2] ?? 0)];
  if (hour < 1 || hour > 12 || minute >= 60) return null;
  return ((hour % 12) + (h12[3] === 'p' ? 12 : 0)) * 60 + minute;
}

/** Today at that time, or tomorrow when it has passed today. */
function atNextClock(minute: number, now: Date, timeZone: string): AwaySpell {
  const today = zonedParts(now, timeZone);
  let until = zonedTimeToInstant(today, minute, timeZone);
  if (until <= now) until = zonedTimeToInstant(addDays(today, 1), minute, timeZone);
  return { until, zoned: true, lastDay: null };
}

function throughDate(words: string, day: LocalDay, now: Date, timeZone: string): Outcome {
  const check = new Date(Date.UTC(day.year, day.month - 1, day.day));
  if (check.getUTCMonth() !== day.month - 1 || check.getUTCDate() !== day.day) return { error: `\`${words}\` is not a date` };
  const spell = throughDay(day, timeZone);
  return spell.until! <= now ? { error: `${words} is already over; name a day to come` } : spell;
}

/** Away for the whole of `day`: back at the midnight that ends it. */
function throughDay(day: LocalDay, timeZone: string): AwaySpell {
  return { until: zonedTimeToInstant(addDays(day, 1), 0, timeZone), zoned: true, lastDay: day };
}

/** The next day (today included) that is that ISO weekday. */
function nextWeekday(weekday: number, now: Date, timeZone: string): LocalDay {
  const today = zonedParts(now, timeZone);
  return addDays(today, (weekday - today.weekday + 7) % 7);
}

function addDays(day: LocalDay, days: number): LocalDay {
  const d = new Date(Date.UTC(day.year, day.month - 1, day.day) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function dayLabel(day: LocalDay, now: Date, timeZone: string): string {
  const weekday = new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
  const year = day.year === zonedParts(now, timeZone).year ? '' : ` ${day.year}`;
  return `${WEEKDAY_NAMES[(weekday + 6) % 7]} ${day.day} ${MONTH_NAMES[day.month - 1]}${year}`;
}

/** "18:00" in `timeZone`, with the day ("Wed 2 Dec 09:00") when it is not today's there. */
function clockLabel(instant: Date, now: Date, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  const today = zonedParts(now, timeZone);
  const time = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  return p.year === today.year && p.month === today.month && p.day === today.day ? time : `${dayLabel(p, now, timeZone)} ${time}`;
}

/**
 * How long the spell runs, for replies and DMs; null: until they are back. The end is a Slack date, which each reader
 * sees in their own time zone, as Home and `/mql routes` show it; a time or a day also says how it was read:
 * "until <date> (17:00 in Europe/Berlin)", "until <date> (the end of Fri 4 Dec in Europe/Berlin)".
 */
export function awayPeriod(spell: AwaySpell, now: Date, timeZone: string): string | null {
  if (!spell.until) return null;
  const end = `until ${slackDate(spell.until)}`;
  if (spell.lastDay) return `${end} (the end of ${dayLabel(spell.lastDay, now, timeZone)} in ${timeZone})`;
  return spell.zoned ? `${end} (${clockLabel(spell.until, now, timeZone)} in ${timeZone})` : end;
}
