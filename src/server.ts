import { existsSync } from 'node:fs';
import { openDatabase } from '../db/client.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createSandbox, sandboxBanner, sandboxSettings, SANDBOX_HOST } from './sandbox/index.js';

// The only place that touches the process: env, signals, exit codes.
if (existsSync('.env')) process.loadEnvFile('.env');

let config;
let sandboxMode;
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
try {
  const sandbox = sandboxMode ? createSandbox(sandboxMode, sandboxMode.workspaceFile) : null;
  const database = await openDatabase(config.db);
  const app = await createApp({ config, database, logger, now: sandbox?.now, extraRoutes: sandbox?.routes });
  const { port } = await app.start(config.port, sandbox ? SANDBOX_HOST : undefined);
  sandbox?.attach(app, port);
  app.startWorkers();
  logger.info({ port, database: database.kind, socketMode: Boolean(config.slack.appToken), sandbox: Boolean(sandbox) }, 'MQL handoff bot started');
  if (sandboxMode) process.stdout.write(sandboxBanner(sandboxMode));

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    sandbox?.stop();
    await app.stop().catch((err: unknown) => logger.warn({ err }, 'stopping the app failed'));
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
} catch (error) {
  logger.fatal({ err: error }, error instanceof Error ? error.message : 'start-up failed');
  process.exit(1);
}
