import type { CustomRoute } from '@slack/bolt';
import { diskFull, failureReason, raceTimeout } from '../../db/availability.js';
import { migrationsCurrent } from '../../db/migrate.js';
import { countHeldMessages } from '../../db/queries/outbox.js';
import type { Deps } from '../deps.js';
import type { HeldCounts } from '../outbox/slack-probe.js';
import { webhookHealth, type EndpointHealth } from '../webhooks/endpoint-health.js';
import { sendJson, sendText } from './respond.js';
import { route } from './route.js';

/** Below a second, with room for the answer: load balancers typically time /healthz out at 1–2 s. */
const HEALTH_CHECK_MS = 800;

export function healthRoutes(deps: Deps): CustomRoute[] {
  return [
    // Answers within a second with the truth: a hung or refused connection is "unavailable", not a hang.
    route(deps, 'GET', '/healthz', async (_req, res) => {
      let database = 'ok';
      let migrations = 'unknown';
      let held: HeldCounts = [];
      let webhooks: EndpointHealth[] = [];
      try {
        [migrations, held, webhooks] = await raceTimeout(
          () =>
            Promise.all([
              migrationsCurrent(deps.database).then((current) => (current ? 'current' : 'pending')),
              countHeldMessages(deps.database.db),
              webhookHealth(deps.database.db),
            ]),
          HEALTH_CHECK_MS,
        );
      } catch (error) {
        deps.logger.warn({ reason: failureReason(error) }, 'health check could not reach the database');
        database = 'unavailable';
      }
      // Reads still work on a full disk; the last failed write tells (until a write succeeds).
      const full = diskFull(deps.database);
      if (database === 'ok' && full) database = 'disk full';
      // Held messages, or a setup the last check found wrong: no MQL gets to sales until someone fixes it.
      const slack = deps.slackProbe.health(held);
      const healthy = database === 'ok' && migrations === 'current' && !slack.problem;
      const error = database === 'unavailable' ? 'database unavailable' : full ? `disk full since ${full.toISOString()}` : slack.problem;
      // A failing webhook URL loses nothing (its deliveries wait) and leads still reach sales: degraded, not down.
      const degraded = webhooks.some((w) => w.status === 'failing');
      sendJson(res, healthy ? 200 : 503, {
        status: healthy ? (degraded ? 'degraded' : 'ok') : 'unhealthy',
        database,
        migrations,
        slack: slack.slack,
        ...(webhooks.length > 0 && { webhooks }),
        ...(error && { error }),
      });
    }),
    route(deps, 'GET', '/metrics', async (_req, res) => {
      sendText(res, 200, deps.metrics.registry.contentType, await deps.metrics.registry.metrics());
    }),
  ];
}
