import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/client.js';
import { markMessageSent } from '../../db/queries/outbox.js';
import type { Logger } from '../logger.js';
import type { MessageKind, Queued } from './messages.js';

export interface SendContext {
  db: Db;
  slack: WebClient;
  logger: Logger;
  now: Date;
}

/** Sends one message and marks it sent; throws to have it retried or dropped (see worker.ts). */
export type Sender<K extends MessageKind> = (ctx: SendContext, message: Queued<K>) => Promise<void>;
/** A sender for every kind: each feature gives those of its kinds, and the app puts them together. */
export type SenderRegistry = { [K in MessageKind]: Sender<K> };

/** The message can't be sent yet (e.g. an update whose post isn't out): try again after `delayMs`. */
export class NotReady extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}

/** The message no longer makes sense (its handoff is gone): drop it as failed, don't retry. */
export class Obsolete extends Error {}

const sendDm: Sender<'dm'> = async (ctx, message) => {
  // Posting to a user id lands in the bot's direct-message conversation with that user.
  const res = await ctx.slack.chat.postMessage({ channel: message.payload.user, text: message.payload.text, unfurl_links: false });
  await markMessageSent(ctx.db, message.id, { channel: res.channel, ts: res.ts }, ctx.now);
};

const sendChannelMessage: Sender<'channel_message'> = async (ctx, message) => {
  const { channel, text, blocks } = message.payload;
  const res = await ctx.slack.chat.postMessage({ channel, text, ...(blocks ? { blocks } : {}), unfurl_links: false });
  await markMessageSent(ctx.db, message.id, { channel: res.channel, ts: res.ts }, ctx.now);
};

/** The kinds that need nothing but Slack: plain DMs and composed channel messages. */
export const plainSenders: Pick<SenderRegistry, 'dm' | 'channel_message'> = { dm: sendDm, channel_message: sendChannelMessage };
