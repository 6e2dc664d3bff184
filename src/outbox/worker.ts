import { startWakeableLoop } from '../wakeable-loop.js';
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/client.js';
import {
  holdMessage,
  holdPendingMessages,
  leaseDueMessages,
  markMessageFailed,
  nextDueAt,
  returnLease,
  scheduleRetry,
  type LeasedMessage,
} from '../../db/queries/outbox.js';
import type { Logger } from '../logger.js';
import { CHANNEL_ERRORS, classifyFailure, retryDelayMs, TOKEN_ERRORS, type Failure } from './failure.js';
import { queuedMessage, type MessageKind, type Queued } from './messages.js';
import { createPacer, type PacedCall, type Pacer, type PacingPass } from './pacing.js';
import { reportingCalls } from './reporting-client.js';
import { NotReady, Obsolete, type SendContext, type SenderRegistry } from './senders.js';

export interface OutboxDeps {
  db: Db;
  slack: WebClient;
  logger: Logger;
  senders: SenderRegistry;
  /** Told when Slack refused a message for the bot's setup, to say what to fix (see slack-probe.ts). */
  reportHeld: (reason: string, message: LeasedMessage, held: number) => void;
  /** Where posts go when their route names no channel: a handoff's messages are paced by the channel they land in. */
  salesChannel: string;
  /** Told of each message that waits for Slack's rate limit (pacing), by the method it is waiting to call. */
  onPaced: (method: string) => void;
}

/**
 * Paces a drain to Slack's limits (see pacing.ts). The worker's loop always paces; a drain by hand without it
 * (tests, benchmarks) sends everything due at once, as if Slack had no limits.
 */
export interface Pacing {
  pacer: Pacer;
  /** Read before each message and each call, so a long pass counts calls when they are made. */
  clock: () => Date;
}

export interface DrainOptions {
  /** Once it says so, the drain finishes the message in flight and gives the rest of its batch back. */
  stopping?: () => boolean;
  pacing?: Pacing;
}

export interface DrainResult {
  sent: number;
  retried: number;
  failed: number;
  /** Refused for the bot's setup (token, channel, permission): kept until a check finds it fixed. */
  held: number;
  /** Slack asked us to slow down: nothing more should be sent before this time. */
  pausedUntil: Date | null;
  /** Left for later by pacing (given back untried, due when Slack's limit allows it: no attempt used up). */
  paced: number;
}

const BATCH = 20;
/** Longer than a Slack call can take (the client times out first), so a lease only lapses if we died. */
export const LEASE_MS = 60_000;

/**
 * Sends due outbox messages once, most urgent first (see leaseDueMessages). Each message is leased in its own short
 * transaction and sent outside it, so clicks never wait on Slack; its result is recorded in another. Safe on
 * several replicas. With `pacing`, a message whose Slack limit is used up is given back untried until the
 * limit allows it, while messages to other channels go on. Once `stopping()` says so, it finishes the message
 * in flight, gives the rest of its batch back (due now, for another replica or the next start) and returns,
 * so a shutdown is not held up by a long queue.
 */
export async function drainOutbox(deps: OutboxDeps, now: Date, options: DrainOptions = {}): Promise<DrainResult> {
  const { stopping = () => false, pacing } = options;
  const result: DrainResult = { sent: 0, retried: 0, failed: 0, held: 0, pausedUntil: null, paced: 0 };
  const paced = pacing ? { ...pacing, pass: pacing.pacer.pass(pacing.clock().getTime()) } : null;
  for (;;) {
    if (stopping()) return result;
    const batch = await leaseDueMessages(deps.db, now, BATCH, LEASE_MS);
    for (const [index, message] of batch.entries()) {
      if (stopping()) {
        for (const untried of batch.slice(index)) await returnLease(deps.db, untried, now);
        return result;
      }
      if (paced && (await leftForLater(deps, paced, message, result))) continue;
      const outcome = await sendOne(deps, message, now, pacing);
      result[outcome.counted]++;
      if (outcome.pausedUntil) {
        result.pausedUntil = outcome.pausedUntil;
        for (const untried of batch.slice(index + 1)) await returnLease(deps.db, untried, outcome.pausedUntil);
        return result;
      }
      if (outcome.heldAll) {
        // The token is unusable: the rest of the batch is held with everything else, untried.
        for (const untried of batch.slice(index + 1)) await returnLease(deps.db, untried, now);
        return result;
      }
    }
    if (batch.length < BATCH) return result;
  }
}

/** The call a message is sent with, which pacing checks before sending (others it makes are counted as made). */
function plannedCall(message: LeasedMessage, salesChannel: string): PacedCall {
  if (message.kind === 'update_mql') return { method: 'chat.update' };
  return { method: 'chat.postMessage', channel: message.target ?? salesChannel };
}

/** Gives the message back untried, due when its limit allows it, if that is not now. */
async function leftForLater(deps: OutboxDeps, paced: Pacing & { pass: PacingPass }, message: LeasedMessage, result: DrainResult) {
  const call = plannedCall(message, deps.salesChannel);
  const notBefore = paced.pass.wait([call], paced.clock().getTime());
  if (notBefore === null) return false;
  const at = new Date(notBefore);
  await returnLease(deps.db, message, at);
  deps.onPaced(call.method);
  result.paced++;
  return true;
}

