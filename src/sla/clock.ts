import type { BusinessHours } from './business-hours.js';

/** How SLA time is counted: always, or only inside business hours in a time zone. */
export interface SlaCalendar {
  businessHours: BusinessHours | null;
  timeZone: string;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** More than any SLA or report window needs; guards the loops against a calendar with no open hours. */
const MAX_DAYS = 3700;

interface LocalDate {
  year: number;
  month: number;
  day: number;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Zones change offset only on quarter hours, so one Intl lookup serves a whole quarter hour. */
const QUARTER_HOUR = 15 * MINUTE;
const offsetCache = new Map<string, number>();

/** The UTC offset (ms) a time zone has at an instant. */
function offsetAt(instant: number, timeZone: string): number {
  const bucket = Math.floor(instant / QUARTER_HOUR) * QUARTER_HOUR;
  const key = `${timeZone}|${bucket}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    const p = Object.fromEntries(
      formatterFor(timeZone)
        .formatToParts(new Date(bucket))
        .map((x) => [x.type, Number(x.value)]),
    );
    offset = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - bucket;
    if (offsetCache.size > 100_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

/** The wall-clock parts of an instant in a time zone. */
export function zonedParts(instant: Date, timeZone: string) {
  const local = new Date(instant.getTime() + offsetAt(instant.getTime(), timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    weekday: ((local.getUTCDay() + 6) % 7) + 1,
  };
}

/**
 * The instant a wall-clock time happens in a time zone. On a DST change day a time that doesn't exist
 * (the skipped hour) moves forward with the clock; a time that happens twice takes the first.
 */
export function zonedTimeToInstant(date: Omit<LocalDate, 'weekday'>, minuteOfDay: number, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minuteOfDay * MINUTE;
  // The offsets in force half a day either side cover any transition near this wall time.
  const offsets = [offsetAt(wall - DAY / 2, timeZone), offsetAt(wall + DAY / 2, timeZone)];
  const valid = offsets.map((o) => wall - o).filter((instant) => instant + offsetAt(instant, timeZone) === wall);
  if (valid.length) return new Date(Math.min(...valid));
  return new Date(wall - Math.min(...offsets));
}

function localDateOf(instant: Date, timeZone: string): LocalDate {
  const { year, month, day, weekday } = zonedParts(instant, timeZone);
  return { year, month, day, weekday };
}

function nextLocalDate(d: LocalDate): LocalDate {
  const next = new Date(Date.UTC(d.year, d.month - 1, d.day) + DAY);
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), weekday: (d.weekday % 7) + 1 };
}

/** The business-hours windows, as instants, of each local day from `from`'s day on. */
function* windowsFrom(from: Date, calendar: SlaCalendar & { businessHours: BusinessHours }): Generator<[number, number]> {
  const { businessHours: hours, timeZone } = calendar;
  let day = localDateOf(from, timeZone);
  for (let i = 0; i < MAX_DAYS; i++, day = nextLocalDate(day)) {
    if (!hours.days.includes(day.weekday)) continue;
    const [start, end] = [hours.startMinute, hours.endMinute].map((m) => zonedTimeToInstant(day, m, timeZone).getTime()) as [
      number,
      number,
    ];
    if (end > start) yield [start, end];
  }
}

/** SLA time that ran between two instants: all of it, or only the part inside business hours. */
export function slaElapsedMs(from: Date, to: Date, calendar: SlaCalendar): number {
  if (to <= from) return 0;
  const { businessHours } = calendar;
  if (!businessHours) return to.getTime() - from.getTime();
  let total = 0;
  for (const [start, end] of windowsFrom(from, { ...calendar, businessHours })) {
    if (start >= to.getTime()) break;
    total += Math.max(0, Math.min(end, to.getTime()) - Math.max(start, from.getTime()));
  }
  return total;
}

/** The instant by which `slaMs` of SLA time has run since `from`. */
export function slaDeadline(from: Date, slaMs: number, calendar: SlaCalendar): Date {
  const { businessHours } = calendar;
  if (!businessHours) return new Date(from.getTime() + slaMs);
  let left = slaMs;
  for (const [start, end] of windowsFrom(from, { ...calendar, businessHours })) {
    const open = Math.max(start, from.getTime());
    if (open >= end) continue;
    if (end - open >= left) return new Date(open + left);
    left -= end - open;
  }
  throw new Error('business hours never open: the SLA can never be met');
}
