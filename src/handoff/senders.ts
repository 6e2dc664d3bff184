import {
  findHandoff,
  findSentHandoffDms,
  loadHandoffView,
  lockHandoff,
  recordHandoffPost,
  updateHandoff,
  type SentHandoffDm,
} from '../../db/queries/handoffs.js';
import { restartOfferClock } from '../../db/queries/offers.js';
import { bringForwardWaiting, findFailedPost, markMessageSent } from '../../db/queries/outbox.js';
import type { Config } from '../config.js';
import { queueMessages, updateMql, type Queued } from '../outbox/messages.js';
import { NotReady, Obsolete, type SendContext, type Sender, type SenderRegistry } from '../outbox/senders.js';
import { offerDmBlocks, offerDmText } from '../routing/offer-blocks.js';
import { messageLink } from '../slack/links.js';
import { slaPolicyOf } from '../sla/policy.js';
import { mqlFallbackText, mqlPostBlocks } from './blocks.js';
import { claimDmBlocks, claimDmText } from './dm-blocks.js';
import type { HandoffView, PostSettings, RenderContext } from './types.js';

const POST_EVENT = 'mql_handoff';

async function viewOf(ctx: SendContext, handoffId: number): Promise<HandoffView> {
  const view = await loadHandoffView(ctx.db, handoffId);
  if (!view) throw new Obsolete(`handoff ${handoffId} no longer exists`);
  return view;
}

const WAITING_FOR_POST = 'the post has not been sent yet';

