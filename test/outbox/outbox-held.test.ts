/* Slack refusing a message because of the bot's setup (not in the channel, …) holds it until that is fixed. */
import { beforeAll, describe, expect, it } from 'vitest';
import { dm, queueMessages } from '../../src/outbox/messages.js';
import type { TestDatabase } from '../helpers/db.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { SALES_CHANNEL, type TestApp } from '../../harness/app.js';
import { drain, qualifyLead, rows } from '../../harness/handoff.js';

const app = useTestApp({ resetBeforeEach: true });
const { fakeSlack } = app;
let database: TestDatabase;
let t: TestApp;
// Later than anything the tests queue (the API stamps rows with the real time).
const T0 = Date.now() + 60_000;
const at = (seconds: number) => new Date(T0 + seconds * 1000);

beforeAll(() => {
  ({ database, t } = app);
});

const postsInSales = () =>
  fakeSlack.delivered(SALES_CHANNEL).filter((m) => (m.metadata as { event_type?: string } | undefined)?.event_type === 'mql_handoff');

function botNotInSales() {
  fakeSlack.respond('chat.postMessage', (args) => (args.channel === SALES_CHANNEL ? { ok: false, error: 'not_in_channel' } : undefined));
  fakeSlack.respond('conversations.info', () => ({ ok: true, channel: { id: SALES_CHANNEL, name: 'sales', is_member: false } }));
}

function botInvitedToSales() {
  fakeSlack.respond('chat.postMessage', () => undefined);
  fakeSlack.respond('conversations.info', () => ({ ok: true, channel: { id: SALES_CHANNEL, name: 'sales', is_member: true } }));
}

describe('a post Slack refuses because the bot is not in the channel', () => {
  it('is held, not lost: /healthz says what to fix, and once the bot is invited the probe sends it exactly once', async () => {
    botNotInSales();
    await qualifyLead(t, 'lead-1');
    expect(await drain(t, at(0))).toMatchObject({ sent: 0, failed: 0, held: 1 });
    // Held messages are not tried again on every pass.
    await drain(t, at(600));
    expect(fakeSlack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(await rows(database, 'select held_reason, held_since is not null as since, failed_at from outbox')).toEqual([
      { held_reason: 'not_in_channel', since: true, failed_at: null },
    ]);
    // The lead does not count as posted.
    expect(await rows(database, 'select posted_at from handoffs')).toEqual([{ posted_at: null }]);

    expect((await t.app.checkSlack()).outcome).toBe('misconfigured');
    expect(await t.api('/healthz')).toEqual({
      status: 503,
      body: {
        status: 'unhealthy',
        database: 'ok',
        migrations: 'current',
        slack: 'not_in_channel',
        error: '1 Slack message held. The bot is not in #sales (CSALES): in Slack, /invite @mql-bot there',
      },
    });
    expect((await t.api('/metrics')).body).toMatch(/^mql_outbox_held_messages 1$/m);

    // Someone types /invite @mql-bot in #sales; the next probe finds it fixed.
    botInvitedToSales();
    expect((await t.app.checkSlack()).outcome).toBe('ok');
    expect(await drain(t, at(601))).toMatchObject({ sent: 1, held: 0 });
    await drain(t, at(1200));
    expect(postsInSales()).toHaveLength(1);
    expect(fakeSlack.callsTo('chat.postMessage')).toHaveLength(2);
    expect(await rows(database, 'select held_reason, sent_at is not null as sent from outbox')).toEqual([
      { held_reason: null, sent: true },
    ]);
    expect((await rows(database, 'select posted_at from handoffs'))[0]!.posted_at).not.toBeNull();
    expect(await t.api('/healthz')).toMatchObject({ status: 200, body: { status: 'ok', slack: 'ok' } });
    expect((await t.api('/metrics')).body).toMatch(/^mql_outbox_held_messages 0$/m);
  });

  it('a probe that cannot reach Slack releases nothing and changes nothing', async () => {
    botNotInSales();
    await qualifyLead(t, 'lead-1');
    await drain(t, at(0));
    expect((await t.app.checkSlack()).outcome).toBe('misconfigured');
    fakeSlack.respond('auth.test', () => new Response('down', { status: 503 }));
    expect(await t.app.checkSlack()).toEqual({ outcome: 'unreachable', error: 'HTTP 503' });
    expect(await rows(database, 'select held_reason from outbox')).toEqual([{ held_reason: 'not_in_channel' }]);
    expect(await t.api('/healthz')).toMatchObject({ status: 503, body: { slack: 'not_in_channel' } });
  });

  it('other messages keep flowing: a DM goes out while the post waits', async () => {
    botNotInSales();
    await qualifyLead(t, 'lead-1');
    await queueMessages(database.db, [dm(null, 'UREP1', 'hello', 'test')], at(0));
    expect(await drain(t, at(1))).toMatchObject({ sent: 1, held: 1 });
    expect(fakeSlack.delivered('UREP1')).toHaveLength(1);
  });
});

describe('errors about the message itself stay final', () => {
  it('invalid_blocks fails the post for good and is not held: /healthz stays 200', async () => {
    // The app remembers its last check: this one finds the setup fine.
    expect((await t.app.checkSlack()).outcome).toBe('ok');
    fakeSlack.respond('chat.postMessage', () => ({ ok: false, error: 'invalid_blocks' }));
    await qualifyLead(t, 'lead-1');
    expect(await drain(t, at(0))).toMatchObject({ failed: 1, held: 0 });
    expect(await rows(database, 'select held_reason, last_error, failed_at is not null as failed from outbox')).toEqual([
      { held_reason: null, last_error: 'invalid_blocks', failed: true },
    ]);
    expect(await t.api('/healthz')).toMatchObject({ status: 200 });
  });

  it('a DM to someone Slack does not know (channel_not_found on a user id) fails, it does not hold the outbox', async () => {
    fakeSlack.respond('chat.postMessage', () => ({ ok: false, error: 'channel_not_found' }));
    await queueMessages(database.db, [dm(null, 'UGONE', 'hello', 'test')], at(0));
    expect(await drain(t, at(1))).toMatchObject({ failed: 1, held: 0 });
    expect(await rows(database, 'select held_reason, last_error from outbox')).toEqual([
      { held_reason: null, last_error: 'channel_not_found' },
    ]);
  });
});
