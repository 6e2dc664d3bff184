/* The start-up check of the token and channels: what it asks Slack, and the one line per problem it logs. */
import { Writable } from 'node:stream';
import { HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { channelMessage, queueMessages } from '../../src/outbox/messages.js';
import { drainOutbox } from '../../src/outbox/worker.js';
import { createLogger } from '../../src/logger.js';
import { createSlackClient } from '../../src/slack/client.js';
import { checkSlack, configuredChannels } from '../../src/slack/slack-check.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { createFakeSlack } from '../helpers/fake-slack.js';
import { SALES_CHANNEL, testConfig } from '../../harness/app.js';
import { eventually } from '../../harness/handoff.js';

const fakeSlack = createFakeSlack();
const config = testConfig({ SLACK_DIGEST_CHANNEL: 'CDIGEST' });
const channels = configuredChannels(config);
let slack: ReturnType<typeof createSlackClient>;

beforeAll(() => {
  // The fake intercepts only clients built after it listens.
  fakeSlack.listen();
  slack = createSlackClient(config, createLogger('silent'));
});
afterAll(() => fakeSlack.close());
beforeEach(() => fakeSlack.reset());

const channelAnswer = (channel: Record<string, unknown>) => () => ({
  ok: true,
  channel: { is_member: true, is_archived: false, ...channel },
});

describe('checkSlack', () => {
  it('passes with a working token and channels the bot is in, and learns their names', async () => {
    const result = await checkSlack(slack, channels);
    expect(result).toMatchObject({ outcome: 'ok', warnings: [], names: { botName: 'mql-bot' } });
    expect(fakeSlack.callsTo('conversations.info').map((c) => c.args.channel)).toEqual([SALES_CHANNEL, 'CDIGEST']);
  });

  it('a bad token is the one problem: the channels are not asked about', async () => {
    fakeSlack.respond('auth.test', () => ({ ok: false, error: 'invalid_auth' }));
    expect(await checkSlack(slack, channels)).toMatchObject({
      outcome: 'misconfigured',
      problems: [
        { error: 'invalid_auth', advice: expect.stringMatching(/^SLACK_BOT_TOKEN is wrong or revoked: copy the Bot User OAuth Token/) },
      ],
    });
    expect(fakeSlack.callsTo('conversations.info')).toHaveLength(0);
  });

  it('finds each channel problem: not a member, archived, an id that does not exist', async () => {
    fakeSlack.respond('conversations.info', (args) =>
      args.channel === SALES_CHANNEL
        ? channelAnswer({ id: SALES_CHANNEL, name: 'sales', is_member: false })()
        : { ok: false, error: 'channel_not_found' },
    );
    expect(await checkSlack(slack, channels)).toMatchObject({
      outcome: 'misconfigured',
      problems: [
        { error: 'not_in_channel', advice: 'The bot is not in #sales (CSALES): in Slack, /invite @mql-bot there' },
        {
          error: 'channel_not_found',
          advice: expect.stringMatching(/^The bot cannot see channel CDIGEST \(SLACK_DIGEST_CHANNEL\): check the id/),
        },
      ],
    });
    fakeSlack.respond('conversations.info', channelAnswer({ name: 'sales', is_archived: true }));
    expect(await checkSlack(slack, channels.slice(0, 1))).toMatchObject({
      problems: [
        {
          error: 'is_archived',
          advice: '#sales (CSALES) is archived: unarchive it in Slack, or set SLACK_SALES_CHANNEL to another channel',
        },
      ],
    });
  });

  it('cannot reach Slack (network, 5xx, rate limit): says nothing about the setup', async () => {
    fakeSlack.respond('auth.test', () => HttpResponse.error());
    expect(await checkSlack(slack, channels)).toMatchObject({ outcome: 'unreachable' });
    fakeSlack.respond('auth.test', () => new HttpResponse('down', { status: 503 }));
    expect(await checkSlack(slack, channels)).toEqual({ outcome: 'unreachable', error: 'HTTP 503' });
    fakeSlack.respond('auth.test', () => undefined);
    fakeSlack.respond('conversations.info', () => new HttpResponse('down', { status: 500 }));
    expect(await checkSlack(slack, channels)).toEqual({ outcome: 'unreachable', error: 'HTTP 500' });
  });

  it('without the scope to read channels, the channel is not checked and posting is not stopped', async () => {
    fakeSlack.respond('conversations.info', () => ({ ok: false, error: 'missing_scope', needed: 'channels:read' }));
    const result = await checkSlack(slack, channels.slice(0, 1));
    expect(result).toMatchObject({ outcome: 'ok' });
    expect(result.outcome === 'ok' && result.warnings).toEqual([
      'Could not check channel CSALES (SLACK_SALES_CHANNEL): the app lacks channels:read; add it under OAuth & Permissions → Scopes and reinstall the app to have the channel checked',
    ]);
  });
});

describe('at start-up', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  function capture() {
    const lines: Array<{ level: number; msg: string }> = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    return { logger: createLogger('info', sink), lines };
  }

  async function startedApp() {
    const { logger, lines } = capture();
    const app = await createApp({ config, database, logger });
    const { port } = await app.start(0);
    app.startWorkers();
    const healthz = async () => {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      return { status: res.status, body: await res.json() };
    };
    return { app, lines, healthz };
  }

  it('logs one line per problem saying what to do, and /healthz answers 503 with it', async () => {
    fakeSlack.respond('conversations.info', (args) =>
      args.channel === SALES_CHANNEL
        ? channelAnswer({ id: SALES_CHANNEL, name: 'sales', is_member: false })()
        : channelAnswer({ id: 'CDIGEST', name: 'digest', is_archived: true })(),
    );
    const { app, lines, healthz } = await startedApp();
    try {
      const problems = await eventually(
        () => lines.filter((l) => l.level >= 50).map((l) => l.msg),
        (msgs) => msgs.length >= 2,
      );
      expect(problems).toEqual([
        'The bot is not in #sales (CSALES): in Slack, /invite @mql-bot there',
        '#digest (CDIGEST) is archived: unarchive it in Slack, or set SLACK_DIGEST_CHANNEL to another channel',
      ]);
      expect(await healthz()).toEqual({
        status: 503,
        body: {
          status: 'unhealthy',
          database: 'ok',
          migrations: 'current',
          slack: 'not_in_channel',
          error:
            'The bot is not in #sales (CSALES): in Slack, /invite @mql-bot there; #digest (CDIGEST) is archived: unarchive it in Slack, or set SLACK_DIGEST_CHANNEL to another channel',
        },
      });
    } finally {
      await app.stop();
    }
  });

  it('starts and stays healthy when Slack cannot be reached, and says it will check again', async () => {
    fakeSlack.respond('auth.test', () => HttpResponse.error());
    const { app, lines, healthz } = await startedApp();
    try {
      await eventually(
        () => lines.map((l) => l.msg),
        (msgs) => msgs.some((m) => m.startsWith('Could not reach Slack to check the token and channels')),
      );
      expect(await healthz()).toMatchObject({ status: 200, body: { status: 'ok', slack: 'unchecked' } });
    } finally {
      await app.stop();
    }
  });

  it('the outbox says once what to fix, however many messages Slack refuses for it', async () => {
    fakeSlack.respond('auth.test', () => undefined);
    fakeSlack.respond('chat.postMessage', () => ({ ok: false, error: 'not_in_channel' }));
    const { logger, lines } = capture();
    const app = await createApp({ config, database, logger });
    try {
      // What the start-up check learns (the channel's name, the bot's) goes into the advice.
      await app.checkSlack();
      const now = new Date(Date.now() + 60_000);
      const messages = [1, 2, 3].map((n) => channelMessage({ channel: SALES_CHANNEL, text: `digest ${n}` }, `test-${n}`));
      await queueMessages(database.db, messages, now);
      expect(await drainOutbox(app.outbox, now)).toMatchObject({ held: 3, failed: 0 });
      expect(lines.filter((l) => l.msg.startsWith('Slack refused')).map((l) => l.msg)).toEqual([
        'Slack refused: not_in_channel. The bot is not in #csales (CSALES): in Slack, /invite @mql-bot there. Held messages are sent once that is fixed.',
      ]);
    } finally {
      await app.stop();
    }
  });
});
