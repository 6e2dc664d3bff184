import type { WebClient } from '@slack/web-api';
import { describe, expect, it, vi } from 'vitest';
import type { Principals } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import { createGroupReader, createRoleChecker, mentionPeople, nobodyHolds } from '../../src/slack/roles.js';

const none: Principals = { users: [], groups: [] };

function setup(roles: { marketers?: Principals; managers?: Principals }, members: Record<string, string[]> = {}) {
  let time = Date.parse('2026-03-02T10:00:00Z');
  let failing = false;
  const calls: string[] = [];
  const client = {
    usergroups: {
      users: {
        list: vi.fn(async ({ usergroup }: { usergroup: string }) => {
          calls.push(usergroup);
          if (failing) throw new Error('slack is down');
          return { ok: true, users: members[usergroup] ?? [] };
        }),
      },
    },
  };
  const warn = vi.fn();
  const checker = createRoleChecker(
    createGroupReader(client as unknown as WebClient, { warn } as unknown as Logger, () => new Date(time)),
    { marketers: roles.marketers ?? none, managers: roles.managers ?? none },
  );
  return {
    checker,
    calls,
    warn,
    members,
    advance: (ms: number) => (time += ms),
    fail: (yes: boolean) => (failing = yes),
  };
}

const MIN = 60_000;

describe('createRoleChecker: user ids', () => {
  it('grants a role to a listed user without asking Slack', async () => {
    const { checker, calls } = setup({ managers: { users: ['U_BOSS', 'W_ENT'], groups: [] } });
    expect(await checker.has('U_BOSS', 'manager')).toBe(true);
    expect(await checker.has('W_ENT', 'manager')).toBe(true);
    expect(calls).toEqual([]);
  });

  it('refuses users who are not listed, and keeps roles apart', async () => {
    const { checker } = setup({ marketers: { users: ['U_MKT'], groups: [] }, managers: { users: ['U_BOSS'], groups: [] } });
    expect(await checker.has('U_REP', 'manager')).toBe(false);
    expect(await checker.has('U_MKT', 'manager')).toBe(false);
    expect(await checker.has('U_BOSS', 'marketer')).toBe(false);
    expect(await checker.has('U_MKT', 'marketer')).toBe(true);
  });

  it('nobody has a role that is not configured', async () => {
    const { checker, calls } = setup({});
    expect(await checker.has('U_ANY', 'marketer')).toBe(false);
    expect(await checker.has('U_ANY', 'manager')).toBe(false);
    expect(calls).toEqual([]);
  });
});

