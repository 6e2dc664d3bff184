import type { Deps } from '../deps.js';

/** Slack's own helper bot: users.info does not call it a bot, yet it can own nothing. */
const SLACKBOT = 'USLACKBOT';

const slackError = (error: unknown) => (error as { data?: { error?: string } })?.data?.error;

/**
 * Why a user cannot be made a lead's owner or a member of a route's team, or null: bots (this one included) and deactivated accounts
 * cannot work a lead. When Slack cannot be asked, nobody is accepted: the manager is told to try again.
 */
export async function assigneeProblem(
  deps: Pick<Deps, 'slack' | 'logger'>,
  userId: string,
  /** Whom they are chosen as: a lead's owner (reassign), or a member of a route's team. */
  role: 'owner' | 'team' = 'owner',
): Promise<string | null> {
  const choose = role === 'team' ? 'choose people for the team' : 'choose a person to own the lead';
  const work = role === 'team' ? 'work leads' : 'work the lead';
  if (userId === SLACKBOT) return `Slackbot is a bot; ${choose}.`;
  try {
    const { user } = await deps.slack.users.info({ user: userId });
    if (!user) return `Slack does not know <@${userId}>; choose someone else.`;
    if (user.is_bot || user.is_app_user) return `<@${userId}> is a bot; ${choose}.`;
    if (user.deleted) return `<@${userId}> is deactivated; choose someone who can ${work}.`;
    return null;
  } catch (error) {
    if (slackError(error) === 'user_not_found') return `Slack does not know <@${userId}>; choose someone else.`;
    deps.logger.warn({ err: error, user: userId }, 'could not look up a reassign target');
    return `Could not check <@${userId}> with Slack just now; nothing changed. Please try again.`;
  }
}
