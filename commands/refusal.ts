import type { Deps } from '../src/deps.js';
import type { Role } from '../src/slack/roles.js';
import { code, privately } from './reply.js';
import type { Reply, Subcommand } from './types.js';

const PLURAL: Record<Role, string> = { marketer: 'marketers', manager: 'managers' };
/** What the refused person can do instead, where there is something. */
const INSTEAD: Partial<Record<Role, string>> = {
  marketer: `Everyone may read the criteria with ${code('/mql criteria')} and try changes without saving with ${code('/mql criteria test …')}.`,
};

/** The one refusal for a subcommand that needs a role the caller lacks, or null when they may run it. */
export async function refusalFor(command: Subcommand, deps: Deps, userId: string): Promise<Reply | null> {
  const role = command.requires;
  if (!role || (await deps.roles.has(userId, role))) return null;
  const name = `/mql ${command.words.join(' ')}`;
  const refusal = `:no_entry: Only ${PLURAL[role]} may use ${code(name)}: ${deps.roles.describe(role)}. Nothing was done.`;
  return privately([refusal, INSTEAD[role]].filter(Boolean).join(' '));
}
