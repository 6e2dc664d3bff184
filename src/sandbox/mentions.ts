import { SANDBOX_CHANNELS, SANDBOX_GROUPS, SANDBOX_USERS } from './people.js';

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Command text as Slack sends it for a command with `should_escape`: `&`, `<`, `>` escaped, and a person, channel
 * or user group picked from the autocomplete (`@ana`, `#emea-sales`, `@sales-reps`) sent as its mention
 * (`<@U0SBANA|ana>`, `<#C0SBEMEA|emea-sales>`, `<!subteam^S0SBREPS|@sales-reps>`). Names nobody has stay text.
 */
export function slackCommandText(typed: string): string {
  return escapeText(typed).replace(/(^|[\s,(])([@#])([\w.-]+)/g, (whole, before: string, sigil: string, name: string) => {
    const wanted = name.toLowerCase();
    if (sigil === '#') {
      const channel = Object.values(SANDBOX_CHANNELS).find((c) => c.name === wanted);
      return channel ? `${before}<#${channel.id}|${channel.name}>` : whole;
    }
    const user = SANDBOX_USERS.find((u) => u.name.toLowerCase() === wanted);
    if (user) return `${before}<@${user.id}|${user.name.toLowerCase()}>`;
    const group = SANDBOX_GROUPS.find((g) => g.handle === wanted);
    return group ? `${before}<!subteam^${group.id}|@${group.handle}>` : whole;
  });
}
