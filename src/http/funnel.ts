import { z } from 'zod';
import type { CustomRoute } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { FUNNEL_GROUPINGS } from '../funnel/funnel.js';
import { loadFunnel } from '../funnel/load.js';
import { HttpError, requireBearer, sendJson } from './respond.js';
import { queryOf, route } from './route.js';

const DAY = 24 * 3600_000;
const INVALID = 'invalid funnel request; use ?from=2026-10-01&to=2026-11-01&by=version|source|rep|route';
const DEFAULT_FUNNEL_DAYS = 30;
const MAX_FUNNEL_DAYS = 366;
const EARLIEST = new Date('1970-01-01T00:00:00Z');

const instant = (name: string) =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true })], {
      error: `${name} must be an ISO date (2026-11-01, midnight UTC) or date-time (2026-11-01T09:00:00Z)`,
    })
    .transform((text) => new Date(text))
    .optional();

const funnelQuery = z.strictObject({
  from: instant('from'),
  to: instant('to'),
  by: z.enum(FUNNEL_GROUPINGS, { error: `by must be one of ${FUNNEL_GROUPINGS.join(', ')}` }).default('version'),
});

interface FieldError {
  path: string;
  message: string;
}

/** The period asked for: `to` defaults to now, `from` to 30 days before `to`; errors name the parameter. */
function periodOf(query: z.infer<typeof funnelQuery>, now: Date): { from: Date; to: Date } | FieldError {
  const to = query.to ?? now;
  const from = query.from ?? new Date(to.getTime() - DEFAULT_FUNNEL_DAYS * DAY);
  // Postgres reads no year before 1 (an ISO year of -000001 fails the query): nothing is older than 1970 here anyway.
  if (from < EARLIEST)
    return {
      path: query.from ? 'query.from' : 'query.to',
      message: `the period starts on or after ${EARLIEST.toISOString().slice(0, 10)}`,
    };
  if (from >= to)
    return { path: 'query.from', message: `from must be before to (${query.to ? 'to is exclusive' : 'now when to is not given'})` };
  if (to.getTime() - from.getTime() > MAX_FUNNEL_DAYS * DAY)
    return { path: 'query.to', message: `the period is at most ${MAX_FUNNEL_DAYS} days` };
  return { from, to };
}

function queryErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: `query.${key}`, message: 'unknown parameter; the parameters are from, to and by' }))
      : [{ path: ['query', ...issue.path].join('.'), message: issue.message }],
  );
}

/**
 * `GET /api/funnel?from=&to=&by=version|source|rep|route`: the funnel of the MQLs that qualified in [from, to)
 * (default the last 30 days), followed to today, in total and per group, as `/mql funnel` shows it.
 */
export function funnelRoutes(deps: Deps): CustomRoute[] {
  return [
    route(deps, 'GET', '/api/funnel', async (req, res) => {
      requireBearer(req, deps.config.leadApiToken);
      const parsed = funnelQuery.safeParse(queryOf(req));
      if (!parsed.success) throw new HttpError(400, { error: INVALID, fields: queryErrors(parsed.error) });
      const period = periodOf(parsed.data, deps.now());
      if ('path' in period) throw new HttpError(400, { error: INVALID, fields: [period] });
      const { from, to } = period;
      const funnel = await loadFunnel(deps.database.db, from, to, parsed.data.by);
      sendJson(res, 200, { from: from.toISOString(), to: to.toISOString(), ...funnel });
    }),
  ];
}
