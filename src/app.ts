import { App, HTTPReceiver, type CustomRoute, type Receiver } from '@slack/bolt';
import type { Database } from '../db/client.js';
import { prepareDatabase } from './prepare-database.js';
import { register as registerCommands } from '../commands/index.js';
import { register as registerCriteriaConfirm } from '../commands/criteria-confirm.js';
import { register as registerHandoff } from './handoff/listeners.js';
import { register as registerHandoffSubmissions } from './handoff/submissions.js';
import { register as registerHome } from './home/listeners.js';
import { register as registerOffers } from './routing/listeners.js';
import { runRouterPass, startRouter, type Router, type RouterPass } from './routing/router.js';
import { handoffSenders } from './handoff/senders.js';
import { plainSenders, type SenderRegistry } from './outbox/senders.js';
import { startOutboxLoop, type OutboxDeps, type OutboxLoop } from './outbox/worker.js';
import { createSlackProbe } from './outbox/slack-probe.js';
import { configuredChannels, type SlackCheck } from './slack/slack-check.js';
import { queueFigures, totalHeldMessages } from '../db/queries/outbox.js';
import { syncWebhookEndpoints } from '../db/queries/webhooks.js';
import { webhookFigures } from '../db/queries/webhook-deliveries.js';
import { deliverWebhooks, startWebhookLoop, type WebhookDeps, type WebhookPassResult } from './webhooks/worker.js';
import type { WakeableLoop } from './wakeable-loop.js';
import { raceTimeout } from '../db/availability.js';
import { startSchedules, type Schedules } from './sla/schedule.js';
import { rescoringIdle, startRescoring } from './leads/rescore.js';
import type { Config } from './config.js';
import type { Deps } from './deps.js';
import { httpRoutes } from './http/index.js';
import { createHttpServer, type AckObserver } from './http/server.js';
import type { Logger } from './logger.js';
import { createMetrics } from './metrics.js';
import { boltLogger } from './slack/bolt-logger.js';
import { createSlackClient, slackClientOptions } from './slack/client.js';
import { createGroupReader, createRoleChecker } from './slack/roles.js';
import { createWorkQueue } from './slack/work-queue.js';
import { createSlackGuard, type RefusalReason } from './slack/request-guard.js';
import { createSocketReceiver, refuseSlackOverHttp } from './slack/socket-receiver.js';

export interface AppOptions {
  config: Config;
  database: Database;
  logger: Logger;
  now?: () => Date;
  /** More HTTP routes on the same server, given the app's dependencies (e.g. a stand-in for Slack). */
  extraRoutes?: (deps: Deps) => CustomRoute[];
}

export interface MqlApp {
  bolt: App;
  deps: Deps;
  /** What the outbox worker sends with, each kind by its feature's sender (tests drain with it by hand). */
  outbox: OutboxDeps;
  /** Starts listening (on every interface unless `host` is given); port 0 picks a free one (tests). */
  start(port?: number, host?: string): Promise<{ port: number }>;
  /** Starts the background work: the outbox and webhook workers, the SLA sweep and the digest schedule. Tests drive them by hand. */
  startWorkers(): void;
  /** Checks the token and channels with Slack now, as start-up and the minute's probe do; releases held messages if all is well. */
  checkSlack(): Promise<SlackCheck>;
  /** Runs the scheduled jobs (SLA sweep, missed-digest check, re-scoring for decay, a router pass) now, e.g. after the clock jumped. Needs startWorkers. */
  runScheduledJobs(): Promise<void>;
  /** Runs a router pass at `now` (offers timed out, next offers made), as the router's loop does; tests drive it by hand. */
  runRouter(now: Date): Promise<RouterPass>;
  /** Delivers due webhooks at `now`, as the webhook worker does; tests drive it by hand. */
  deliverWebhooks(now: Date): Promise<WebhookPassResult>;
  /** Stops workers and the listener. */
  stop(): Promise<void>;
}

/** Requests whose work may wait at once; past it, users are told the bot is busy (a minute's worth at full speed). */
const WORK_QUEUE_LIMIT = 1_000;

