import { describe, expect, it } from 'vitest';
import { WorkspaceStore } from '../../src/sandbox/store.js';
import { createWebApi } from '../../src/sandbox/web-api.js';
import { useSandbox } from './use-sandbox.js';

/*
 * What routing needs from the stand-in Slack: a user group to name as a team, a second sales channel for a
 * route, Do Not Disturb answers, and a third rep to rotate to; read by the bot through its own Slack client.
 */

const now = () => new Date('2026-11-30T10:00:00Z');
const setup = () => {
  const store = new WorkspaceStore(null);
  return { store, call: createWebApi(store, now) };
};
const [ANA, BEN, CY] = ['U0SBANA', 'U0SBBEN', 'U0SBCY'];
const EMEA = 'C0SBEMEA';

describe('the Web API stand-in, for routing', () => {
  it('lists the members of @sales-reps (every rep); any other group is no_such_subteam, as in Slack', () => {
    const { call } = setup();
    expect(call('usergroups.users.list', { usergroup: 'S0SBREPS' })).toEqual({ ok: true, users: [ANA, BEN, CY] });
    expect(call('usergroups.users.list', { usergroup: 'S0NOPE' })).toEqual({ ok: false, error: 'no_such_subteam' });
    expect(call('usergroups.users.list', {})).toEqual({ ok: false, error: 'no_such_subteam' });
    expect(call('usergroups.users.list', { usergroup: { id: 'S0SBREPS' } })).toEqual({ ok: false, error: 'no_such_subteam' });
  });

  it('answers dnd.info for sandbox people with Slack’s shape (nobody is in DND); anyone else is user_not_found', () => {
    const { call } = setup();
    for (const user of [ANA, BEN, CY, 'U0SBLEE']) {
      expect(call('dnd.info', { user })).toEqual({
        ok: true,
        dnd_enabled: false,
        next_dnd_start_ts: 1,
        next_dnd_end_ts: 1,
        snooze_enabled: false,
      });
    }
    expect(call('dnd.info', { user: 'U0NOBODY' })).toEqual({ ok: false, error: 'user_not_found' });
    expect(call('dnd.info', {})).toEqual({ ok: false, error: 'user_not_found' });
  });

  it('has #emea-sales: the bot is a member, can post there, read its history and update its posts', () => {
    const { call, store } = setup();
    expect(call('conversations.info', { channel: EMEA })).toEqual({
      ok: true,
      channel: { id: EMEA, name: 'emea-sales', is_channel: true, is_member: true, is_archived: false },
    });
    const posted = call('chat.postMessage', {
      channel: EMEA,
      text: 'New MQL: Jane',
      metadata: { event_type: 'mql', event_payload: { id: 1 } },
    });
    expect(posted).toMatchObject({ ok: true, channel: EMEA });
    expect(call('chat.update', { channel: EMEA, ts: posted.ts, text: 'Claimed' })).toMatchObject({ ok: true });
    const history = call('conversations.history', { channel: EMEA, include_all_metadata: true });
    expect(history).toMatchObject({ ok: true, messages: [{ ts: posted.ts, text: 'Claimed', metadata: { event_type: 'mql' } }] });
    expect(store.conversation('C0SBSALES')).toEqual([]);
  });

  it('knows Cy as a rep: users.info, a DM with the bot, and a Home', () => {
    const { call } = setup();
    expect(call('users.info', { user: CY })).toMatchObject({ ok: true, user: { id: CY, real_name: 'Cy', is_bot: false } });
    expect(call('conversations.open', { users: CY })).toEqual({ ok: true, channel: { id: 'D0SBCY' } });
    expect(call('chat.postMessage', { channel: CY, text: 'Offered to you' })).toMatchObject({ ok: true, channel: 'D0SBCY' });
    expect(call('views.publish', { user_id: CY, view: { type: 'home', blocks: [] } })).toMatchObject({ ok: true });
  });
});

describe('the sandbox bot, for routing', () => {
  const s = useSandbox();

  it('reads @sales-reps through its own Slack client, as a route team is read', async () => {
    expect([...(await s.get().app.deps.groups.members('S0SBREPS'))]).toEqual([ANA, BEN, CY]);
  });

  it('shows #emea-sales and Cy on the page, and takes commands typed in #emea-sales', async () => {
    const state = await s.state();
    expect(state.channels.map((c: { name: string }) => c.name)).toEqual(['sales', 'emea-sales', 'sales-digest']);
    expect(state.users.map((u: { name: string; role: string }) => `${u.name} (${u.role})`)).toContain('Cy (rep)');
    expect(state.dms).toContainEqual({ id: 'D0SBCY', user: CY });
    expect((await s.act('command', { user: CY, channel: EMEA, text: 'help' })).body).toEqual({ ok: true });
    const answered = await s.until((st) => st.ephemerals.some((e: Record<string, string>) => e.user === CY && e.channel === EMEA));
    expect(answered.ephemerals.find((e: Record<string, string>) => e.user === CY).text).toContain('/mql');
  });
});
