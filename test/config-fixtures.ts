import { expect } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

/** Values shaped like real secrets, so a test can look for them in what is printed. */
export const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-SuperSecretBotToken',
  SLACK_SIGNING_SECRET: 'f00dfacesigningsecret8c0ffee',
  LEAD_API_TOKEN: 'lead-api-TopSecret-0123456789',
};
export const BASE = { ...SECRETS, SLACK_SALES_CHANNEL: 'C0SALES' };

/** The problems loadConfig reports, one per line. */
export function problems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(message).toBe(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    return problems;
  }
  throw new Error('loadConfig accepted the environment');
}
