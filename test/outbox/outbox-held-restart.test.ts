/* A wrong token holds every post; a restart with the right token sends them, once each, and nothing is lost. */
import { expect, it } from 'vitest';
import { useTestApp } from '../helpers/use-test-app.js';
import { SALES_CHANNEL, startTestApp } from '../../harness/app.js';
import { drain, eventually, qualifyLead, rows } from '../../harness/handoff.js';

const app = useTestApp();
const { fakeSlack } = app;
const RIGHT_TOKEN = 'xoxb-the-right-token-0001';

const postsInSales = () =>
  fakeSlack.delivered(SALES_CHANNEL).filter((m) => (m.metadata as { event_type?: string } | undefined)?.event_type === 'mql_handoff');

it('wrong token: posts are held and /healthz says so; after a restart with the right token each is sent exactly once', async () => {
  // Slack as it is: anything but the right token is invalid_auth.
  for (const method of ['auth.test', 'chat.postMessage', 'conversations.info', 'conversations.history'])
    fakeSlack.respond(method, (_args, { token }) => (token === RIGHT_TOKEN ? undefined : { ok: false, error: 'invalid_auth' }));

  const { t, database } = app;
  await qualifyLead(t, 'lead-1');
  await qualifyLead(t, 'lead-2');
  const T0 = Date.now() + 60_000;
  // The first refusal holds the whole queue: a bad token would fail every call alike.
  expect(await drain(t, new Date(T0))).toMatchObject({ sent: 0, failed: 0, held: 1 });
  await drain(t, new Date(T0 + 600_000));
  expect(fakeSlack.callsTo('chat.postMessage')).toHaveLength(1);
  expect(await rows(database, 'select held_reason, failed_at from outbox order by id')).toEqual([
    { held_reason: 'invalid_auth', failed_at: null },
    { held_reason: 'invalid_auth', failed_at: null },
  ]);
  expect(await rows(database, 'select posted_at from handoffs order by id')).toEqual([{ posted_at: null }, { posted_at: null }]);
  expect(await t.api('/healthz')).toEqual({
    status: 503,
    body: {
      status: 'unhealthy',
      database: 'ok',
      migrations: 'current',
      slack: 'invalid_auth',
      error:
        '2 Slack messages held. SLACK_BOT_TOKEN is wrong or revoked: copy the Bot User OAuth Token (api.slack.com/apps → the app → OAuth & Permissions) into SLACK_BOT_TOKEN and restart',
    },
  });
  expect((await t.api('/metrics')).body).toMatch(/^mql_outbox_held_messages 2$/m);

  // The admin copies the right token and restarts: a new app on the same database, as `npm start` runs it.
  await t.stop();
  const fixed = await startTestApp(database, { env: { SLACK_BOT_TOKEN: RIGHT_TOKEN } });
  try {
    fixed.app.startWorkers();
    await eventually(postsInSales, (posts) => posts.length === 2);
    // Recorded as sent too (the running worker records a post just after Slack has it): only then is a later pass
    // of the outbox, on a clock an hour ahead, a fair test of "still one post per lead".
    await eventually(
      () => rows(database, 'select count(*)::int as n from outbox where sent_at is not null'),
      (r) => r[0]!.n === 2,
    );
    await eventually(
      () => fixed.api('/healthz'),
      (res) => res.status === 200,
    );
    // Another pass of the outbox and the probe later: still one post per lead.
    await fixed.app.checkSlack();
    await drain(fixed, new Date(T0 + 3_600_000));
    expect(postsInSales().map((m) => (m.metadata as { event_payload: { handoff_id: number } }).event_payload.handoff_id)).toEqual([1, 2]);
    expect(await rows(database, 'select held_reason, sent_at is not null as sent from outbox order by id')).toEqual([
      { held_reason: null, sent: true },
      { held_reason: null, sent: true },
    ]);
    expect(await rows(database, 'select posted_at is not null as posted from handoffs order by id')).toEqual([
      { posted: true },
      { posted: true },
    ]);
    expect(await fixed.api('/healthz')).toMatchObject({ status: 200, body: { status: 'ok', slack: 'ok' } });
  } finally {
    await fixed.stop();
  }
});
