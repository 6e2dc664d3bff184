import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { BASE, problems, SECRETS } from './config-fixtures.js';

describe('loadConfig: never shows the secrets', () => {
  const everythingElseBad = {
    CLAIM_SLA: 'soon',
    DECISION_SLA: 'x',
    DIGEST_CRON: 'nope',
    TZ_DIGEST: 'Bad/Zone',
    BUSINESS_HOURS: 'never',
    MQL_MANAGERS: 'boss',
    MQL_MARKETERS: 'ma rk',
    DATABASE_URL: 'mysql://root:hunter2@db/mql',
    PORT: 'x',
    SLACK_API_URL: 'nope',
    SLACK_SALES_CHANNEL: '',
    LOG_LEVEL: 'loud',
    AUTO_RELEASE: 'maybe',
  };

  it('valid secrets are not in the message when every other variable is bad', () => {
    const lines = problems({ ...SECRETS, ...everythingElseBad });
    expect(lines.length).toBeGreaterThanOrEqual(12);
    const message = lines.join('\n');
    for (const secret of Object.values(SECRETS)) expect(message).not.toContain(secret);
    // Nor is the database password.
    expect(message).not.toContain('hunter2');
  });

  it('a too-short API token is reported without its value', () => {
    const message = problems({ ...BASE, LEAD_API_TOKEN: 'Sh0rtS3cret', ...everythingElseBad }).join('\n');
    expect(message).toContain('LEAD_API_TOKEN: must be at least 16 characters');
    expect(message).not.toContain('Sh0rtS3cret');
    expect(message).not.toContain(SECRETS.SLACK_BOT_TOKEN);
    expect(message).not.toContain(SECRETS.SLACK_SIGNING_SECRET);
  });

  it('the thrown error (message and problems) carries no secret', () => {
    let thrown: unknown;
    try {
      loadConfig({ ...SECRETS, CLAIM_SLA: 'soon' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const serialized = JSON.stringify({ ...(thrown as object), message: (thrown as Error).message, stack: (thrown as Error).stack });
    for (const secret of Object.values(SECRETS)) expect(serialized).not.toContain(secret);
  });
});