async function sendOne(
  deps: OutboxDeps,
  message: LeasedMessage,
  now: Date,
  pacing: Pacing | undefined,
): Promise<{ counted: 'sent' | 'retried' | 'failed' | 'held'; pausedUntil?: Date; heldAll?: boolean }> {
  const log = deps.logger.child({ outboxId: message.id, kind: message.kind, handoffId: message.handoffId, attempt: message.attempts });
  const slack = pacing ? reportingCalls(deps.slack, (call) => pacing.pacer.spend([call], pacing.clock().getTime())) : deps.slack;
  try {
    await send(deps.senders, { ...deps, slack, now }, queuedMessage(message));
    return { counted: 'sent' };
  } catch (error) {
    if (error instanceof NotReady) {
      await scheduleRetry(deps.db, message.id, new Date(now.getTime() + error.delayMs), error.message, false);
      return { counted: 'retried' };
    }
    if (error instanceof Obsolete) {
      await markMessageFailed(deps.db, message.id, error.message, now);
      log.warn({ reason: error.message }, 'dropped an outbox message that no longer applies');
      return { counted: 'failed' };
    }
    const failure = aboutTheMessage(classifyFailure(error), message);
    if (failure.kind === 'misconfigured') {
      await holdMessage(deps.db, message, failure.error, now);
      // A bad token fails every call alike: hold the whole queue now rather than one refused call at a time.
      const heldAll = TOKEN_ERRORS.has(failure.error);
      const others = heldAll ? await holdPendingMessages(deps.db, failure.error, now) : 0;
      deps.reportHeld(failure.error, message, 1 + others);
      return { counted: 'held', heldAll };
    }
    if (failure.kind === 'permanent') {
      await markMessageFailed(deps.db, message.id, failure.error, now);
      log.error({ slackError: failure.error }, 'Slack refused a message permanently; it will not be retried');
      return { counted: 'failed' };
    }
    if (failure.kind === 'rate_limited') {
      const at = new Date(now.getTime() + failure.retryAfterMs);
      await scheduleRetry(deps.db, message.id, at, failure.error, false);
      log.warn({ retryAfterMs: failure.retryAfterMs }, 'Slack rate limit: pausing the outbox');
      return { counted: 'retried', pausedUntil: at };
    }
    const at = new Date(now.getTime() + retryDelayMs(message.attempts));
    await scheduleRetry(deps.db, message.id, at, failure.error, failure.uncertain);
    // An outage fails every message: log the first attempts and then every tenth, not each one.
    if (message.attempts <= 2 || message.attempts % 10 === 0) {
      log.warn({ err: error, retryAt: at.toISOString() }, `sending to Slack failed (${failure.error}); will retry`);
    }
    return { counted: 'retried' };
  }
}

/** DMs go to a person: a channel error there is about the recipient (gone, a bot), not the bot's setup. */
const TO_A_PERSON: ReadonlySet<MessageKind> = new Set(['dm', 'claimed_dm', 'offer_dm']);

function aboutTheMessage(failure: Failure, message: LeasedMessage): Failure {
  if (failure.kind === 'misconfigured' && CHANNEL_ERRORS.has(failure.error) && TO_A_PERSON.has(message.kind)) {
    return { kind: 'permanent', error: failure.error };
  }
  return failure;
}

function send<K extends MessageKind>(senders: SenderRegistry, ctx: SendContext, message: Queued<K>): Promise<void> {
  return senders[message.kind](ctx, message);
}

export interface OutboxLoop {
  /** Drain now rather than at the next tick (something was just queued). */
  wake(): void;
  /** Stops taking work: waits only for the message in flight, and gives the rest of the leased batch back. */
  stop(): Promise<void>;
}

/**
 * Drains continuously in the background: every `intervalMs`, whenever woken, and as soon as the next waiting
 * message falls due (a paced one's turn comes once a second per channel: a tick after each pass would fall behind).
 */
export function startOutboxLoop(deps: OutboxDeps, now: () => Date, { intervalMs = 1000, pacer = createPacer() } = {}): OutboxLoop {
  let stopped = false;
  let pausedUntil = 0;
  let dueWake: NodeJS.Timeout | undefined;
  const loop = startWakeableLoop(async () => {
    if (now().getTime() < pausedUntil) return;
    const result = await drainOutbox(deps, now(), { stopping: () => stopped, pacing: { pacer, clock: now } }).catch((error: unknown) => {
      deps.logger.error({ err: error }, 'outbox pass failed');
      return null;
    });
    pausedUntil = result?.pausedUntil?.getTime() ?? 0;
    clearTimeout(dueWake);
    // Without an answer the tick is soon enough (the pass has logged why the database failed, if it did).
    const due = await nextDueAt(deps.db, now()).catch(() => null);
    const wait = due ? due.getTime() - now().getTime() : intervalMs;
    if (!stopped && wait < intervalMs) dueWake = setTimeout(() => loop.wake(), Math.max(0, wait));
  }, intervalMs);
  return {
    wake: () => loop.wake(),
    async stop() {
      stopped = true;
      clearTimeout(dueWake);
      await loop.stop();
    },
  };
}
