import type { WebClient } from '@slack/web-api';
import type { Principals } from '../config.js';
import type { Logger } from '../logger.js';

export type Role = 'marketer' | 'manager';

export const ROLE_PLURAL: Record<Role, string> = { marketer: 'marketers', manager: 'managers' };

/** People named in a refusal, by mention: "<@U1>, <@U2> and 3 more" (a group of hundreds stays one line). */
export function mentionPeople(users: readonly string[], max = 10): string {
  const shown = users.slice(0, max).map((u) => `<@${u}>`);
  const more = users.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** Said when a role (or each of several) has nobody: people who can fix it, never the setting's name. */
export const nobodyHolds = (role: Role | readonly Role[]) =>
  `No ${(typeof role === 'string' ? [role] : role).map((r) => ROLE_PLURAL[r]).join(' or ')} are set up yet; ask whoever runs the bot.`;

/** Group membership is looked up in Slack and kept briefly, so a click doesn't wait on Slack every time. */
const GROUP_CACHE_MS = 5 * 60_000;

/** Members of Slack user groups (`S…`), read with usergroups.users.list and cached for 5 minutes. */
export interface GroupReader {
  /** Fails closed: when Slack cannot be asked, the last list read, else nobody. */
  members(groupId: string): Promise<Set<string>>;
  /** The members, or null when Slack cannot say now and no list was read before (nobody is not the same as unknown). */
  tryMembers(groupId: string): Promise<Set<string> | null>;
}

export function createGroupReader(client: WebClient, logger: Logger, now: () => Date = () => new Date()): GroupReader {
  const cache = new Map<string, { users: Set<string>; until: number }>();
  async function tryMembers(groupId: string): Promise<Set<string> | null> {
    const cached = cache.get(groupId);
    if (cached && cached.until > now().getTime()) return cached.users;
    try {
      const res = await client.usergroups.users.list({ usergroup: groupId });
      const users = new Set(res.users ?? []);
      cache.set(groupId, { users, until: now().getTime() + GROUP_CACHE_MS });
      return users;
    } catch (error) {
      logger.warn({ err: error, groupId }, 'could not read user group members');
      // A group Slack says does not exist has nobody in it; otherwise a stale list is better than none.
      if ((error as { data?: { error?: string } })?.data?.error === 'no_such_subteam') return new Set();
      return cached?.users ?? null;
    }
  }
  return {
    tryMembers,
    // Failing closed: an unreachable Slack must not grant rights.
    members: async (groupId) => (await tryMembers(groupId)) ?? new Set(),
  };
}

export interface RoleChecker {
  has(userId: string, role: Role): Promise<boolean>;
  /** Who holds a role, for refusals ("only marketers <@U1>, <!subteam^S1> may…"). */
  describe(role: Role): string;
  /** Every user holding a role, groups expanded (e.g. to DM managers). */
  members(role: Role): Promise<string[]>;
}

export function createRoleChecker(groups: GroupReader, roles: Record<'marketers' | 'managers', Principals>): RoleChecker {
  const groupMembers = (groupId: string) => groups.members(groupId);
  const principalsOf = (role: Role) => (role === 'marketer' ? roles.marketers : roles.managers);

  return {
    async has(userId, role) {
      const { users, groups } = principalsOf(role);
      if (users.includes(userId)) return true;
      for (const group of groups) if ((await groupMembers(group)).has(userId)) return true;
      return false;
    },
    async members(role) {
      const { users, groups } = principalsOf(role);
      const all = new Set(users);
      for (const group of groups) for (const user of await groupMembers(group)) all.add(user);
      return [...all];
    },
    describe(role) {
      const { users, groups } = principalsOf(role);
      const names = [...users.map((u) => `<@${u}>`), ...groups.map((g) => `<!subteam^${g}>`)];
      const env = role === 'marketer' ? 'MQL_MARKETERS' : 'MQL_MANAGERS';
      return names.length ? names.join(', ') : `nobody yet (set ${env})`;
    },
  };
}
