import type { Deps } from '../src/deps.js';
import { mentionPeople, nobodyHolds, ROLE_PLURAL, type Role } from '../src/slack/roles.js';
import { code, privately } from './reply.js';
import type { Reply, Subcommand } from './types.js';

/** What the refused person can do instead, where there is something. */
const INSTEAD: Partial<Record<Role, string>> = {
  marketer: `Everyone may read the criteria with ${code('/mql criteria')} and try changes without saving with ${code('/mql criteria test …')}.`,
};

/**
 * The one refusal for a subcommand that needs a role the caller lacks, or null when they may run it.
 * It names the people who hold the role (user groups expanded), so the caller knows whom to ask.
 */
export async function refusalFor(command: Subcommand, deps: Deps, userId: string): Promise<Reply | null> {
  if (!command.requires) return null;
  const roles: readonly Role[] = typeof command.requires === 'string' ? [command.requires] : command.requires;
  for (const role of roles) if (await deps.roles.has(userId, role)) return null;
  const name = `/mql ${command.words.join(' ')}`;
  const holders = [...new Set((await Promise.all(roles.map((role) => deps.roles.members(role)))).flat())];
  const who = holders.length ? `: ${mentionPeople(holders)}.` : `. ${nobodyHolds(roles)}`;
  const refusal = `:no_entry: Only ${roles.map((role) => ROLE_PLURAL[role]).join(' and ')} may use ${code(name)}${who} Nothing was done.`;
  return privately([refusal, roles.length === 1 ? INSTEAD[roles[0]!] : undefined].filter(Boolean).join(' '));
}
