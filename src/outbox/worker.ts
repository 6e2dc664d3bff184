import { startWakeableLoop } from '../wakeable-loop.js';
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/client.js';
import {
  holdMessage,
  holdPendingMessages,
  leaseDueMessages,
  markMessageFailed,
  returnLease,
  scheduleRetry,
  type LeasedMessage,
} from '../../db/queries/outbox.js';
import type { Logger } from '../logger.js';
import { CHANNEL_ERRORS, classifyFailure, retryDelayMs, TOKEN_ERRORS, type Failure } from './failure.js';
import { queuedMessage, type MessageKind, type Queued } from './messages.js';
import { NotReady, Obsolete, type SendContext, type SenderRegistry } from './senders.js';

export interface OutboxDeps {
  db: Db;
  slack: WebClient;
  logger: Logger;
  senders: SenderRegistry;
  /** Told when Slack refused a message for the bot's setup, to say what to fix (see slack-probe.ts). */
  reportHeld: (reason: string, message: LeasedMessage, held: number) => void;
}

export interface DrainResult {
  sent: number;
  retried: number;
  failed: number;
  /** Refused for the bot's setup (token, channel, permission): kept until a check finds it fixed. */
  held: number;
  /** Slack asked us to slow down: nothing more should be sent before this time. */
  pausedUntil: Date | null;
}

const BATCH = 20;
/** Longer than a Slack call can take (the client times out first), so a lease only lapses if we died. */
export const LEASE_MS = 60_000;

/**
 * Sends due outbox messages once, in order. Each message is leased in its own short transaction and sent
 * outside it, so clicks never wait on Slack; its result is recorded in another. Safe on several replicas.
 * Once `stopping()` says so, it finishes the message in flight, gives the rest of its batch back (due now,
 * for another replica or the next start) and returns, so a shutdown is not held up by a long queue.
 */
export async function drainOutbox(deps: OutboxDeps, now: Date, stopping: () => boolean = () => false): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, retried: 0, failed: 0, held: 0, pausedUntil: null };
  for (;;) {
    if (stopping()) return result;
    const batch = await leaseDueMessages(deps.db, now, BATCH, LEASE_MS);
    for (const [index, message] of batch.entries()) {
      if (stopping()) {
        for (const untried of batch.slice(index)) await returnLease(deps.db, untried, now);
        return result;
      }
      const outcome = await sendOne(deps, message, now);
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

async function sendOne(
  deps: OutboxDeps,
  message: LeasedMessage,
  now: Date,
): Promise<{ counted: 'sent' | 'retried' | 'failed' | 'held'; pausedUntil?: Date; heldAll?: boolean }> {
  const log = deps.logger.child({ outboxId: message.id, kind: message.kind, handoffId: message.handoffId, attempt: message.attempts });
  try {
    await send(deps.senders, { ...deps, now }, queuedMessage(message));
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

/** Drains continuously in the background, every `intervalMs` and whenever woken. */
export function startOutboxLoop(deps: OutboxDeps, now: () => Date, intervalMs = 1000): OutboxLoop {
  let stopped = false;
  let pausedUntil = 0;
  const loop = startWakeableLoop(async () => {
    if (now().getTime() < pausedUntil) return;
    const result = await drainOutbox(deps, now(), () => stopped).catch((error: unknown) => {
      deps.logger.error({ err: error }, 'outbox pass failed');
      return null;
    });
    pausedUntil = result?.pausedUntil?.getTime() ?? 0;
  }, intervalMs);
  return {
    wake: () => loop.wake(),
    async stop() {
      stopped = true;
      await loop.stop();
    },
  };
}
