import { describe, expect, it } from 'vitest';
import { judge, type Actor, type HandoffAction } from '../../src/handoff/rules.js';

const CLAIMER: Actor = { userId: 'U_CLAIMER', isManager: false };
const OTHER_REP: Actor = { userId: 'U_OTHER', isManager: false, managers: ['U_BOSS', 'U_LEE'] };
const REP_WITHOUT_MANAGERS: Actor = { userId: 'U_OTHER', isManager: false, managers: [] };
const MANAGER: Actor = { userId: 'U_BOSS', isManager: true };
const CLAIMING_MANAGER: Actor = { userId: 'U_CLAIMER', isManager: true };

const unclaimed = { claimedBy: null, decision: null } as const;
const released = { claimedBy: null, decision: 'released' } as const;
const claimed = { claimedBy: 'U_CLAIMER', decision: null } as const;

const ALL_ACTIONS: HandoffAction[] = ['claim', 'accept', 'reject', 'release', 'reassign'];
const ALL_ACTORS = { claimer: CLAIMER, 'other rep': OTHER_REP, manager: MANAGER } as const;
const OK = { ok: true };

describe('judge: finished handoffs refuse everything, as a stale post', () => {
  const finished = [
    ['accepted', 'This lead was already accepted; nothing changed.'],
    ['rejected', 'This lead was already rejected; nothing changed.'],
    ['expired', 'This lead was expired; nothing changed.'],
  ] as const;
  for (const [decision, message] of finished) {
    for (const action of ALL_ACTIONS) {
      for (const [who, actor] of Object.entries(ALL_ACTORS)) {
        it(`${decision}: ${action} by ${who}`, () => {
          expect(judge({ claimedBy: 'U_CLAIMER', decision }, action, actor)).toEqual({ ok: false, message, stale: true });
        });
      }
    }
  }
});

describe('judge: unclaimed handoff', () => {
  it.each(Object.entries(ALL_ACTORS))('anyone may claim it (%s)', (_who, actor) => {
    expect(judge(unclaimed, 'claim', actor)).toEqual(OK);
  });

  it('a released handoff (claimer cleared) may be claimed again', () => {
    expect(judge(released, 'claim', OTHER_REP)).toEqual(OK);
  });

  for (const action of ['accept', 'reject'] as const) {
    it.each(Object.entries(ALL_ACTORS))(`${action} asks to claim first (%s), stale`, (_who, actor) => {
      expect(judge(unclaimed, action, actor)).toEqual({
        ok: false,
        message: `Claim this lead before you ${action} it.`,
        stale: true,
      });
    });
  }

  it.each(Object.entries(ALL_ACTORS))('release has nothing to release (%s), stale', (_who, actor) => {
    expect(judge(unclaimed, 'release', actor)).toEqual({
      ok: false,
      message: 'Nobody has claimed this lead; there is nothing to release.',
      stale: true,
    });
  });

  it('a manager may reassign (assign) it', () => {
    expect(judge(unclaimed, 'reassign', MANAGER)).toEqual(OK);
  });

  it('a rep may not reassign it, and hears who may: the managers by name, never the setting', () => {
    expect(judge(unclaimed, 'reassign', OTHER_REP)).toEqual({
      ok: false,
      message: 'Only managers (<@U_BOSS>, <@U_LEE>) can reassign. You can release a lead you hold.',
      stale: false,
    });
  });

  it('with no managers set up, a rep is told to ask whoever runs the bot', () => {
    expect(judge(unclaimed, 'reassign', REP_WITHOUT_MANAGERS)).toEqual({
      ok: false,
      message: 'Only managers can reassign. No managers are set up yet; ask whoever runs the bot. You can release a lead you hold.',
      stale: false,
    });
  });
});

describe('judge: claimed handoff', () => {
  it('the claimer clicking Claim again is told they already have it', () => {
    expect(judge(claimed, 'claim', CLAIMER)).toEqual({ ok: false, message: 'You already hold this lead.', stale: true });
  });

  it.each([
    ['other rep', OTHER_REP],
    ['manager', MANAGER],
  ] as const)('%s clicking Claim is told who has it', (_who, actor) => {
    expect(judge(claimed, 'claim', actor)).toEqual({ ok: false, message: 'Already claimed by <@U_CLAIMER>.', stale: true });
  });

  for (const action of ['accept', 'reject'] as const) {
    it(`the claimer may ${action}`, () => {
      expect(judge(claimed, action, CLAIMER)).toEqual(OK);
      expect(judge(claimed, action, CLAIMING_MANAGER)).toEqual(OK);
    });

    it.each([
      ['other rep', OTHER_REP],
      ['manager', MANAGER],
    ] as const)(`%s may not ${action} someone else's lead (not stale)`, (_who, actor) => {
      expect(judge(claimed, action, actor)).toEqual({
        ok: false,
        message: `Only <@U_CLAIMER>, who holds this lead, can ${action} it.`,
        stale: false,
      });
    });
  }

  it('the claimer may release', () => {
    expect(judge(claimed, 'release', CLAIMER)).toEqual(OK);
  });

  it('a manager may release anyone’s lead', () => {
    expect(judge(claimed, 'release', MANAGER)).toEqual(OK);
  });

  it('another rep may not release it (not stale), and hears which managers may', () => {
    expect(judge(claimed, 'release', OTHER_REP)).toEqual({
      ok: false,
      message: 'Only <@U_CLAIMER>, who holds this lead, or a manager (<@U_BOSS>, <@U_LEE>) can release it.',
      stale: false,
    });
    expect(judge(claimed, 'release', REP_WITHOUT_MANAGERS)).toMatchObject({
      message: 'Only <@U_CLAIMER>, who holds this lead, can release it. No managers are set up yet; ask whoever runs the bot.',
    });
  });

  it('a manager may reassign it', () => {
    expect(judge(claimed, 'reassign', MANAGER)).toEqual(OK);
  });

  it.each([
    ['claimer', CLAIMER],
    ['other rep', OTHER_REP],
  ] as const)('the %s (not a manager) may not reassign it', (_who, actor) => {
    expect(judge(claimed, 'reassign', { ...actor, managers: ['U_BOSS'] })).toEqual({
      ok: false,
      message: 'Only managers (<@U_BOSS>) can reassign. You can release a lead you hold.',
      stale: false,
    });
  });
});
