import { existsSync } from 'node:fs';
import { openDatabase } from '../db/client.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';

// The only place that touches the process: env, signals, exit codes.
if (existsSync('.env')) process.loadEnvFile('.env');

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger(config.logLevel);
try {
  const database = await openDatabase(config.db);
  const app = await createApp({ config, database, logger });
  const { port } = await app.start();
  app.startWorkers();
  logger.info({ port, database: database.kind, socketMode: Boolean(config.slack.appToken) }, 'MQL handoff bot started');

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
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
