import { and, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { queryRows } from '../client.js';
import { outbox, type OutboxKind } from '../schema.js';

/** A message as stored; src/outbox/messages.ts builds them, typed by kind. */
export interface NewOutboxRow {
  kind: OutboxKind;
  handoffId: number | null;
  payload: Record<string, unknown>;
  /** Same key, same message: enqueued at most once. */
  dedupeKey: string;
}

export function enqueueMessages(db: DbOrTx, messages: NewOutboxRow[], now: Date) {
  if (messages.length === 0) return Promise.resolve([]);
  return db
    .insert(outbox)
    .values(messages.map((m) => ({ ...m, createdAt: now, nextAttemptAt: now })))
    .onConflictDoNothing()
    .returning({ id: outbox.id });
}

export interface LeasedMessage {
  id: number;
  kind: OutboxKind;
  handoffId: number | null;
  payload: Record<string, unknown>;
  attempts: number;
  createdAt: Date;
  /** An earlier attempt may have reached Slack (see `maybe_delivered`). */
  wasUncertain: boolean;
  /**
   * Where the message goes, for pacing: the DM's user, the composed message's channel, or the handoff's channel
   * (its post's, else its route's); null for a handoff's message means the sales channel.
   */
  target: string | null;
}

/**
 * What goes first when more is due than Slack takes at once: the post and its updates (people are deciding on
 * it) and offer DMs (a rep's time to answer runs from theirs), then claim DMs, then reminders (DMs, thread
 * replies), then digests and other composed channel messages. Within a rank, in the order queued.
 */
const PRIORITY = sql.raw(`case
    when o.kind in ('post_mql', 'update_mql') or (o.kind = 'dm' and o.payload->>'template' = 'offer') then 0
    when o.kind = 'dm' and o.payload->>'template' = 'claimed' then 1
    when o.kind = 'channel_message' then 3
    else 2 end`);

/**
 * Takes up to `limit` due messages, first by priority (above), then in the order queued (never held ones: they
 * wait for the setup to be fixed) for this worker: `SKIP LOCKED` lets replicas drain side by side, and the
 * lease (a later next_attempt_at) keeps others off them while they are sent outside any transaction.
 */
export async function leaseDueMessages(db: DbOrTx, now: Date, limit: number, leaseMs: number): Promise<LeasedMessage[]> {
  const rows = await queryRows<{
    id: string | number;
    kind: OutboxKind;
    handoff_id: string | number | null;
    payload: Record<string, unknown>;
    attempts: number;
    created_at: string | Date;
    was_uncertain: boolean;
    priority: number;
    target: string | null;
  }>(
    db,
    sql`with due as (
          select o.id, o.maybe_delivered as was_uncertain, ${PRIORITY} as priority,
            case o.kind when 'dm' then o.payload->>'user' when 'channel_message' then o.payload->>'channel'
              else coalesce(h.channel, h.post_channel) end as target
          from outbox o left join handoffs h on h.id = o.handoff_id
          where o.sent_at is null and o.failed_at is null and o.held_reason is null
            and o.next_attempt_at <= ${now.toISOString()}::timestamptz
          order by priority, o.id limit ${limit} for update of o skip locked)
        update outbox o set next_attempt_at = ${new Date(now.getTime() + leaseMs).toISOString()}::timestamptz,
          attempts = o.attempts + 1, maybe_delivered = true
        from due where o.id = due.id
        returning o.id, o.kind, o.handoff_id, o.payload, o.attempts, o.created_at, due.was_uncertain, due.priority, due.target`,
  );
  return rows
    .sort((a, b) => Number(a.priority) - Number(b.priority) || Number(a.id) - Number(b.id))
    .map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      handoffId: r.handoff_id === null ? null : Number(r.handoff_id),
      payload: r.payload,
      attempts: r.attempts,
      createdAt: new Date(r.created_at),
      wasUncertain: r.was_uncertain,
      target: r.target,
    }));
}

/** When the next message still waiting falls due after `now` (paced, retried, or queued since), if any does. */
export async function nextDueAt(db: DbOrTx, now: Date): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<string | Date | null>`min(${outbox.nextAttemptAt})` })
    .from(outbox)
    .where(and(isNull(outbox.sentAt), isNull(outbox.failedAt), isNull(outbox.heldReason), gt(outbox.nextAttemptAt, now)));
  return row?.at ? new Date(row.at) : null;
}

export async function markMessageSent(db: DbOrTx, id: number, result: Record<string, unknown>, now: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ sentAt: now, result, maybeDelivered: false, lastError: null })
    .where(and(eq(outbox.id, id), isNull(outbox.sentAt)));
}

/** Schedules another attempt; `uncertain` says whether Slack may have received this one. */
export async function scheduleRetry(db: DbOrTx, id: number, at: Date, error: string, uncertain: boolean): Promise<void> {
  await db.update(outbox).set({ nextAttemptAt: at, lastError: error, maybeDelivered: uncertain }).where(eq(outbox.id, id));
}

