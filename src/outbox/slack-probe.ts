import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/client.js';
import { releaseHeldMessages, totalHeldMessages, type LeasedMessage } from '../../db/queries/outbox.js';
import type { Logger } from '../logger.js';
import { slackAdvice, type AdvisedChannel } from '../slack/slack-advice.js';
import { checkSlack, type CheckedChannel, type SlackCheck, type SlackNames } from '../slack/slack-check.js';
import { CHANNEL_ERRORS } from './failure.js';

export interface SlackProbeDeps {
  db: Db;
  slack: WebClient;
  logger: Logger;
  /** The channels the bot posts to, sales first. */
  channels: CheckedChannel[];
  now: () => Date;
  /** Sends released messages now rather than at the outbox's next tick. */
  wakeOutbox: () => void;
}

export type HeldCounts = Array<{ reason: string; count: number }>;

/** Slack's part of /healthz: `slack` is "ok", "unchecked" (no answer yet) or the error code; `problem` says what to fix. */
export interface SlackHealth {
  slack: string;
  problem?: string;
}

export interface SlackProbe {
  /** Asks Slack about the token and channels; when all is well, releases held messages. Never throws. */
  check(): Promise<SlackCheck>;
  /** Checks now (start-up), then each minute: with Slack while anything is held or the last check did not pass. */
  start(): void;
  /** Stops the minute's probe at once: a check still waiting on Slack (up to its timeout) then changes nothing. */
  stop(): void;
  /** Says what to fix about a message Slack just refused for the bot's setup (at most once an hour per reason). */
  reportHeld(reason: string, message: LeasedMessage, held: number): void;
  /** /healthz's Slack part, from the held messages and the last check. */
  health(held: HeldCounts): SlackHealth;
}

const PROBE_EVERY_MS = 60_000;
const REPORT_AGAIN_AFTER_MS = 60 * 60_000;

/** Whether the minute's probe asks Slack: only while something waits on it, so a healthy bot costs one count query. */
export function probeNeedsSlack(heldMessages: number, last: SlackCheck | null): boolean {
  return heldMessages > 0 || last?.outcome !== 'ok';
}

const messagesHeld = (n: number) => (n === 1 ? '1 Slack message held' : `${n} Slack messages held`);

export function createSlackProbe(deps: SlackProbeDeps): SlackProbe {
  /** The last check Slack answered; an unanswered one changes nothing. */
  let lastAnswered: SlackCheck | null = null;
  /** What was last logged about the setup, so a standing problem is logged once, not each minute. */
  let lastLogged = '';
  const reported = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | null = null;
  let stopped = false;

  const names = (): SlackNames =>
    lastAnswered && lastAnswered.outcome !== 'unreachable' ? lastAnswered.names : { channels: deps.channels };

  /** Advice for a held reason: channel errors are about the channel the message went to (posts: sales). */
  const adviceFor = (reason: string, channelId = deps.channels[0]?.id) => {
    const known = names();
    const channel: AdvisedChannel | undefined = CHANNEL_ERRORS.has(reason)
      ? (known.channels.find((c) => c.id === channelId) ?? (channelId ? { id: channelId } : undefined))
      : undefined;
    return slackAdvice(reason, { channel, botName: known.botName });
  };

  const logOnChange = (key: string, log: () => void) => {
    if (key === lastLogged) return;
    lastLogged = key;
    log();
  };

  const check = async (): Promise<SlackCheck> => {
    let result: SlackCheck;
    try {
      result = await checkSlack(deps.slack, deps.channels);
    } catch (error) {
      result = { outcome: 'unreachable', error: error instanceof Error ? error.message : String(error) };
    }
    // Stopped while Slack was asked: the database may be closing; the next start checks again.
    if (stopped) return result;
    if (result.outcome === 'unreachable') {
      logOnChange(`unreachable`, () =>
        deps.logger.warn(
          { slackError: result.error },
          `Could not reach Slack to check the token and channels (${result.error}); checking again in a minute`,
        ),
      );
      return result;
    }
    const wasBroken = lastAnswered?.outcome === 'misconfigured';
    lastAnswered = result;
    if (result.outcome === 'misconfigured') {
      logOnChange(result.problems.map((p) => p.advice).join('\n'), () => {
        for (const problem of result.problems) deps.logger.error({ slackError: problem.error }, problem.advice);
      });
    } else {
      logOnChange('ok', () => {
        for (const warning of result.warnings) deps.logger.warn(warning);
        if (wasBroken) deps.logger.info('Slack check passed: the token and channels are fine now');
      });
      // A fixed setup may break again: say so again then. (A cause the check cannot see keeps its hourly note.)
      if (wasBroken) reported.clear();
      const released = await releaseHeldMessages(deps.db, deps.now()).catch((error: unknown) => {
        deps.logger.error({ err: error }, 'could not release held Slack messages; trying again in a minute');
        return 0;
      });
      if (released > 0) {
        deps.logger.info(
          { released },
          `Slack check passed: sending ${released === 1 ? 'the held Slack message' : `the ${released} held Slack messages`}`,
        );
        deps.wakeOutbox();
      }
    }
    return result;
  };

  const tick = async () => {
    // Without the database nothing can be released either; the next minute tries again.
    const held = await totalHeldMessages(deps.db).catch(() => 0);
    if (!stopped && probeNeedsSlack(held, lastAnswered)) await check();
  };

  const schedule = (work: () => Promise<unknown>) => {
    running = work().finally(() => {
      running = null;
      if (!stopped) timer = setTimeout(() => schedule(tick), PROBE_EVERY_MS);
    });
  };

  return {
    check,
    start() {
      if (running || timer || stopped) return;
      schedule(check);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
    reportHeld(reason, message, held) {
      const at = deps.now().getTime();
      const last = reported.get(reason);
      if (last !== undefined && at - last < REPORT_AGAIN_AFTER_MS) return;
      reported.set(reason, at);
      const channel = message.kind === 'channel_message' ? String(message.payload.channel ?? '') : undefined;
      deps.logger.error(
        { slackError: reason, outboxId: message.id, kind: message.kind, held },
        `Slack refused: ${reason}. ${adviceFor(reason, channel || undefined)}. Held messages are sent once that is fixed.`,
      );
    },
    health(held) {
      const total = held.reduce((n, r) => n + r.count, 0);
      const problems = lastAnswered?.outcome === 'misconfigured' ? lastAnswered.problems : [];
      const [top] = held;
      if (top && total > 0) {
        // The check's own advice names the channel it found wrong; a held reason alone can only guess it.
        const advice = problems.find((p) => p.error === top.reason)?.advice ?? adviceFor(top.reason);
        return { slack: top.reason, problem: `${messagesHeld(total)}. ${advice}` };
      }
      if (problems[0]) return { slack: problems[0].error, problem: problems.map((p) => p.advice).join('; ') };
      return { slack: lastAnswered ? 'ok' : 'unchecked' };
    },
  };
}
