import { describe, expect, it, vi } from 'vitest';
import { WorkspaceStore } from '../../src/sandbox/store.js';
import { createWebApi } from '../../src/sandbox/web-api.js';

const now = () => new Date('2026-11-30T10:00:00Z');
const setup = () => {
  const store = new WorkspaceStore(null);
  return { store, call: createWebApi(store, now) };
};

describe('the Web API stand-in', () => {
  it('posts to a user id land in the bot DM with them; unknown channels are channel_not_found', () => {
    const { call } = setup();
    expect(call('chat.postMessage', { channel: 'U0SBANA', text: 'hi' })).toMatchObject({ ok: true, channel: 'D0SBANA' });
    expect(call('chat.postMessage', { channel: 'C0NOPE', text: 'hi' })).toEqual({ ok: false, error: 'channel_not_found' });
    expect(call('chat.postMessage', { channel: 'C0SBSALES' })).toEqual({ ok: false, error: 'no_text' });
  });

  it('knows the bot as a user that is a bot, so reassigning a lead to it can be refused', () => {
    const { call } = setup();
    expect(call('users.info', { user: 'U0SBBOT' })).toMatchObject({ ok: true, user: { id: 'U0SBBOT', is_bot: true, deleted: false } });
    expect(call('users.info', { user: 'U0SBANA' })).toMatchObject({ ok: true, user: { is_bot: false } });
  });

  it('enforces Slack limits the bot must respect: 50 blocks a message', () => {
    const { call } = setup();
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(call('chat.postMessage', { channel: 'C0SBSALES', text: 'x', blocks })).toMatchObject({ ok: false, error: 'invalid_blocks' });
  });

  it('keeps each person’s published Home, up to the 100 blocks Slack allows a Home', () => {
    const { call, store } = setup();
    const blocks = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
    expect(call('views.publish', { user_id: 'U0SBANA', view: { type: 'home', blocks: blocks(100) } })).toMatchObject({ ok: true });
    expect(call('views.publish', { user_id: 'U0SBANA', view: { type: 'home', blocks: blocks(101) } })).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
    });
    expect(call('views.publish', { user_id: 'U0NOBODY', view: { type: 'home', blocks: [] } })).toEqual({
      ok: false,
      error: 'user_not_found',
    });
    expect(store.homes.get('U0SBANA')?.blocks).toHaveLength(100);
  });

  it('pages conversations.history newest first with a cursor, every message once, metadata on request', () => {
    const { call } = setup();
    for (let i = 0; i < 250; i++)
      call('chat.postMessage', { channel: 'C0SBSALES', text: `m${i}`, metadata: { event_type: 'e', event_payload: { i } } });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = call('conversations.history', { channel: 'C0SBSALES', limit: 100, cursor, include_all_metadata: 'true' }) as any;
      seen.push(...page.messages.map((m: any) => m.text));
      expect(page.messages[0].metadata.event_type).toBe('e');
      cursor = page.response_metadata?.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(250);
    expect(seen[0]).toBe('m249');
    expect(new Set(seen).size).toBe(250);
    const plain = call('conversations.history', { channel: 'C0SBSALES', limit: 1 }) as any;
    expect(plain.messages[0].metadata).toBeUndefined();
  });

  it('opens a modal only for a fresh trigger id, for the user it was issued to', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { store, call } = setup();
      const view = { type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [] };
      const fresh = store.issueTrigger('U0SBANA');
      expect(call('views.open', { trigger_id: fresh, view })).toMatchObject({ ok: true });
      expect(store.modals.get('U0SBANA')).toHaveLength(1);
      const stale = store.issueTrigger('U0SBBEN');
      vi.setSystemTime(Date.now() + 3001);
      expect(call('views.open', { trigger_id: stale, view })).toEqual({ ok: false, error: 'expired_trigger_id' });
      expect(call('views.open', { trigger_id: 'made-up', view })).toEqual({ ok: false, error: 'invalid_trigger_id' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('chat.update marks the message edited; unknown methods and inherited names are unknown_method', () => {
    const { store, call } = setup();
    const posted = call('chat.postMessage', { channel: 'C0SBSALES', text: 'a' }) as any;
    expect(call('chat.update', { channel: 'C0SBSALES', ts: posted.ts, text: 'b' })).toMatchObject({ ok: true });
    expect(store.findMessage('C0SBSALES', posted.ts)).toMatchObject({ text: 'b', edited: true });
    expect(call('chat.update', { channel: 'C0SBSALES', ts: '1.2', text: 'b' })).toEqual({ ok: false, error: 'message_not_found' });
    expect(call('toString', {})).toEqual({ ok: false, error: 'unknown_method' });
    expect(call('__proto__', {})).toEqual({ ok: false, error: 'unknown_method' });
  });
});
