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
  const role = command.requires;
  if (!role || (await deps.roles.has(userId, role))) return null;
  const name = `/mql ${command.words.join(' ')}`;
  const holders = await deps.roles.members(role);
  const who = holders.length ? `: ${mentionPeople(holders)}.` : `. ${nobodyHolds(role)}`;
  const refusal = `:no_entry: Only ${ROLE_PLURAL[role]} may use ${code(name)}${who} Nothing was done.`;
  return privately([refusal, INSTEAD[role]].filter(Boolean).join(' '));
}
