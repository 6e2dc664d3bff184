import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { sandboxBanner, sandboxSettings } from '../../src/sandbox/settings.js';

describe('sandbox settings', () => {
  it('turns on when no bot token is set, with settings the config accepts and the page on 127.0.0.1', () => {
    const settings = sandboxSettings({})!;
    expect(settings.pageUrl).toBe('http://127.0.0.1:3000/sandbox');
    const config = loadConfig(settings.env);
    expect(config.slack.apiUrl).toBe('http://127.0.0.1:3000/sandbox/api/');
    expect(config.slack.salesChannel).toBe('C0SBSALES');
    expect(config.roles.managers.users).toEqual(['U0SBLEE']);
    expect(config.db.dataDir).toMatch(/\.data[/\\]sandbox$/);
  });

  it('makes up the API token and signing secret only when missing, and prints them once', () => {
    const made = sandboxSettings({})!;
    expect(made.generated.leadApiToken).toMatch(/^[0-9a-f]{32}$/);
    expect(sandboxBanner(made)).toContain(made.generated.leadApiToken!);
    const given = sandboxSettings({ LEAD_API_TOKEN: 'my-own-token-0123456', SLACK_SIGNING_SECRET: 's3cret' })!;
    expect(given.generated).toEqual({ leadApiToken: undefined, signingSecret: undefined });
    expect(given.env.LEAD_API_TOKEN).toBe('my-own-token-0123456');
    expect(sandboxBanner(given)).not.toContain('my-own-token');
  });

  it('stays off with a real token, and SANDBOX=false makes missing Slack settings errors again', () => {
    expect(sandboxSettings({ SLACK_BOT_TOKEN: 'xoxb-real' })).toBeNull();
    expect(sandboxSettings({ SANDBOX: 'false' })).toBeNull();
    expect(() => loadConfig({ SANDBOX: 'false' })).toThrow(/SLACK_BOT_TOKEN/);
  });

  it('SANDBOX=true forces it even with a token, and never passes the real token on', () => {
    const settings = sandboxSettings({ SANDBOX: 'true', SLACK_BOT_TOKEN: 'xoxb-real', SLACK_APP_TOKEN: 'xapp-real' })!;
    expect(settings.env.SLACK_BOT_TOKEN).toMatch(/^xoxb-sandbox-[0-9a-f]{24}$/);
    expect(sandboxSettings({})!.env.SLACK_BOT_TOKEN).not.toBe(settings.env.SLACK_BOT_TOKEN);
    expect(settings.env.SLACK_APP_TOKEN).toBeUndefined();
  });

  it('does not start the sandbox by accident on a server database: without a token that is an error', () => {
    expect(() => sandboxSettings({ DATABASE_URL: 'postgres://db.internal/prod' })).toThrow(
      /DATABASE_URL is set, so this looks like a real install/,
    );
    expect(sandboxSettings({ DATABASE_URL: 'postgres://127.0.0.1/demo', SANDBOX: 'true' })?.env.DATABASE_URL).toBe(
      'postgres://127.0.0.1/demo',
    );
  });

  it('refuses a port it cannot tell its own stand-in, and a SANDBOX value that is not a flag', () => {
    expect(() => sandboxSettings({ PORT: '0' })).toThrow(ConfigError);
    expect(() => sandboxSettings({ SANDBOX: 'maybe' })).toThrow(/SANDBOX must be true or false/);
  });
});
