import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The app manifest a workspace admin installs from must ask Slack for what the App Home needs. */
const manifest = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../manifest.json'), 'utf8'));

describe('manifest.json', () => {
  it('turns on the Home tab and subscribes to app_home_opened at the bot’s events URL', () => {
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.settings.event_subscriptions).toEqual({
      request_url: 'https://YOUR-HOST/slack/events',
      bot_events: ['app_home_opened'],
    });
  });
});
