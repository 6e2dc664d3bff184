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
