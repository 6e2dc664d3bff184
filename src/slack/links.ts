/** A link to a message that works for any member of the workspace (Slack redirects it), with no API call. */
export function messageLink(channel: string, ts: string): string {
  return `https://slack.com/archives/${channel}/p${ts.replace('.', '')}`;
}
