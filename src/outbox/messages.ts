import type { DbOrTx } from '../../db/client.js';
import { enqueueMessages, type LeasedMessage, type NewOutboxRow } from '../../db/queries/outbox.js';
import type { OutboxKind } from '../../db/schema.js';
import type { KnownBlock } from '@slack/types';

/** Each kind of message: the handoff it belongs to (if any) and what its row's jsonb payload holds. */
interface Kinds {
  /** The MQL post in the sales channel, rendered when sent. */
  post_mql: { handoffId: number; payload: Record<string, never> };
  /** The post re-rendered from the handoff's state when sent. */
  update_mql: { handoffId: number; payload: Record<string, never> };
  /** The DM to whoever now owns a lead, rendered when sent (it links to the post). */
  claimed_dm: { handoffId: number; payload: { user: string; template: 'claimed' } };
  /** The DM offering a lead to one rep (Accept / Pass), rendered from the offer's state when sent and re-rendered with the post. */
  offer_dm: { handoffId: number; payload: { user: string; template: 'offer'; offerId: number } };
  dm: { handoffId: number | null; payload: { user: string; text: string } };
  /** A reply in the thread of a handoff's post. */
  thread_reply: { handoffId: number; payload: { text: string } };
  /** A message composed when it was queued (the digest), sent as it is. */
  channel_message: { handoffId: null; payload: { channel: string; text: string; blocks?: KnownBlock[] } };
}

export type MessageKind = keyof Kinds;
type MessageOf = { [K in MessageKind]: { kind: K; dedupeKey: string } & Kinds[K] };
export type OutboxMessage = MessageOf[MessageKind];
/** A message as the worker leased it, its payload typed by its kind. */
type QueuedOf = { [K in MessageKind]: Omit<LeasedMessage, 'kind' | 'handoffId' | 'payload'> & { kind: K } & Kinds[K] };
export type Queued<K extends MessageKind = MessageKind> = QueuedOf[K];

// Dedupe keys: the same key is the same message, queued at most once however many replicas queue it.

export const postMql = (handoffId: number): OutboxMessage => ({
  kind: 'post_mql',
  handoffId,
  payload: {},
  dedupeKey: `post_mql:${handoffId}`,
});

/** One update per version; a stale click's refresh has its own key, so many stale clicks queue one update. */
export const updateMql = (handoff: { id: number; version: number }, purpose: 'change' | 'refresh'): OutboxMessage => ({
  kind: 'update_mql',
  handoffId: handoff.id,
  payload: {},
  dedupeKey: `update_mql:${purpose}:${handoff.id}:v${handoff.version}`,
});

export const claimedDm = (handoff: { id: number; version: number }, user: string): OutboxMessage => ({
  kind: 'claimed_dm',
  handoffId: handoff.id,
  payload: { user, template: 'claimed' },
  dedupeKey: `dm_claimed:${handoff.id}:v${handoff.version}`,
});

/** The offer DM's outbox key is this and the offer id (the router reads it: an offer runs out only once its DM is out). */
export const OFFER_DM_KEY = 'dm_offer:';

/** One per offer: a rep offered the same lead again (a later round) gets a new DM. */
export const offerDm = (handoffId: number, offer: { id: number; userId: string }): OutboxMessage => ({
  kind: 'offer_dm',
  handoffId,
  payload: { user: offer.userId, template: 'offer', offerId: offer.id },
  dedupeKey: `${OFFER_DM_KEY}${offer.id}`,
});

/** `occasion` names what the DM is for (e.g. an SLA action's key); each recipient gets it once. */
export const dm = (handoffId: number | null, user: string, text: string, occasion: string): OutboxMessage => ({
  kind: 'dm',
  handoffId,
  payload: { user, text },
  dedupeKey: `${occasion}:${user}`,
});

export const threadReply = (handoffId: number, text: string, occasion: string): OutboxMessage => ({
  kind: 'thread_reply',
  handoffId,
  payload: { text },
  dedupeKey: occasion,
});

export const channelMessage = (message: Kinds['channel_message']['payload'], occasion: string): OutboxMessage => ({
  kind: 'channel_message',
  handoffId: null,
  payload: message,
  dedupeKey: occasion,
});

/**
 * The claimed DM is stored as a `dm` with `template: 'claimed'`, as it always was: rows queued before an
 * upgrade, and replicas not yet upgraded during a rolling deploy, keep understanding each other. The offer
 * DM is stored the same way (`template: 'offer'`), so the column keeps its values.
 */
const storedKind = (kind: MessageKind): OutboxKind => (kind === 'claimed_dm' || kind === 'offer_dm' ? 'dm' : kind);

export const storedRow = (message: OutboxMessage): NewOutboxRow => ({ ...message, kind: storedKind(message.kind) });

export function queueMessages(db: DbOrTx, messages: OutboxMessage[], now: Date) {
  return enqueueMessages(db, messages.map(storedRow), now);
}

const TEMPLATE_KINDS = new Map<string, MessageKind>([
  ['claimed', 'claimed_dm'],
  ['offer', 'offer_dm'],
]);

/** Only `queueMessages` writes outbox rows, so a row's payload has the shape its kind says. */
export function queuedMessage(row: LeasedMessage): Queued {
  const kind = row.kind === 'dm' ? (TEMPLATE_KINDS.get(String(row.payload.template)) ?? 'dm') : row.kind;
  return { ...row, kind } as Queued;
}
