/** Business hours as configured, e.g. `Mon-Fri 09:00-18:00`: the SLA clock runs only inside them. */
export interface BusinessHours {
  /** ISO weekdays (1 = Monday … 7 = Sunday) on which the clock runs. */
  days: number[];
  /** Minutes after midnight, local to the configured time zone; start < end. */
  startMinute: number;
  endMinute: number;
}

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const FORMAT = /^([a-z]{3})(?:-([a-z]{3}))?\s+(\d{2}):(\d{2})-(\d{2}):(\d{2})$/i;

/** Parses `Mon-Fri 09:00-18:00` (or a single day, `Sat 10:00-14:00`). Returns an error message when it can't. */
export function parseBusinessHours(text: string): BusinessHours | { error: string } {
  const m = FORMAT.exec(text.trim());
  const usage = 'expected days and hours like "Mon-Fri 09:00-18:00"';
  if (!m) return { error: usage };
  const [, fromDay, toDay, sh, sm, eh, em] = m as unknown as string[];
  const from = DAY_NAMES.indexOf(fromDay!.toLowerCase());
  const to = toDay ? DAY_NAMES.indexOf(toDay.toLowerCase()) : from;
  if (from < 0 || to < 0) return { error: `unknown day name; ${usage}` };
  const startMinute = Number(sh) * 60 + Number(sm);
  const endMinute = Number(eh) * 60 + Number(em);
  if (Number(sm) > 59 || Number(em) > 59 || endMinute > 24 * 60 || startMinute >= endMinute) {
    return { error: `the hours must be a valid range within one day; ${usage}` };
  }
  const days: number[] = [];
  // A range may wrap the week (Sat-Mon).
  for (let d = from; ; d = (d + 1) % 7) {
    days.push(d + 1);
    if (d === to) break;
  }
  return { days, startMinute, endMinute };
}
