/**
 * Small Block Kit builders, typed by Slack's own `@slack/types`, that keep every piece within Slack's limits.
 * The mrkdwn text inside them (escaping, durations, dates) comes from `./mrkdwn.ts`.
 */
import type { ActionsBlock, Button, ContextBlock, HeaderBlock, MrkdwnElement, PlainTextElement, SectionBlock } from '@slack/types';
import { truncate, truncateMrkdwn } from './mrkdwn.js';

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

export const mrkdwn = (text: string, max: number = LIMITS.sectionText): MrkdwnElement => ({
  type: 'mrkdwn',
  text: truncateMrkdwn(text, max),
});
export const plain = (text: string, max: number): PlainTextElement => ({ type: 'plain_text', text: truncate(text, max), emoji: true });

export const header = (text: string): HeaderBlock => ({ type: 'header', text: plain(text || ' ', LIMITS.header) });
export const section = (text: string): SectionBlock => ({ type: 'section', text: mrkdwn(text) });
export const fields = (items: Array<[label: string, value: string]>): SectionBlock => ({
  type: 'section',
  fields: items.slice(0, LIMITS.fields).map(([label, value]) => mrkdwn(`*${label}*\n${value}`, LIMITS.field)),
});
export const context = (text: string): ContextBlock => ({ type: 'context', elements: [mrkdwn(text)] });
export const actions = (buttons: Button[], blockId?: string): ActionsBlock => ({
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
