import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/client.js';
import { findHandoff, loadHandoffView, recordHandoffPost } from '../../db/queries/handoffs.js';
import { findFailedPost, markMessageSent, type LeasedMessage } from '../../db/queries/outbox.js';
import type { OutboxKind } from '../../db/schema.js';
import { claimDmBlocks, mqlFallbackText, mqlPostBlocks } from '../handoff/blocks.js';
import type { HandoffView } from '../handoff/types.js';
import type { Logger } from '../logger.js';
import type { Block } from '../slack/blocks.js';

export interface SendContext {
  db: Db;
  slack: WebClient;
  salesChannel: string;
  logger: Logger;
  now: Date;
}

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

const POST_EVENT = 'mql_handoff';

async function viewOf(ctx: SendContext, handoffId: number | null): Promise<HandoffView> {
  const view = handoffId === null ? undefined : await loadHandoffView(ctx.db, handoffId);
  if (!view) throw new Obsolete(`handoff ${handoffId} no longer exists`);
  return view;
}

/** Where the handoff was posted; updates and thread replies wait for the post. */
async function postOf(ctx: SendContext, handoffId: number | null): Promise<{ channel: string; ts: string }> {
  const handoff = handoffId === null ? undefined : await findHandoff(ctx.db, handoffId);
  if (!handoff) throw new Obsolete(`handoff ${handoffId} no longer exists`);
  if (!handoff.channel || !handoff.messageTs) {
    // Waiting is pointless when the post itself was refused for good: this message can never be sent.
    const failure = await findFailedPost(ctx.db, handoff.id);
    if (failure) throw new Obsolete(`the post of handoff ${handoff.id} failed (${failure})`);
    throw new NotReady('the post has not been sent yet', 5000);
  }
  return { channel: handoff.channel, ts: handoff.messageTs };
}

/** conversations.history pages; bounded so a misbehaving API cannot keep us paging (100 × 200 messages). */
const HISTORY_PAGE = 200;
const MAX_HISTORY_PAGES = 100;

/**
 * A post attempt that may have reached Slack (crash, timeout) is looked up in the channel by the
 * handoff id carried in the message metadata before posting again, so a post appears once. Every page
 * since shortly before the message was queued is read: after a burst the post can be far back.
 */
async function findEarlierPost(ctx: SendContext, message: LeasedMessage): Promise<string | undefined> {
  const oldest = String(Math.floor(message.createdAt.getTime() / 1000) - 60);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
    const history = await ctx.slack.conversations.history({ channel: ctx.salesChannel, oldest, include_all_metadata: true, limit: HISTORY_PAGE, cursor });
    const match = history.messages?.find(
      (m) =>
        m.metadata?.event_type === POST_EVENT &&
        Number((m.metadata.event_payload as { handoff_id?: unknown } | undefined)?.handoff_id) === message.handoffId,
    );
    if (match) return match.ts;
    cursor = history.response_metadata?.next_cursor || undefined;
    if (!history.has_more || !cursor) return undefined;
  }
  ctx.logger.warn({ handoffId: message.handoffId }, `looked through ${MAX_HISTORY_PAGES} pages of history for an earlier post; posting again`);
  return undefined;
}

async function sendPost(ctx: SendContext, message: LeasedMessage): Promise<void> {
  const handoff = message.handoffId === null ? undefined : await findHandoff(ctx.db, message.handoffId);
  if (!handoff) throw new Obsolete(`handoff ${message.handoffId} no longer exists`);
  let ts = handoff.messageTs ?? (message.wasUncertain ? await findEarlierPost(ctx, message) : undefined);
  let channel = handoff.channel ?? ctx.salesChannel;
  if (!ts) {
    const view = await viewOf(ctx, message.handoffId);
    const res = await ctx.slack.chat.postMessage({
      channel: ctx.salesChannel,
      text: mqlFallbackText(view),
      blocks: mqlPostBlocks(view),
      unfurl_links: false,
      metadata: { event_type: POST_EVENT, event_payload: { handoff_id: view.id } },
    });
    ts = res.ts!;
    channel = res.channel ?? ctx.salesChannel;
  }
  const postedTs = ts;
  await ctx.db.transaction(async (tx) => {
    await recordHandoffPost(tx, handoff.id, channel, postedTs, ctx.now);
    await markMessageSent(tx, message.id, { channel, ts: postedTs }, ctx.now);
  });
}

async function sendUpdate(ctx: SendContext, message: LeasedMessage): Promise<void> {
  const { channel, ts } = await postOf(ctx, message.handoffId);
  // Rendered from the current state, so updates that pile up during an outage all show the latest.
  const view = await viewOf(ctx, message.handoffId);
  await ctx.slack.chat.update({ channel, ts, text: mqlFallbackText(view), blocks: mqlPostBlocks(view) });
  await markMessageSent(ctx.db, message.id, { channel, ts }, ctx.now);
}

async function sendDm(ctx: SendContext, message: LeasedMessage): Promise<void> {
  const user = String(message.payload.user);
  let text = String(message.payload.text ?? '');
  let blocks;
  if (message.payload.template === 'claimed') {
    const view = await viewOf(ctx, message.handoffId);
    const post = await postOf(ctx, message.handoffId);
    const permalink = await ctx.slack.chat
      .getPermalink({ channel: post.channel, message_ts: post.ts })
      .then((r) => r.permalink ?? null)
      .catch(() => null);
    text = `You claimed ${mqlFallbackText(view).replace(/^New MQL: /, '')}`;
    blocks = claimDmBlocks(view, permalink);
  }
  // Posting to a user id lands in the bot's direct-message conversation with that user.
  const res = await ctx.slack.chat.postMessage({ channel: user, text, ...(blocks ? { blocks } : {}), unfurl_links: false });
  await markMessageSent(ctx.db, message.id, { channel: res.channel, ts: res.ts }, ctx.now);
}

async function sendThreadReply(ctx: SendContext, message: LeasedMessage): Promise<void> {
  const { channel, ts } = await postOf(ctx, message.handoffId);
  const res = await ctx.slack.chat.postMessage({ channel, thread_ts: ts, text: String(message.payload.text ?? '') });
  await markMessageSent(ctx.db, message.id, { channel, ts: res.ts }, ctx.now);
}

/** A message composed when it was queued (the digest): sent as it is. */
async function sendChannelMessage(ctx: SendContext, message: LeasedMessage): Promise<void> {
  const { channel, text, blocks } = message.payload as { channel: string; text: string; blocks?: Block[] };
  const res = await ctx.slack.chat.postMessage({ channel, text, ...(blocks ? { blocks } : {}), unfurl_links: false });
  await markMessageSent(ctx.db, message.id, { channel: res.channel, ts: res.ts }, ctx.now);
}

export const SENDERS: Record<OutboxKind, (ctx: SendContext, message: LeasedMessage) => Promise<void>> = {
  post_mql: sendPost,
  update_mql: sendUpdate,
  dm: sendDm,
  thread_reply: sendThreadReply,
  channel_message: sendChannelMessage,
};
