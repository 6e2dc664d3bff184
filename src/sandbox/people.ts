/**
 * The sandbox workspace's cast: five people, three channels, one user group (the reps, for routing teams), the bot,
 * and the bot's DM with each person.
 */

export type SandboxRole = 'rep' | 'marketer' | 'manager';

export interface SandboxUser {
  id: string;
  name: string;
  title: string;
  role: SandboxRole;
}

export const SANDBOX_BOT = { id: 'U0SBBOT', name: 'MQL bot' } as const;

export const SANDBOX_USERS: readonly SandboxUser[] = [
  { id: 'U0SBANA', name: 'Ana', title: 'Account executive', role: 'rep' },
  { id: 'U0SBBEN', name: 'Ben', title: 'Account executive', role: 'rep' },
  // A third rep, so a round-robin team has someone to rotate to when one rep passes or is away.
  { id: 'U0SBCY', name: 'Cy', title: 'Account executive', role: 'rep' },
  { id: 'U0SBMIA', name: 'Mia', title: 'Marketing ops', role: 'marketer' },
  { id: 'U0SBLEE', name: 'Lee', title: 'Sales manager', role: 'manager' },
];

export const SANDBOX_CHANNELS = {
  sales: { id: 'C0SBSALES', name: 'sales' },
  // A second sales channel, for a route that sends a region's leads elsewhere (`routes add emea … to #emea-sales`).
  emeaSales: { id: 'C0SBEMEA', name: 'emea-sales' },
  digest: { id: 'C0SBDIGEST', name: 'sales-digest' },
} as const;

export const TEAM_ID = 'T0SANDBOX';

/** Slack answers a post to a user id in the bot's DM with them; here that DM's id is derived from the user's. */
export const dmIdOf = (userId: string) => `D${userId.slice(1)}`;

export const userIdOfDm = (dmId: string) => SANDBOX_USERS.find((u) => dmIdOf(u.id) === dmId)?.id;

export const isSandboxUser = (id: string) => SANDBOX_USERS.some((u) => u.id === id);

export const idsWithRole = (role: SandboxRole) => SANDBOX_USERS.filter((u) => u.role === role).map((u) => u.id);

/** User groups (`S…`), as usergroups.users.list reads them: "@sales-reps" holds every rep. */
export const SANDBOX_GROUPS: readonly { id: string; handle: string; users: readonly string[] }[] = [
  { id: 'S0SBREPS', handle: 'sales-reps', users: idsWithRole('rep') },
];
