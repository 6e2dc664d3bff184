/** What to do about a Slack error that means the bot is set up wrong: one line an admin can act on. Pure text. */

/** A channel the bot posts to: the setting that names it, and its name once Slack told us (conversations.info). */
export interface AdvisedChannel {
  id: string;
  setting?: string;
  name?: string;
}

export interface AdviceContext {
  /** The channel the refused call went to, if it went to one. */
  channel?: AdvisedChannel;
  /** The bot's user name as auth.test gives it, for `/invite @…`. */
  botName?: string;
  /** The scopes Slack said were needed (missing_scope's `needed`). */
  needed?: string;
}

/** The bot user's display name in manifest.json: what /invite autocompletes when auth.test has not told us its name. */
const MANIFEST_BOT_NAME = 'MQL Handoff';

const COPY_TOKEN = 'copy the Bot User OAuth Token (api.slack.com/apps → the app → OAuth & Permissions) into SLACK_BOT_TOKEN and restart';

/** "#sales (C0123)" once Slack told us the name; else the id and the setting it came from, which is what to check. */
const channelLabel = (channel: AdvisedChannel | undefined) => {
  if (!channel) return 'the channel';
  if (channel.name) return `#${channel.name} (${channel.id})`;
  return channel.setting ? `channel ${channel.id} (${channel.setting})` : `channel ${channel.id}`;
};

export function slackAdvice(error: string, context: AdviceContext = {}): string {
  const { channel } = context;
  const invite = `/invite @${context.botName ?? MANIFEST_BOT_NAME}`;
  const target = channelLabel(channel);
  switch (error) {
    case 'invalid_auth':
    case 'not_authed':
      return `SLACK_BOT_TOKEN is wrong or revoked: ${COPY_TOKEN}`;
    case 'token_revoked':
      return `SLACK_BOT_TOKEN was revoked (the app was uninstalled or reinstalled): reinstall the app, ${COPY_TOKEN}`;
    case 'token_expired':
      return `SLACK_BOT_TOKEN has expired (token rotation is on): turn token rotation off for the app, ${COPY_TOKEN}`;
    case 'account_inactive':
      return `The bot's account is deactivated (the app was removed from the workspace): reinstall the app, ${COPY_TOKEN}`;
    case 'team_access_not_granted':
      return `SLACK_BOT_TOKEN has no access to this workspace: install the app there (OAuth & Permissions → Install to Workspace), ${COPY_TOKEN}`;
    case 'not_in_channel':
      return `The bot is not in ${target}: in Slack, ${invite} there`;
    case 'channel_not_found':
      return channel
        ? `The bot cannot see ${target}: check the id (the channel's details, at the bottom); for a private channel, ${invite} there first`
        : `The bot cannot see the channel it posted to: check the channel ids in the settings`;
    case 'is_archived':
      return `${channel ? capitalise(target) : 'The channel'} is archived: unarchive it in Slack${channel?.setting ? `, or set ${channel.setting} to another channel` : ''}`;
    case 'missing_scope':
      return `The app lacks a permission${context.needed ? ` (${context.needed})` : ''}: add it under OAuth & Permissions → Scopes, reinstall the app, and restart`;
    case 'no_permission':
    case 'restricted_action':
    case 'ekm_access_denied':
      return `The workspace does not let the bot post${channel ? ` in ${target}` : ''}: ask a Slack admin to allow it (${error})`;
    default:
      return `Slack refused with ${error}: see https://api.slack.com/methods for what it means`;
  }
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
