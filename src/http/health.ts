import type { CustomRoute } from '@slack/bolt';
import { migrationsCurrent } from '../../db/migrate.js';
import type { Deps } from '../deps.js';
import { sendJson, sendText } from './respond.js';
import { route } from './route.js';

export function healthRoutes(deps: Deps): CustomRoute[] {
  return [
    route(deps, 'GET', '/healthz', async (_req, res) => {
      let database = 'ok';
      let migrations = 'unknown';
      try {
        migrations = (await migrationsCurrent(deps.database)) ? 'current' : 'pending';
      } catch (error) {
        deps.logger.warn({ err: error }, 'health check could not reach the database');
        database = 'unreachable';
      }
      const healthy = database === 'ok' && migrations === 'current';
      sendJson(res, healthy ? 200 : 503, { status: healthy ? 'ok' : 'unhealthy', database, migrations });
    }),
    route(deps, 'GET', '/metrics', async (_req, res) => {
      sendText(res, 200, deps.metrics.registry.contentType, await deps.metrics.registry.metrics());
    }),
  ];
}
