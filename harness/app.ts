/*
 * The app under test, driven over HTTP as Slack and the lead API drive it. Shared by the tests and the
 * benchmarks (bench/), so it lives outside test/: nothing outside test/ may import test/.
 */
import { sendSignedToSlack } from './slack-request.js';
import { createApp, type MqlApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { createLogger, type Logger } from '../src/logger.js';
import type { Database } from '../db/client.js';

export const SIGNING_SECRET = 'test-signing-secret';
export const LEAD_API_TOKEN = 'test-lead-api-token-0123';
export const SALES_CHANNEL = 'CSALES';
/** Where the test config points the Slack client; the tests' fake Slack (test/helpers/fake-slack.ts) answers there. */
export const FAKE_SLACK_API = 'http://slack.test/api/';
/** Slash commands' response_url points here; the fake Slack records what the app sends there. */
export const FAKE_RESPONSE_URL = 'http://slack.test/response';

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: FAKE_SLACK_API,
    SLACK_SALES_CHANNEL: SALES_CHANNEL,
    LEAD_API_TOKEN,
    MQL_MARKETERS: 'UMARKETER',
    MQL_MANAGERS: 'UMANAGER',
    LOG_LEVEL: 'silent',
    ...env,
  });
}

/** Like Slack's, every request gets its own trigger id, so no two bodies are alike (the app drops replays). */
let sequence = 0;
const triggerId = (user: string) => `trigger-${user}-${++sequence}`;

/** The fields every interactivity payload from `user` carries. */
const interactionFrom = (user: string) => ({
  user: { id: user, username: user.toLowerCase(), team_id: 'T1' },
  team: { id: 'T1', domain: 'example' },
  api_app_id: 'A1',
  token: 'legacy',
  trigger_id: triggerId(user),
});

/** A click's payload on a button of a bot message, in the sales channel unless `channel` says where (e.g. a DM). */
export function clickPayload(actionId: string, value: string, user: string, channel = SALES_CHANNEL): Record<string, unknown> {
  return {
    ...interactionFrom(user),
    type: 'block_actions',
    response_url: FAKE_RESPONSE_URL,
    channel: { id: channel, name: channel === SALES_CHANNEL ? 'sales' : 'directmessage' },
    container: { type: 'message', channel_id: channel, message_ts: '1.0' },
    actions: [{ type: 'button', action_id: actionId, block_id: `handoff:${value}`, value, action_ts: String(Date.now() / 1000) }],
  };
}

/** The fields of a `/mql` slash command from `user`, as Slack sends them (form-encoded over HTTP, JSON in Socket Mode). */
export function commandFields(text: string, user = 'UREP1'): Record<string, string> {
  return {
    token: 'legacy',
    team_id: 'T1',
    channel_id: SALES_CHANNEL,
    user_id: user,
    user_name: user.toLowerCase(),
    command: '/mql',
    text,
    response_url: FAKE_RESPONSE_URL,
    trigger_id: triggerId(user),
  };
}

export interface TestApp {
  app: MqlApp;
  baseUrl: string;
  /** JSON request to the app's HTTP API with the lead API token. */
  api(path: string, body?: unknown, init?: { token?: string | null; method?: string }): Promise<{ status: number; body: any }>;
  /** A request signed like Slack signs it, to `/slack/events`. */
  slack(body: string, contentType: string, options?: { timestamp?: number; secret?: string }): Promise<Response>;
  /** A signed click on a button of a bot message, in the sales channel unless `channel` says where (e.g. a DM). */
  click(actionId: string, value: string, user: string, channel?: string): Promise<Response>;
  /** A signed modal submission; answers with Bolt's JSON (e.g. `{ response_action: 'errors' }`) or null. */
  submit(
    callbackId: string,
    privateMetadata: string,
    values: Record<string, Record<string, unknown>>,
    user: string,
  ): Promise<{ status: number; body: any }>;
  /** A signed `/mql` slash command from `user`. */
  command(text: string, user?: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startTestApp(
  database: Database,
  options: { env?: Record<string, string>; now?: () => Date; logger?: Logger } = {},
): Promise<TestApp> {
  const app = await createApp({
    config: testConfig(options.env),
    database,
    logger: options.logger ?? createLogger('silent'),
    now: options.now,
  });
  const { port } = await app.start(0);
  const baseUrl = `http://127.0.0.1:${port}`;

  const slack: TestApp['slack'] = (body, contentType, opts = {}) =>
    sendSignedToSlack(baseUrl, body, contentType, { secret: opts.secret ?? SIGNING_SECRET, timestamp: opts.timestamp });

  /** An interactivity payload, sent as Slack sends it: form-encoded `payload=<json>`. */
  const interaction = (payload: Record<string, unknown>) =>
    slack(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');

  return {
    app,
    baseUrl,
    slack,
    async api(path, body, init = {}) {
      const token = init.token === undefined ? LEAD_API_TOKEN : init.token;
      const res = await fetch(`${baseUrl}${path}`, {
        method: init.method ?? (body === undefined ? 'GET' : 'POST'),
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON (e.g. /metrics)
      }
      return { status: res.status, body: parsed };
    },
    click(actionId, value, user, channel) {
      return interaction(clickPayload(actionId, value, user, channel));
    },
    async submit(callbackId, privateMetadata, values, user) {
      const res = await interaction({
        ...interactionFrom(user),
        type: 'view_submission',
        view: {
          id: 'V1',
          type: 'modal',
          team_id: 'T1',
          callback_id: callbackId,
          private_metadata: privateMetadata,
          hash: 'h',
          blocks: Object.keys(values).map((block_id) => ({ type: 'input', block_id })),
          state: { values },
        },
      });
      const raw = await res.text();
      return { status: res.status, body: raw ? JSON.parse(raw) : null };
    },
    async command(text, user = 'UREP1') {
      const res = await slack(new URLSearchParams(commandFields(text, user)).toString(), 'application/x-www-form-urlencoded');
      const raw = await res.text();
      return { status: res.status, body: raw ? JSON.parse(raw) : null };
    },
    stop: () => app.stop(),
  };
}

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A logger at `level` whose lines (parsed) a test reads; pino levels: 30 info, 40 warn, 50 error. */
export function captureLogs(level = 'info'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = createLogger(level, { write: (chunk: string) => void lines.push(JSON.parse(chunk)) });
  return { logger, lines };
}