/** Gives a leased message back untried (e.g. Slack asked us to slow down before we got to it). */
export async function returnLease(db: DbOrTx, message: LeasedMessage, at: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ nextAttemptAt: at, attempts: sql`${outbox.attempts} - 1`, maybeDelivered: message.wasUncertain })
    .where(eq(outbox.id, message.id));
}

/** Why the handoff's post could not be sent, if Slack refused it for good. */
export async function findFailedPost(db: DbOrTx, handoffId: number): Promise<string | null> {
  const [row] = await db
    .select({ error: outbox.lastError })
    .from(outbox)
    .where(and(eq(outbox.handoffId, handoffId), eq(outbox.kind, 'post_mql'), isNotNull(outbox.failedAt)));
  return row ? (row.error ?? 'failed') : null;
}

/** Makes a handoff's messages that are waiting for `reason` (their last error) due now. */
export async function bringForwardWaiting(db: DbOrTx, handoffId: number, reason: string, now: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ nextAttemptAt: now })
    .where(
      and(
        eq(outbox.handoffId, handoffId),
        eq(outbox.lastError, reason),
        isNull(outbox.sentAt),
        isNull(outbox.failedAt),
        gt(outbox.nextAttemptAt, now),
      ),
    );
}

export async function markMessageFailed(db: DbOrTx, id: number, error: string, now: Date): Promise<void> {
  await db.update(outbox).set({ failedAt: now, lastError: error, maybeDelivered: false }).where(eq(outbox.id, id));
}

/** Messages still to send: neither sent nor failed for good (held ones included). */
const pending = and(isNull(outbox.sentAt), isNull(outbox.failedAt));

/**
 * Holds a message Slack refused because of the bot's setup (see `held_reason`): not leased again until
 * released. `wasUncertain` is kept: this attempt was refused, but an earlier one may have reached Slack.
 */
export async function holdMessage(db: DbOrTx, message: LeasedMessage, reason: string, now: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ heldReason: reason, heldSince: now, lastError: reason, maybeDelivered: message.wasUncertain })
    .where(eq(outbox.id, message.id));
}

/** Holds every message still to send that is not held yet (the token is unusable: each would be refused alike). */
export async function holdPendingMessages(db: DbOrTx, reason: string, now: Date): Promise<number> {
  const held = await db
    .update(outbox)
    .set({ heldReason: reason, heldSince: now, lastError: reason })
    .where(and(pending, isNull(outbox.heldReason)))
    .returning({ id: outbox.id });
  return held.length;
}

/** Makes every held message due now (its cause was fixed); returns how many. */
export async function releaseHeldMessages(db: DbOrTx, now: Date): Promise<number> {
  const released = await db
    .update(outbox)
    .set({ heldReason: null, heldSince: null, nextAttemptAt: now })
    .where(and(pending, isNotNull(outbox.heldReason)))
    .returning({ id: outbox.id });
  return released.length;
}

/** Held messages by reason, most first. */
export async function countHeldMessages(db: DbOrTx): Promise<Array<{ reason: string; count: number }>> {
  const rows = await db
    .select({ reason: outbox.heldReason, count: sql<number>`count(*)::int` })
    .from(outbox)
    .where(and(pending, isNotNull(outbox.heldReason)))
    .groupBy(outbox.heldReason)
    .orderBy(sql`count(*) desc`, outbox.heldReason);
  return rows.map((r) => ({ reason: r.reason ?? '', count: Number(r.count) }));
}

export async function totalHeldMessages(db: DbOrTx): Promise<number> {
  return (await countHeldMessages(db)).reduce((n, r) => n + r.count, 0);
}

/** The kinds of message as the outbox sends them: DMs rendered from a template are told apart from plain ones. */
export const QUEUED_KINDS = ['post_mql', 'update_mql', 'offer_dm', 'claimed_dm', 'dm', 'thread_reply', 'channel_message'] as const;
export type QueuedKind = (typeof QUEUED_KINDS)[number];

export interface QueueFigure {
  kind: QueuedKind;
  /** Messages waiting to be sent (held ones are counted apart, see countHeldMessages). */
  depth: number;
  /** How long the oldest of them has waited, in seconds; 0 when none waits. */
  oldestAgeSeconds: number;
}

/** The outbox's depth and the age of its oldest message, for every kind (zeros included). */
export async function queueFigures(db: DbOrTx, now: Date): Promise<QueueFigure[]> {
  const rows = await queryRows<{ kind: QueuedKind; depth: number; oldest: string | Date }>(
    db,
    sql`select case when kind = 'dm' and payload->>'template' = 'offer' then 'offer_dm'
                    when kind = 'dm' and payload->>'template' = 'claimed' then 'claimed_dm'
                    else kind end as kind,
               count(*)::int as depth, min(created_at) as oldest
        from outbox where sent_at is null and failed_at is null and held_reason is null
        group by 1`,
  );
  const byKind = new Map(rows.map((r) => [r.kind, r]));
  return QUEUED_KINDS.map((kind) => {
    const row = byKind.get(kind);
    const ageMs = row ? now.getTime() - new Date(row.oldest).getTime() : 0;
    return { kind, depth: Number(row?.depth ?? 0), oldestAgeSeconds: Math.max(0, ageMs) / 1000 };
  });
}