/** Where the handoff was posted; updates and thread replies wait for the post (brought forward once it is sent). */
async function postOf(ctx: SendContext, handoffId: number): Promise<{ channel: string; ts: string }> {
  const handoff = await findHandoff(ctx.db, handoffId);
  if (!handoff) throw new Obsolete(`handoff ${handoffId} no longer exists`);
  if (!handoff.channel || !handoff.messageTs) {
    // Waiting is pointless when the post itself was refused for good: this message can never be sent.
    const failure = await findFailedPost(ctx.db, handoff.id);
    if (failure) throw new Obsolete(`the post of handoff ${handoff.id} failed (${failure})`);
    throw new NotReady(WAITING_FOR_POST, 5000);
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
async function findEarlierPost(ctx: SendContext, channel: string, message: Queued<'post_mql'>): Promise<string | undefined> {
  const oldest = String(Math.floor(message.createdAt.getTime() / 1000) - 60);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
    const history = await ctx.slack.conversations.history({
      channel,
      oldest,
      include_all_metadata: true,
      limit: HISTORY_PAGE,
      cursor,
    });
    const match = history.messages?.find(
      (m) =>
        m.metadata?.event_type === POST_EVENT &&
        Number((m.metadata.event_payload as { handoff_id?: unknown } | undefined)?.handoff_id) === message.handoffId,
    );
    if (match) return match.ts;
    cursor = history.response_metadata?.next_cursor || undefined;
    if (!history.has_more || !cursor) return undefined;
  }
  ctx.logger.warn(
    { handoffId: message.handoffId },
    `looked through ${MAX_HISTORY_PAGES} pages of history for an earlier post; posting again`,
  );
  return undefined;
}

const sendPost =
  (salesChannel: string, settings: PostSettings): Sender<'post_mql'> =>
  async (ctx, message) => {
    const handoff = await findHandoff(ctx.db, message.handoffId);
    if (!handoff) throw new Obsolete(`handoff ${message.handoffId} no longer exists`);
    // A route's channel, else the sales channel.
    const target = handoff.postChannel ?? salesChannel;
    let ts = handoff.messageTs ?? (message.wasUncertain ? await findEarlierPost(ctx, target, message) : undefined);
    let channel = handoff.channel ?? target;
    if (!ts) {
      const view = await viewOf(ctx, message.handoffId);
      const render: RenderContext = { ...settings, now: ctx.now };
      const res = await ctx.slack.chat.postMessage({
        channel: target,
        text: mqlFallbackText(view, render),
        blocks: mqlPostBlocks(view, render),
        unfurl_links: false,
        metadata: { event_type: POST_EVENT, event_payload: { handoff_id: view.id } },
      });
      ts = res.ts!;
      channel = res.channel ?? target;
    }
    const postedTs = ts;
    await ctx.db.transaction(async (tx) => {
      await recordHandoffPost(tx, handoff.id, channel, postedTs, ctx.now);
      await markMessageSent(tx, message.id, { channel, ts: postedTs }, ctx.now);
      // What waited for the post (an offer DM, an update) goes now, not at its retry: a paced post may come late.
      await bringForwardWaiting(tx, handoff.id, WAITING_FOR_POST, ctx.now);
    });
  };

/**
 * The post, and every claim DM of the handoff, re-rendered from its current state: a DM stops offering
 * buttons once its reader no longer holds the lead, whether they acted from the DM, the post or the Home
 * tab, or someone else did. The post is what must be right; a DM that cannot be updated is logged.
 */
const sendUpdate =
  (settings: PostSettings): Sender<'update_mql'> =>
  async (ctx, message) => {
    const { channel, ts } = await postOf(ctx, message.handoffId);
    // Rendered from the current state, so updates that pile up during an outage all show the latest.
    const view = await viewOf(ctx, message.handoffId);
    const render: RenderContext = { ...settings, now: ctx.now };
    await ctx.slack.chat.update({ channel, ts, text: mqlFallbackText(view, render), blocks: mqlPostBlocks(view, render) });
    await markMessageSent(ctx.db, message.id, { channel, ts }, ctx.now);
    const link = messageLink(channel, ts);
    for (const dm of await findSentHandoffDms(ctx.db, view.id)) {
      const content = dmContent(view, dm, link, render);
      if (!content) continue;
      await ctx.slack.chat
        .update({ channel: dm.channel, ts: dm.ts, ...content })
        .catch((error: unknown) => ctx.logger.warn({ err: error, handoffId: view.id, user: dm.user }, 'could not update a DM'));
    }
  };

/** A claim or offer DM as the handoff's current state renders it (null: its offer is gone). */
function dmContent(view: HandoffView, dm: SentHandoffDm, link: string, render: RenderContext) {
  if (dm.template === 'claimed') return { text: claimDmText(view, dm.user, render), blocks: claimDmBlocks(view, dm.user, link, render) };
  const offer = view.offers?.find((o) => o.id === dm.offerId);
  return offer ? { text: offerDmText(view, offer, render), blocks: offerDmBlocks(view, offer, link, render) } : null;
}

/** An offer DM later than this (a Slack outage, a 429) gives the rep the whole answer time from when it is sent. */
const LATE_OFFER_MS = 30_000;

/**
 * The offer DM, rendered from the offer's state. The time to answer runs from the DM: one sent late restarts the
 * offer's clock when it is sent (and the post says so), so an outage delays an offer but never uses it up
 * (offers time out only once their DM was sent; router.ts).
 */
const sendOfferDm =
  (settings: PostSettings, answerMs: number): Sender<'offer_dm'> =>
  async (ctx, message) => {
    const post = await postOf(ctx, message.handoffId);
    const { user, offerId } = message.payload;
    const view = await viewOf(ctx, message.handoffId);
    const stored = view.offers?.find((o) => o.id === offerId);
    // An offer that ended before the rep could be told (they went away, a manager assigned the lead) is no news to them.
    if (!stored || stored.status === 'withdrawn' || stored.status === 'timed_out')
      throw new Obsolete(`offer ${offerId} ended before its DM was sent`);
    const clock = { offeredAt: ctx.now, expiresAt: new Date(ctx.now.getTime() + answerMs) };
    const late = stored.status === 'open' && stored.expiresAt.getTime() < clock.expiresAt.getTime() - LATE_OFFER_MS;
    const offer = late ? { ...stored, ...clock } : stored;
    const render: RenderContext = { ...settings, now: ctx.now };
    const res = await ctx.slack.chat.postMessage({
      channel: user,
      text: offerDmText(view, offer, render),
      blocks: offerDmBlocks(view, offer, messageLink(post.channel, post.ts), render),
      unfurl_links: false,
    });
    await ctx.db.transaction(async (tx) => {
      if (late) {
        await lockHandoff(tx, message.handoffId);
        // Still open (nobody ended it meanwhile): its clock starts now, and the post shows the new deadline.
        if (await restartOfferClock(tx, offerId, clock)) {
          const after = (await updateHandoff(tx, message.handoffId, {}, ctx.now))!;
          await queueMessages(tx, [updateMql(after, 'change')], ctx.now);
        }
      }
      // Where the DM landed is kept in the outbox row: updates of the post update it too (findSentHandoffDms).
      await markMessageSent(tx, message.id, { channel: res.channel, ts: res.ts }, ctx.now);
    });
  };

const sendClaimedDm =
  (settings: PostSettings): Sender<'claimed_dm'> =>
  async (ctx, message) => {
    const view = await viewOf(ctx, message.handoffId);
    const post = await postOf(ctx, message.handoffId);
    const render: RenderContext = { ...settings, now: ctx.now };
    const { user } = message.payload;
    const res = await ctx.slack.chat.postMessage({
      channel: user,
      text: claimDmText(view, user, render),
      blocks: claimDmBlocks(view, user, messageLink(post.channel, post.ts), render),
      unfurl_links: false,
    });
    // Where the DM landed is kept in the outbox row: updates of the post update the DM too (findSentHandoffDms).
    await markMessageSent(ctx.db, message.id, { channel: res.channel, ts: res.ts }, ctx.now);
  };

const sendThreadReply: Sender<'thread_reply'> = async (ctx, message) => {
  const { channel, ts } = await postOf(ctx, message.handoffId);
  const res = await ctx.slack.chat.postMessage({ channel, thread_ts: ts, text: message.payload.text });
  await markMessageSent(ctx.db, message.id, { channel, ts: res.ts }, ctx.now);
};

/** The handoff's kinds: its post, the post's updates and thread, the claim DM and the offer DM. */
export function handoffSenders(
  config: Pick<Config, 'slack' | 'sla' | 'routing'>,
): Pick<SenderRegistry, 'post_mql' | 'update_mql' | 'claimed_dm' | 'offer_dm' | 'thread_reply'> {
  const settings: PostSettings = { postFields: config.slack.postFields, sla: slaPolicyOf(config.sla) };
  return {
    post_mql: sendPost(config.slack.salesChannel, settings),
    update_mql: sendUpdate(settings),
    claimed_dm: sendClaimedDm(settings),
    offer_dm: sendOfferDm(settings, config.routing.offerTimeoutMs),
    thread_reply: sendThreadReply,
  };
}
