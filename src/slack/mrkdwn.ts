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

/** "3 min", "2 h 5 min", "1 d 4 h": how long something took, for people. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return `${Math.max(0, Math.round(ms / 1000))} s`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** Slack renders `<!date^…>` in each reader's own time zone, with a plain fallback. */
export function slackDate(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${date.toISOString().replace('T', ' ').slice(0, 16)} UTC>`;
}