describe('createRoleChecker: user groups', () => {
  it('grants a role to members of a listed group', async () => {
    const { checker, calls } = setup({ marketers: { users: [], groups: ['S_MKT'] } }, { S_MKT: ['U_A', 'U_B'] });
    expect(await checker.has('U_B', 'marketer')).toBe(true);
    expect(await checker.has('U_C', 'marketer')).toBe(false);
    expect(calls).toEqual(['S_MKT']);
  });

  it('checks every listed group', async () => {
    const { checker } = setup({ managers: { users: [], groups: ['S_ONE', 'S_TWO'] } }, { S_ONE: ['U_A'], S_TWO: ['U_B'] });
    expect(await checker.has('U_B', 'manager')).toBe(true);
    expect(await checker.has('U_A', 'manager')).toBe(true);
  });

  it('a group of the other role grants nothing', async () => {
    const { checker } = setup({ marketers: { users: [], groups: ['S_MKT'] }, managers: none }, { S_MKT: ['U_A'] });
    expect(await checker.has('U_A', 'manager')).toBe(false);
  });

  it('keeps group members for 5 minutes, then asks Slack again', async () => {
    const s = setup({ managers: { users: [], groups: ['S_MGR'] } }, { S_MGR: ['U_A'] });
    expect(await s.checker.has('U_A', 'manager')).toBe(true);
    s.members.S_MGR = ['U_B']; // U_A leaves the group, U_B joins
    s.advance(4 * MIN + 59_000);
    expect(await s.checker.has('U_A', 'manager')).toBe(true);
    expect(await s.checker.has('U_B', 'manager')).toBe(false);
    expect(s.calls).toEqual(['S_MGR']);
    s.advance(1000); // exactly 5 minutes
    expect(await s.checker.has('U_A', 'manager')).toBe(false);
    expect(await s.checker.has('U_B', 'manager')).toBe(true);
    expect(s.calls).toEqual(['S_MGR', 'S_MGR']);
  });

  it('fails closed when Slack cannot be asked and nothing is cached, and logs a warning', async () => {
    const s = setup({ managers: { users: [], groups: ['S_MGR'] } }, { S_MGR: ['U_A'] });
    s.fail(true);
    expect(await s.checker.has('U_A', 'manager')).toBe(false);
    expect(s.warn).toHaveBeenCalledTimes(1);
    expect(s.warn.mock.calls[0]?.[0]).toMatchObject({ groupId: 'S_MGR' });
  });

  it('does not remember a failed lookup: the next check asks again', async () => {
    const s = setup({ managers: { users: [], groups: ['S_MGR'] } }, { S_MGR: ['U_A'] });
    s.fail(true);
    expect(await s.checker.has('U_A', 'manager')).toBe(false);
    s.fail(false);
    expect(await s.checker.has('U_A', 'manager')).toBe(true);
    expect(s.calls).toEqual(['S_MGR', 'S_MGR']);
  });

  it('uses the last known members when a refresh fails', async () => {
    const s = setup({ managers: { users: [], groups: ['S_MGR'] } }, { S_MGR: ['U_A'] });
    expect(await s.checker.has('U_A', 'manager')).toBe(true);
    s.advance(6 * MIN);
    s.fail(true);
    expect(await s.checker.has('U_A', 'manager')).toBe(true);
    expect(await s.checker.has('U_B', 'manager')).toBe(false);
    expect(s.warn).toHaveBeenCalled();
  });

  it('still grants listed users when group lookups fail', async () => {
    const s = setup({ managers: { users: ['U_BOSS'], groups: ['S_MGR'] } });
    s.fail(true);
    expect(await s.checker.has('U_BOSS', 'manager')).toBe(true);
  });

  it('a group with no users field grants nothing', async () => {
    const client = { usergroups: { users: { list: async () => ({ ok: true }) } } };
    const groups = createGroupReader(client as unknown as WebClient, { warn: vi.fn() } as unknown as Logger);
    const checker = createRoleChecker(groups, { marketers: none, managers: { users: [], groups: ['S_X'] } });
    expect(await checker.has('U_A', 'manager')).toBe(false);
  });
});

describe('createRoleChecker: describe()', () => {
  it('lists users as mentions and groups as user-group mentions', () => {
    const { checker } = setup({
      marketers: { users: ['U_A', 'U_B'], groups: ['S_MKT'] },
      managers: { users: [], groups: ['S_MGR'] },
    });
    expect(checker.describe('marketer')).toBe('<@U_A>, <@U_B>, <!subteam^S_MKT>');
    expect(checker.describe('manager')).toBe('<!subteam^S_MGR>');
  });

  it('says which variable to set when a role has nobody', () => {
    const { checker } = setup({});
    expect(checker.describe('marketer')).toBe('nobody yet (set MQL_MARKETERS)');
    expect(checker.describe('manager')).toBe('nobody yet (set MQL_MANAGERS)');
  });
});

describe('mentionPeople and nobodyHolds', () => {
  it('mentions people, and cuts a long list with "and N more"', () => {
    expect(mentionPeople(['U1', 'U2'])).toBe('<@U1>, <@U2>');
    expect(mentionPeople(Array.from({ length: 13 }, (_, i) => `U${i}`))).toMatch(/^<@U0>, .*<@U9> and 3 more$/);
  });

  it('says nobody holds a role without naming a setting', () => {
    expect(nobodyHolds('manager')).toBe('No managers are set up yet; ask whoever runs the bot.');
    expect(nobodyHolds('marketer')).toBe('No marketers are set up yet; ask whoever runs the bot.');
  });
});
