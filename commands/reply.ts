/** Reply builders for `/mql`: escaping, Slack's size limits, and the standard problem/refusal shapes. Pure. */
import type { KnownBlock, SectionBlock } from '@slack/types';
import { LIMITS, section } from '../src/slack/blocks.js';
import { escapeMrkdwn, truncate } from '../src/slack/mrkdwn.js';
import type { Reply, Usage } from './types.js';

export { escapeMrkdwn };

/** Inline code with user text inside: escaped, and without backticks that would end the span early. */
export const code = (text: string) => `\`${escapeMrkdwn(text).replace(/`/g, "'")}\``;

/** A Slack user id as a mention; anything else (e.g. `system`) as plain text. */
export const person = (id: string) => (/^[UW][A-Z0-9]+$/.test(id) ? `<@${id}>` : escapeMrkdwn(id));

const count = new Intl.NumberFormat('en-US');
export const n = (value: number) => count.format(value);
export const percent = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`);
export const ratio = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));

const MORE_RESERVE = 40;

/**
 * Packs lines into sections of at most 3,000 characters and at most `maxBlocks` blocks; lines that do
 * not fit are counted in a last "…and N more" line.
 */
export function linesToBlocks(
  lines: string[],
  maxBlocks: number = LIMITS.blocks,
  more = (k: number) => `…and ${n(k)} more`,
): SectionBlock[] {
  const max = LIMITS.sectionText;
  const chunks: string[][] = [];
  let size = 0;
  let used = 0;
  for (const raw of lines) {
    const line = truncate(raw, max - MORE_RESERVE);
    const current = chunks[chunks.length - 1];
    if (current && size + 1 + line.length <= max) {
      current.push(line);
      size += 1 + line.length;
    } else {
      if (chunks.length === maxBlocks) break;
      chunks.push([line]);
      size = line.length;
    }
    used++;
  }
  let left = lines.length - used;
  if (left > 0) {
    const last = chunks[chunks.length - 1]!;
    // Make room for the count in the last block.
    while (last.length > 1 && last.join('\n').length + 1 + more(left).length > max) {
      last.pop();
      left++;
    }
    last.push(more(left));
  }
  return chunks.map((chunk) => section(chunk.join('\n')));
}

export const privately = (text: string, blocks?: KnownBlock[]): Reply => ({
  response_type: 'ephemeral',
  text: truncate(text, LIMITS.fallbackText),
  ...(blocks ? { blocks } : {}),
});

export const toChannel = (text: string, blocks?: KnownBlock[]): Reply => ({
  response_type: 'in_channel',
  text: truncate(text, LIMITS.fallbackText),
  ...(blocks ? { blocks } : {}),
});

/** What was wrong, then the right form and an example. */
export function problem(message: string, usage: Pick<Usage, 'usage' | 'example'>): Reply {
  return privately([`:warning: ${escapeMrkdwn(message)}`, `Use: ${code(usage.usage)}`, `Example: ${code(usage.example)}`].join('\n'));
}
