import { existsSync } from 'node:fs';
import { waitForDatabase } from '../db/availability.js';
import { openDatabase, type Database } from '../db/client.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { createSandbox, sandboxBanner, sandboxSettings, SANDBOX_HOST, type SandboxSettings } from './sandbox/index.js';

// The only place that touches the process: env, signals, exit codes.
const SHUTDOWN_DEADLINE_MS = 8_000;
if (existsSync('.env')) process.loadEnvFile('.env');

let config: Config;
let sandboxMode: SandboxSettings | null;
try {
  // No Slack token: the bot runs against its built-in stand-in for Slack (see docs/design.md, "Sandbox mode").
  sandboxMode = sandboxSettings(process.env);
  config = loadConfig(sandboxMode?.env ?? process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger(config.logLevel);
// Last resort: a bug in one request's handling (ours or a library's) is logged and the bot keeps serving
// everyone else. State lives in the database, in transactions, so nothing half-done survives in memory.
process.on('uncaughtException', (error) => logger.error({ err: error }, 'uncaught exception; still serving'));
process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection; still serving'));
let opened: Database | undefined;
try {
  const sandbox = sandboxMode ? createSandbox(sandboxMode, sandboxMode.workspaceFile) : null;
  const database = await openDatabase(config.db, (error) => {
    // The embedded database's thread died: every request would fail from now on. Exit, so a supervisor restarts us.
    logger.fatal({ err: error }, 'the embedded database stopped; exiting');
    process.exit(1);
  });
  opened = database;
  // Bounded and logged: an unreachable host must not leave the process silent and not listening.
  if (database.kind === 'postgres') await waitForDatabase(database, { timeoutMs: config.dbStartupTimeoutMs, logger });
  const app = await createApp({ config, database, logger, now: sandbox?.now, extraRoutes: sandbox?.routes });
  const { port } = await app.start(config.port, sandbox ? SANDBOX_HOST : undefined);
  sandbox?.attach(app, port);
  app.startWorkers();
  logger.info(
    { port, database: database.kind, socketMode: Boolean(config.slack.appToken), sandbox: Boolean(sandbox) },
    'MQL handoff bot started',
  );
  if (sandboxMode) process.stdout.write(sandboxBanner(sandboxMode));

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    // Orchestrators kill after ~10 s; what is still queued is sent by the next start or another replica.
    setTimeout(() => {
      logger.error({ signal, afterMs: SHUTDOWN_DEADLINE_MS }, 'shutdown did not finish in time; exiting anyway');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    sandbox?.stop();
    await app.stop().catch((err: unknown) => logger.warn({ err }, 'stopping the app failed'));
    await database.close();
    logger.info({ signal }, 'stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
} catch (error) {
  logger.fatal({ err: error }, error instanceof Error ? error.message : 'start-up failed');
  // A database opened before the failure (port in use, Slack refusing the app token…) is closed, releasing DATA_DIR.
  await opened?.close().catch((err: unknown) => logger.warn({ err }, 'closing the database failed'));
  process.exit(1);
}
