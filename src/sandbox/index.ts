import type { ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Deps } from '../deps.js';
import type { Logger } from '../logger.js';
import { actionRoutes } from './actions.js';
import { createSandboxClock } from './clock.js';
import { createRelay } from './relay.js';
import { createHomeRelay } from './home-relay.js';
import { pageRoutes } from './routes.js';
import type { SandboxSettings } from './settings.js';
import { WorkspaceStore } from './store.js';
import { createWebApi } from './web-api.js';

export { sandboxBanner, sandboxSettings, SANDBOX_HOST, type SandboxSettings } from './settings.js';

/**
 * A Slack workspace in a web page, for trying the bot with no Slack: the bot runs unchanged, its Web API
 * calls and response_urls are answered by a stand-in, and what people click becomes signed requests.
 */
export function createSandbox(settings: Pick<SandboxSettings, 'env' | 'port'>, workspaceFile: string | null) {
  // The app's logger arrives with its dependencies; until then there is nothing to save anyway.
  let logger: Logger | undefined;
  const store = new WorkspaceStore(workspaceFile, (error) => logger?.error({ err: error }, 'could not save the sandbox workspace'));
  const clock = createSandboxClock(store);
  const streams = new Set<ServerResponse>();
  let runJobs: () => Promise<void> = async () => {};
  let baseUrl = `http://127.0.0.1:${settings.port}`;
  const relayOptions = { store, signingSecret: settings.env.SLACK_SIGNING_SECRET ?? '', baseUrl: () => baseUrl, now: clock.now };
  const relay = createRelay(relayOptions);
  const home = createHomeRelay(relayOptions);

  return {
    store,
    now: clock.now,
    routes: (deps: Deps): CustomRoute[] => {
      logger = deps.logger;
      return [
        ...pageRoutes(deps, { store, webApi: createWebApi(store, clock.now), botToken: settings.env.SLACK_BOT_TOKEN ?? '', streams }),
        ...actionRoutes(deps, { store, relay, home, clock, afterClockMoved: () => runJobs() }),
      ];
    },
    /** Connects what only exists once the app does: its address and its scheduled jobs. */
    attach(app: { runScheduledJobs(): Promise<void> }, port: number) {
      runJobs = () => app.runScheduledJobs();
      baseUrl = `http://127.0.0.1:${port}`;
    },
    /** Ends the page's open streams (a server waits for them before it closes) and saves the workspace. */
    stop() {
      for (const res of streams) res.end();
      store.flush();
    },
  };
}

export type Sandbox = ReturnType<typeof createSandbox>;
