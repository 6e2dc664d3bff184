import { describe, expect, it } from 'vitest';
import { slackAdvice } from '../../src/slack/slack-advice.js';
import { probeNeedsSlack } from '../../src/outbox/slack-probe.js';
import type { SlackCheck } from '../../src/slack/slack-check.js';

const sales = { id: 'C0123', setting: 'SLACK_SALES_CHANNEL' };

describe('slackAdvice: one line saying what to fix', () => {
  it('not_in_channel names the channel by its name and says how to invite the bot', () => {
    expect(slackAdvice('not_in_channel', { channel: { ...sales, name: 'sales' }, botName: 'mql-bot' })).toBe(
      'The bot is not in #sales (C0123): in Slack, /invite @mql-bot there',
    );
  });

  it('without the name, the id and the setting it came from; without the bot name, the one in manifest.json', () => {
    expect(slackAdvice('not_in_channel', { channel: sales })).toBe(
      'The bot is not in channel C0123 (SLACK_SALES_CHANNEL): in Slack, /invite @MQL Handoff there',
    );
  });

  it('channel_not_found says the id is wrong, and which setting holds it', () => {
    expect(slackAdvice('channel_not_found', { channel: sales, botName: 'mql-bot' })).toBe(
      "The bot cannot see channel C0123 (SLACK_SALES_CHANNEL): check the id (the channel's details, at the bottom); for a private channel, /invite @mql-bot there first",
    );
  });

  it('is_archived says to unarchive it or pick another channel', () => {
    expect(slackAdvice('is_archived', { channel: { ...sales, name: 'sales' } })).toBe(
      '#sales (C0123) is archived: unarchive it in Slack, or set SLACK_SALES_CHANNEL to another channel',
    );
  });

  it.each(['invalid_auth', 'not_authed'])('%s: the token is wrong; copy it again', (error) => {
    expect(slackAdvice(error)).toBe(
      'SLACK_BOT_TOKEN is wrong or revoked: copy the Bot User OAuth Token (api.slack.com/apps → the app → OAuth & Permissions) into SLACK_BOT_TOKEN and restart',
    );
  });

  it.each([
    ['token_revoked', /^SLACK_BOT_TOKEN was revoked .*: reinstall the app, copy the Bot User OAuth Token/],
    ['token_expired', /^SLACK_BOT_TOKEN has expired .*: turn token rotation off/],
    ['account_inactive', /^The bot's account is deactivated .*: reinstall the app/],
    ['team_access_not_granted', /^SLACK_BOT_TOKEN has no access to this workspace: install the app there/],
  ])('%s says what to do', (error, advice) => {
    expect(slackAdvice(error)).toMatch(advice);
  });

  it('missing_scope names the scope Slack said was needed', () => {
    expect(slackAdvice('missing_scope', { needed: 'chat:write' })).toBe(
      'The app lacks a permission (chat:write): add it under OAuth & Permissions → Scopes, reinstall the app, and restart',
    );
  });

  it('restricted_action sends the reader to a Slack admin', () => {
    expect(slackAdvice('restricted_action', { channel: { ...sales, name: 'sales' } })).toBe(
      'The workspace does not let the bot post in #sales (C0123): ask a Slack admin to allow it (restricted_action)',
    );
  });

  it('an error it does not know is still named', () => {
    expect(slackAdvice('some_new_error')).toBe('Slack refused with some_new_error: see https://api.slack.com/methods for what it means');
  });
});

describe('probeNeedsSlack: the minute probe asks Slack only while something waits on it', () => {
  const ok: SlackCheck = { outcome: 'ok', names: { channels: [] }, warnings: [] };
  const broken: SlackCheck = { outcome: 'misconfigured', names: { channels: [] }, warnings: [], problems: [] };

  it('asks while messages are held, or the last check found a problem or never got an answer', () => {
    expect(probeNeedsSlack(3, ok)).toBe(true);
    expect(probeNeedsSlack(0, broken)).toBe(true);
    expect(probeNeedsSlack(0, null)).toBe(true);
  });

  it('does not ask when nothing is held and the last check passed', () => {
    expect(probeNeedsSlack(0, ok)).toBe(false);
  });
});
