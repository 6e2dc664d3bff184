import { slackSignature } from '../src/slack/signature.js';

/** A request to `/slack/events` signed the way Slack signs it (`v0=` HMAC-SHA256 of `v0:<timestamp>:<body>`). */
export function sendSignedToSlack(
  baseUrl: string,
  body: string,
  contentType: string,
  options: { secret: string; timestamp?: number },
): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = slackSignature(options.secret, timestamp, body);
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
    body,
  });
}

let eventSequence = 0;

/** An Events API callback, JSON as Slack sends it; every one gets its own event id (the app drops replays). */
export function eventCallbackBody(event: Record<string, unknown>): string {
  const id = ++eventSequence;
  return JSON.stringify({
    token: 'legacy',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: `Ev${id}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { event_ts: `${Date.now() / 1000}.${id}`, ...event },
  });
}

/** `user` opening the bot's Home tab. */
export const appHomeOpenedBody = (user: string, tab: 'home' | 'messages' = 'home') =>
  eventCallbackBody({ type: 'app_home_opened', user, channel: `D${user}`, tab });

/**
 * A button clicked in `user`'s Home tab, form-encoded as Slack sends it: container type "view", the Home
 * view itself, and no response_url (Slack gives none outside messages).
 */
export function homeClickBody(
  user: string,
  actionId: string,
  value: string,
  view: Record<string, unknown> = { type: 'home', blocks: [] },
): string {
  const id = ++eventSequence;
  const payload = {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), team_id: 'T1' },
    team: { id: 'T1', domain: 'example' },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: `home-trigger-${user}-${id}`,
    container: { type: 'view', view_id: `VH${user}` },
    view: { id: `VH${user}`, team_id: 'T1', callback_id: '', hash: `h${id}`, ...view },
    actions: [{ type: 'button', action_id: actionId, block_id: `home:${value}`, value, action_ts: `${Date.now() / 1000}` }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
