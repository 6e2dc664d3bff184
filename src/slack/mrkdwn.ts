/** Text for Slack's mrkdwn: escaping, cutting to a length, durations and dates. Pure text, no Block Kit. */

/** Slack reads `&`, `<`, `>` as markup in mrkdwn; user-supplied text must have them escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Cuts to at most `max` UTF-16 units (how Slack's limits count: an emoji is two), marking the cut with "…"
 * and never splitting a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = '';
  for (const char of text) {
    if (cut.length + char.length > max - 1) break;
    cut += char;
  }
  return `${cut}…`;
}

/** Like `truncate`, but a cut never leaves half an escape (`&l…`), which Slack would show as typed. */
export function truncateMrkdwn(text: string, max: number): string {
  const cut = truncate(text, max);
  return cut === text ? text : cut.replace(/&[a-z]{0,3}…$/, '…');
}

/** Shows at most `max` items, then "and N more". */
export function limitList<T>(items: T[], max: number, more: (n: number) => T): T[] {
  return items.length <= max ? items : [...items.slice(0, max), more(items.length - max)];
}

const UNITS: [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1000],
];

/**
 * "33 s", "1 min 30 s", "15 min", "1 h 5 min", "2 d 3 h": the two largest units, cut down, never rounded up,
 * so a 30 s SLA reads "30 s" and a lead that waited 59 s is never shown as having waited a minute. Seconds
 * only under 10 minutes: past that they are noise ("12 min ago", not "12 min 29 s ago").
 */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.floor(ms / 1000) * 1000);
  const units = rest < 10 * 60_000 ? UNITS : UNITS.slice(0, -1);
  const parts: string[] = [];
  for (const [unit, size] of units) {
    if (parts.length === 2) break;
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count} ${unit}`);
    else if (parts.length) break;
  }
  return parts.length ? parts.join(' ') : '0 s';
}

/** Slack renders `<!date^…>` in each reader's own time zone, with a plain fallback. */
export function slackDate(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${date.toISOString().replace('T', ' ').slice(0, 16)} UTC>`;
}
