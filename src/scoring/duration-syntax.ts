/** Durations in rules and decay (`30d`, `2w`, `12h`): read with the `ms` library, written back exactly. Pure. */
import ms from 'ms';
import { DAY_MS } from './axes.js';

const MAX_MS = 3650 * DAY_MS;
const UNITS: Array<[string, number]> = [
  ['w', 7 * DAY_MS],
  ['d', DAY_MS],
  ['h', 3_600_000],
  ['m', 60_000],
];

/** A duration of at least a minute and at most ten years, or null when the text is not one. */
export function parseDuration(text: string): number | null {
  if (!/^\d+(\.\d+)?\s*[a-z]+$/i.test(text.trim())) return null;
  let value: number | undefined;
  try {
    value = ms(text.trim() as ms.StringValue);
  } catch {
    return null;
  }
  return value !== undefined && Number.isFinite(value) && value >= 60_000 && value <= MAX_MS ? Math.round(value) : null;
}

/** `30d`, `2w`, `36h`: the largest unit that divides it evenly. */
export function durationText(value: number): string {
  const [unit, size] = UNITS.find(([, size]) => value % size === 0) ?? ['m', 60_000];
  return `${Math.round(value / size)}${unit}`;
}
