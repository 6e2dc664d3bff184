/** Small typed Block Kit builders that keep every piece within Slack's limits. */

export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  field: 2000,
  fields: 10,
  header: 150,
  buttonText: 75,
  buttonValue: 2000,
  contextElements: 10,
  actions: 25,
  fallbackText: 3000,
} as const;

export interface TextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
  emoji?: boolean;
}

export type Block =
  | { type: 'header'; text: TextObject; block_id?: string }
  | { type: 'section'; text?: TextObject; fields?: TextObject[]; block_id?: string }
  | { type: 'context'; elements: TextObject[]; block_id?: string }
  | { type: 'divider' }
  | { type: 'actions'; elements: Button[]; block_id?: string };

export interface Button {
  type: 'button';
  text: TextObject;
  action_id: string;
  value?: string;
  style?: 'primary' | 'danger';
}

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

export const mrkdwn = (text: string, max: number = LIMITS.sectionText): TextObject => ({ type: 'mrkdwn', text: truncateMrkdwn(text, max) });
export const plain = (text: string, max: number): TextObject => ({ type: 'plain_text', text: truncate(text, max), emoji: true });

export const header = (text: string): Block => ({ type: 'header', text: plain(text || ' ', LIMITS.header) });
export const section = (text: string): Block => ({ type: 'section', text: mrkdwn(text) });
export const fields = (items: Array<[label: string, value: string]>): Block => ({
  type: 'section',
  fields: items.slice(0, LIMITS.fields).map(([label, value]) => mrkdwn(`*${label}*\n${value}`, LIMITS.field)),
});
export const context = (text: string): Block => ({ type: 'context', elements: [mrkdwn(text)] });
export const actions = (buttons: Button[], blockId?: string): Block => ({
  type: 'actions',
  elements: buttons.slice(0, LIMITS.actions),
  ...(blockId ? { block_id: blockId } : {}),
});

export function button(text: string, actionId: string, value: string, style?: Button['style']): Button {
  return {
    type: 'button',
    text: plain(text, LIMITS.buttonText),
    action_id: actionId,
    value: truncate(value, LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
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
