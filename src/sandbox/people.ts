/** The sandbox workspace's cast: four people, two channels, the bot, and the bot's DM with each person. */

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
  { id: 'U0SBMIA', name: 'Mia', title: 'Marketing ops', role: 'marketer' },
  { id: 'U0SBLEE', name: 'Lee', title: 'Sales manager', role: 'manager' },
];

export const SANDBOX_CHANNELS = {
  sales: { id: 'C0SBSALES', name: 'sales' },
  digest: { id: 'C0SBDIGEST', name: 'sales-digest' },
} as const;

export const TEAM_ID = 'T0SANDBOX';

/** Slack answers a post to a user id in the bot's DM with them; here that DM's id is derived from the user's. */
export const dmIdOf = (userId: string) => `D${userId.slice(1)}`;

export const userIdOfDm = (dmId: string) => SANDBOX_USERS.find((u) => dmIdOf(u.id) === dmId)?.id;

export const isSandboxUser = (id: string) => SANDBOX_USERS.some((u) => u.id === id);

export const idsWithRole = (role: SandboxRole) => SANDBOX_USERS.filter((u) => u.role === role).map((u) => u.id);
