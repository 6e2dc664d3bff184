import type { Database } from '../db/client.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { WebClient } from '@slack/web-api';
import type { GroupReader, RoleChecker } from './slack/roles.js';
import type { WorkQueue } from './slack/work-queue.js';
import type { SlackProbe } from './outbox/slack-probe.js';

/** What features are given: nothing reaches for globals (env, time, connections) on its own. */
export interface Deps {
  config: Config;
  database: Database;
  logger: Logger;
  metrics: Metrics;
  /** The current time; tests pass a fixed clock. */
  now: () => Date;
  /** Sends to Slack outside a listener (outbox, jobs); configured so the outbox owns retries. */
  slack: WebClient;
  /** Members of Slack user groups (route teams, roles), cached briefly. */
  groups: GroupReader;
  roles: RoleChecker;
  /** The work that follows listeners' acks, in turn and bounded, so it never holds back an arriving request's ack. */
  work: WorkQueue;
  /** Asks the outbox worker to send what was just queued now rather than at its next tick. */
  wakeOutbox: () => void;
  /** Asks the router to make due offers (new routed leads, passes, timeouts) now rather than at its next tick. */
  wakeRouter: () => void;
  /** Post refreshes this app queued for stale clicks (see handoff/service.ts): this app's, as ids repeat across databases. */
  refreshesQueued: Set<string>;
  /** Checks Slack's side of the setup and holds what it found (for /healthz). */
  slackProbe: SlackProbe;
}
