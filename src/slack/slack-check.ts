import type { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import { classifyFailure } from '../outbox/failure.js';
import { slackAdvice, type AdvisedChannel } from './slack-advice.js';

/** A channel the bot must be able to post to, with the setting that names it. */
export interface CheckedChannel {
  id: string;
  setting: 'SLACK_SALES_CHANNEL' | 'SLACK_DIGEST_CHANNEL';
}

export interface SlackProblem {
  /** Slack's error code, or the one the answer amounts to (`not_in_channel` for `is_member: false`). */
  error: string;
  /** What to do, one line (see slack-advice.ts). */
  advice: string;
}

/** What Slack told us about ourselves: the bot's user name and the channels' names, for advice. */
export interface SlackNames {
  botName?: string;
  channels: AdvisedChannel[];
}

export type SlackCheck =
  | { outcome: 'ok'; names: SlackNames /** Things the check could not look at, which do not stop posting. */; warnings: string[] }
  | { outcome: 'misconfigured'; names: SlackNames; problems: SlackProblem[]; warnings: string[] }
  /** No answer (network, 5xx, rate limit): says nothing about the setup. */
  | { outcome: 'unreachable'; error: string };

/** The sales channel, and the digest channel when it is another one. */
export function configuredChannels(config: Config): CheckedChannel[] {
  const { salesChannel, digestChannel } = config.slack;
  const sales: CheckedChannel = { id: salesChannel, setting: 'SLACK_SALES_CHANNEL' };
  return digestChannel === salesChannel ? [sales] : [sales, { id: digestChannel, setting: 'SLACK_DIGEST_CHANNEL' }];
}

const neededScope = (error: unknown) => (error as { data?: { needed?: string } }).data?.needed;

/**
 * Asks Slack whether the token works (auth.test) and the bot can post to each channel (conversations.info:
 * it exists, is not archived, the bot is a member). A bad token stops the check there: nothing else can be seen.
 */
export async function checkSlack(slack: WebClient, channels: CheckedChannel[]): Promise<SlackCheck> {
  const names: SlackNames = { channels: channels.map((c) => ({ ...c })) };
  try {
    const auth = await slack.auth.test();
    names.botName = auth.user || undefined;
  } catch (error) {
    const failure = classifyFailure(error);
    if (failure.kind !== 'misconfigured') return { outcome: 'unreachable', error: failure.error };
    return { outcome: 'misconfigured', names, warnings: [], problems: [{ error: failure.error, advice: slackAdvice(failure.error) }] };
  }
  const problems: SlackProblem[] = [];
  const warnings: string[] = [];
  for (const channel of names.channels) {
    const problem = (error: string, needed?: string) =>
      problems.push({ error, advice: slackAdvice(error, { channel, botName: names.botName, needed }) });
    try {
      const info = (await slack.conversations.info({ channel: channel.id })).channel;
      channel.name = info?.name || undefined;
      if (info?.is_archived) problem('is_archived');
      // Slack leaves is_member out for conversations it does not say it for (DMs): only an explicit false counts.
      else if (info?.is_member === false) problem('not_in_channel');
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.kind !== 'misconfigured') return { outcome: 'unreachable', error: failure.error };
      if (failure.error === 'missing_scope') {
        // Reading channels is a scope of its own (channels:read, groups:read); posting does not need it.
        warnings.push(
          `Could not check channel ${channel.id} (${channel.setting}): the app lacks ${neededScope(error) ?? 'channels:read'}; add it under OAuth & Permissions → Scopes and reinstall the app to have the channel checked`,
        );
      } else problem(failure.error, neededScope(error));
    }
  }
  return problems.length ? { outcome: 'misconfigured', names, problems, warnings } : { outcome: 'ok', names, warnings };
}
