import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Deps } from '../deps.js';
import {
  databaseFailure,
  DISK_FULL_BODY,
  failureReason,
  noteDiskFull,
  noteWriteSucceeded,
  UNAVAILABLE_BODY,
} from '../../db/availability.js';
import { HttpError, sendJson } from './respond.js';

/** Bolt's receiver fills `params` from `:name` segments of the route path. */
export type RouteRequest = IncomingMessage & { params?: Record<string, string | string[]> };

/** A request's query parameters as an object (a repeated one: its last value), for a zod schema to read. */
export const queryOf = (req: IncomingMessage): Record<string, string> =>
  Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams);

export type RouteHandler = (req: RouteRequest, res: ServerResponse) => Promise<void>;

/**
 * Wraps a handler: times it for /metrics, turns HttpErrors into their status, answers 503 while the database
 * is away or its disk is full (the caller should retry), and anything else with a generic 500 (logged with
 * context, never shown to the caller).
 */
export function route(deps: Deps, method: string, path: string, handler: RouteHandler): CustomRoute {
  return {
    method,
    path,
    handler: (req, res) => {
      const end = deps.metrics.httpDuration.startTimer({ method, route: path });
      handler(req, res)
        .then(() => {
          // A write went through: whatever filled the disk has been dealt with (see /healthz).
          if (method !== 'GET' && res.statusCode < 300) noteWriteSucceeded(deps.database);
        })
        .catch((error: unknown) => {
          if (error instanceof HttpError) return sendJson(res, error.status, error.body);
          const failure = databaseFailure(error);
          if (failure) {
            if (failure === 'disk_full') noteDiskFull(deps.database);
            // The reason alone: the failed query's text and parameters would put request data in the log.
            deps.logger.warn(
              { reason: failureReason(error), method, path },
              failure === 'disk_full' ? 'disk full: answered 503' : 'database unavailable: answered 503',
            );
            if (res.headersSent) return;
            res.setHeader('retry-after', failure === 'disk_full' ? '60' : '5');
            return sendJson(res, 503, failure === 'disk_full' ? DISK_FULL_BODY : UNAVAILABLE_BODY);
          }
          deps.logger.error({ err: error, method, path }, 'HTTP handler failed');
          if (!res.headersSent) sendJson(res, 500, { error: 'internal error; it has been logged' });
        })
        .finally(() => end({ status: String(res.statusCode) }));
    },
  };
}
