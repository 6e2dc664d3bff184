import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { flagWord, isYes } from '../config.js';
import { ConfigError } from '../config-error.js';
import { SANDBOX_CHANNELS, idsWithRole } from './people.js';

/*
 * Whether `npm start` runs the sandbox, and the settings it runs with. Without a bot token there is no
 * Slack to talk to, so the bot talks to its own stand-in instead; SANDBOX=false makes missing Slack
 * settings errors again, SANDBOX=true forces the sandbox even when a token is set.
 */

/** SANDBOX: yes, no, or unset (blank counts as unset). A bad value is a configuration error like any other. */
function sandboxFlag(text: string | undefined): boolean | undefined {
  const word = flagWord.optional().safeParse(text);
  if (!word.success) throw new ConfigError(['SANDBOX must be true or false']);
  return word.data ? isYes(word.data) : undefined;
}

export const SANDBOX_HOST = '127.0.0.1';

export interface SandboxSettings {
  /** The environment the bot's config is parsed from: the user's, with the sandbox's Slack settings. */
  env: Record<string, string | undefined>;
  /** Secrets made up for this run because none were given; printed once so the API can be tried. */
  generated: { leadApiToken?: string; signingSecret?: string };
  port: number;
  pageUrl: string;
  /** The stand-in workspace is saved here, beside the embedded database. */
  workspaceFile: string;
}

export function sandboxSettings(env: Record<string, string | undefined>): SandboxSettings | null {
  const forced = sandboxFlag(env.SANDBOX);
  if (forced === false || (forced === undefined && env.SLACK_BOT_TOKEN?.trim())) return null;
  // A server database without a bot token is far more likely a real install missing its token than
  // someone trying the bot: demo leads and a moved clock must never land in production data by accident.
  if (forced === undefined && env.DATABASE_URL?.trim()) {
    throw new ConfigError([
      'SLACK_BOT_TOKEN: is required (the bot token, xoxb-…). DATABASE_URL is set, so this looks like a real install;' +
        ' set the Slack settings, or SANDBOX=true to run the sandbox against that database on purpose.',
    ]);
  }
  const port = Number(env.PORT?.trim() || 3000);
  // The bot reaches its stand-in at its own address, so that address must be known before it listens.
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError(['PORT: sandbox mode needs a fixed port from 1 to 65535']);
  const dataDir = env.DATA_DIR?.trim() || path.join('.data', 'sandbox');
  const leadApiToken = env.LEAD_API_TOKEN?.trim() ? undefined : randomBytes(16).toString('hex');
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim() ? undefined : randomBytes(16).toString('hex');
  return {
    env: {
      ...env,
      // Made up per run: no other web page can know it, so none can post through the stand-in.
      SLACK_BOT_TOKEN: `xoxb-sandbox-${randomBytes(12).toString('hex')}`,
      SLACK_APP_TOKEN: undefined,
      SLACK_SIGNING_SECRET: signingSecret ?? env.SLACK_SIGNING_SECRET,
      SLACK_API_URL: `http://${SANDBOX_HOST}:${port}/sandbox/api/`,
      SLACK_SALES_CHANNEL: SANDBOX_CHANNELS.sales.id,
      SLACK_DIGEST_CHANNEL: SANDBOX_CHANNELS.digest.id,
      MQL_MARKETERS: idsWithRole('marketer').join(','),
      MQL_MANAGERS: idsWithRole('manager').join(','),
      LEAD_API_TOKEN: leadApiToken ?? env.LEAD_API_TOKEN,
      DATA_DIR: dataDir,
    },
    generated: { leadApiToken, signingSecret },
    port,
    pageUrl: `http://${SANDBOX_HOST}:${port}/sandbox`,
    workspaceFile: path.join(dataDir, 'sandbox-workspace.json'),
  };
}

/** The lines `npm start` prints once in sandbox mode: where to look, and the secrets made up for this run. */
export function sandboxBanner(settings: SandboxSettings): string {
  const rule = '='.repeat(72);
  const lines = [
    rule,
    '  SANDBOX MODE: no Slack settings were given, so the bot talks to a built-in',
    '  stand-in for Slack. Open the workspace in your browser:',
    '',
    `      ${settings.pageUrl}`,
    '',
    '  Set SLACK_BOT_TOKEN (and the other Slack settings) to talk to real Slack.',
  ];
  if (settings.generated.leadApiToken) lines.push(`  LEAD_API_TOKEN for this run: ${settings.generated.leadApiToken}`);
  if (settings.generated.signingSecret) lines.push(`  SLACK_SIGNING_SECRET for this run: ${settings.generated.signingSecret}`);
  return [...lines, rule, ''].join('\n');
}
