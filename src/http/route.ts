import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { HttpError, sendJson } from './respond.js';

/** Bolt's receiver fills `params` from `:name` segments of the route path. */
export type RouteRequest = IncomingMessage & { params?: Record<string, string | string[]> };

export type RouteHandler = (req: RouteRequest, res: ServerResponse) => Promise<void>;

/**
 * Wraps a handler: times it for /metrics, turns HttpErrors into their status, and answers anything
 * unexpected with a generic 500 (logged with context, never shown to the caller).
 */
export function route(deps: Deps, method: string, path: string, handler: RouteHandler): CustomRoute {
  return {
    method,
    path,
    handler: (req, res) => {
      const end = deps.metrics.httpDuration.startTimer({ method, route: path });
      handler(req, res)
        .catch((error: unknown) => {
          if (error instanceof HttpError) return sendJson(res, error.status, error.body);
          deps.logger.error({ err: error, method, path }, 'HTTP handler failed');
          if (!res.headersSent) sendJson(res, 500, { error: 'internal error; it has been logged' });
        })
        .finally(() => end({ status: String(res.statusCode) }));
    },
  };
}