/** Wires config, database, HTTP routes and Slack listeners into one app. Migrates and seeds first. */
export async function createApp(options: AppOptions): Promise<MqlApp> {
  const { config, database, logger } = options;
  await prepareDatabase(database, logger);
  // Events are written for the configured URLs only; a URL dropped from the config keeps its deliveries, unsent.
  await syncWebhookEndpoints(database.db, config.webhooks.urls);
  const now = options.now ?? (() => new Date());
  // Bounded like /healthz: a scrape during a database outage answers with the last count, at once.
  const metrics = createMetrics({
    held: () => raceTimeout(() => totalHeldMessages(database.db), 800),
    outbox: () => raceTimeout(() => queueFigures(database.db, now()), 800),
    webhooks: () => raceTimeout(() => webhookFigures(database.db), 800),
  });
  const slack = createSlackClient(config, logger, metrics);
  const slackProbe = createSlackProbe({
    db: database.db,
    slack,
    logger,
    channels: configuredChannels(config),
    now,
    wakeOutbox: () => outboxLoop?.wake(),
  });
  const groups = createGroupReader(slack, logger, now);
  const deps: Deps = {
    config,
    database,
    logger,
    metrics,
    now,
    slack,
    groups,
    roles: createRoleChecker(groups, config.roles),
    wakeRouter: () => router?.wake(),
    // Changes that queue Slack messages may also have written webhook deliveries: both go out now.
    wakeOutbox: () => {
      outboxLoop?.wake();
      webhookLoop?.wake();
    },
    // The embedded database has one connection: two pieces at once let one's JavaScript overlap the other's SQL.
    work: createWorkQueue({
      concurrency: database.kind === 'pglite' ? 2 : 8,
      limit: WORK_QUEUE_LIMIT,
      onWaitingChange: (waiting) => deps.metrics.workWaiting.set(waiting),
    }),
    refreshesQueued: new Set(),
    slackProbe,
  };
  let outboxLoop: OutboxLoop | undefined;
  let webhookLoop: WakeableLoop | undefined;
  const webhooks: WebhookDeps = { db: database.db, logger, metrics: deps.metrics, config: config.webhooks };
  // Started by startWorkers (src/routing/router.ts): makes offers and times them out.
  let router: Router | undefined;
  let schedules: Schedules | undefined;

  const customRoutes = [...httpRoutes(deps), ...(options.extraRoutes?.(deps) ?? [])];
  // Serves the HTTP API in either mode; Slack's requests come to it only without Socket Mode.
  const httpReceiver = new HTTPReceiver({
    signingSecret: config.slack.signingSecret,
    endpoints: '/slack/events',
    customRoutes,
    // Bolt answers after the listener acks; listeners ack first and work after.
    processBeforeResponse: false,
    logger: boltLogger(logger),
  });
  const onRefused = (reason: RefusalReason) => deps.metrics.slackRequestsRefused.inc({ reason });
  const observeAck: AckObserver = (kind, seconds) => deps.metrics.ackLatency.observe({ kind }, seconds);
  // With SLACK_APP_TOKEN, Slack's requests come over a WebSocket the bot opens (src/slack/socket-receiver.ts).
  const socketReceiver = config.slack.appToken
    ? createSocketReceiver({ appToken: config.slack.appToken, apiUrl: config.slack.apiUrl, logger, onRefused, observeAck })
    : null;
  const receiver: Receiver = socketReceiver ?? httpReceiver;
  // Our own server sits in front of Bolt's listener, so malformed or replayed requests never reach it.
  const httpServer = createHttpServer(
    httpReceiver,
    socketReceiver ? refuseSlackOverHttp(logger) : createSlackGuard({ signingSecret: config.slack.signingSecret, logger, onRefused }),
    logger,
    observeAck,
  );
  const bolt = new App({
    // A fixed authorization instead of `token`: Bolt would otherwise call auth.test at start-up (crashing
    // the process when Slack is unreachable) or before every request (slowing every click).
    authorize: async () => ({ botToken: config.slack.botToken }),
    receiver,
    logger: boltLogger(logger),
    clientOptions: slackClientOptions(config, logger, metrics),
  });
  // Listeners go on working after they ack; stopping waits for that work instead of cutting it off.
  const inFlight = new Set<Promise<void>>();
  bolt.use(async ({ next }) => {
    const work = next();
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
  });
  bolt.error(async (error) => {
    logger.error({ err: error }, 'unhandled error in a Slack listener');
  });
  registerCommands(bolt, deps);
  registerCriteriaConfirm(bolt, deps);
  registerHandoff(bolt, deps);
  registerHandoffSubmissions(bolt, deps);
  registerHome(bolt, deps);
  registerOffers(bolt, deps);
  const senders: SenderRegistry = { ...plainSenders, ...handoffSenders(config) };
  const outbox: OutboxDeps = {
    db: database.db,
    slack,
    logger,
    senders,
    reportHeld: slackProbe.reportHeld,
    salesChannel: config.slack.salesChannel,
    onPaced: (method) => metrics.outboxPaced.inc({ method }),
  };

  return {
    bolt,
    deps,
    outbox,
    async start(port = config.port, host?: string) {
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen({ port, host }, resolve);
      });
      await socketReceiver?.start();
      const address = httpServer.address();
      return { port: typeof address === 'object' && address ? address.port : port };
    },
    startWorkers() {
      outboxLoop ??= startOutboxLoop(outbox, now);
      if (config.webhooks.urls.length > 0) webhookLoop ??= startWebhookLoop(webhooks, now);
      // Checks the token and channels in the background: an unreachable Slack never holds up or stops start-up.
      slackProbe.start();
      schedules ??= startSchedules(deps);
      router ??= startRouter(deps);
      // Finishes re-scoring that a restart interrupted, and catches up on decay while the bot was down (only stale leads).
      startRescoring(deps);
    },
    checkSlack: () => slackProbe.check(),
    async runScheduledJobs() {
      await schedules?.runNow();
      // After a jump of the clock, offers whose time ran out go on to the next rep.
      await router?.runNow(now());
    },
    runRouter: (at) => (router ? router.runNow(at) : runRouterPass(deps, at)),
    deliverWebhooks: (at) => deliverWebhooks(webhooks, at),
    async stop() {
      // Work still waiting for its turn is refused, its users told the bot is restarting; what runs finishes.
      deps.work.close();
      // The outbox stops taking work at once (it only finishes the message in flight), alongside the rest.
      const outboxStopped = outboxLoop?.stop();
      // Likewise webhooks: requests in flight get a second to be answered, then are cut off; the rest is given back.
      const webhooksStopped = webhookLoop?.stop();
      if (httpServer.listening) await new Promise((resolve) => httpServer.close(resolve));
      await socketReceiver?.stop();
      await Promise.allSettled([...inFlight]);
      await schedules?.stop();
      await router?.stop();
      slackProbe.stop();
      await outboxStopped;
      await webhooksStopped;
      await rescoringIdle(database);
    },
  };
}
