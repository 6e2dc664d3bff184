import type { App } from '@slack/bolt';
import type { Deps } from '../src/deps.js';
import { helpText } from './help.js';

/** The `/mql` router: every reply is private to the caller unless it is meant for the channel. */
export function register(app: App, deps: Deps): void {
  app.command('/mql', async ({ ack, command }) => {
    deps.logger.debug({ user: command.user_id, text: command.text }, '/mql');
    await ack({ response_type: 'ephemeral', text: helpText() });
  });
}
