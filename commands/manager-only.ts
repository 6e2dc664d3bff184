import type { Deps } from '../src/deps.js';
import { code, privately } from './reply.js';
import type { Reply } from './types.js';

/** The refusal for a manager-only subcommand, or null when the caller is a manager. */
export async function refuseUnlessManager(deps: Deps, userId: string, command: string): Promise<Reply | null> {
  if (await deps.roles.has(userId, 'manager')) return null;
  return privately(`:no_entry: Only managers may use ${code(command)}: ${deps.roles.describe('manager')}. Nothing was done.`);
}
