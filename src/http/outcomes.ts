import type { CustomRoute } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { fieldErrors, futureDateErrors, type FieldError } from '../leads/input.js';
import { leadKeyInput, outcomeInput, outcomesBatchInput, type OutcomeItem } from '../outcomes/input.js';
import { recordOutcomes } from '../outcomes/record.js';
import { HttpError, readJson, requireBearer, sendJson } from './respond.js';
import { queryOf, route, type RouteRequest } from './route.js';

const invalid = (fields: FieldError[]) => new HttpError(400, { error: 'invalid outcome data; nothing was written', fields });

/** `now` is the one the request was checked against, so an outcome just inside the skew allowance is stored as checked. */
async function record(deps: Deps, items: OutcomeItem[], now: Date) {
  const results = await recordOutcomes(deps.database.db, items, now, 'api');
  if (results.some((r) => r.status === 'recorded')) deps.wakeOutbox();
  return results;
}

/** One outcome of one lead, keyed like `POST /api/leads/:externalId/events`: an unknown lead is a 404. */
async function single(deps: Deps, req: RouteRequest) {
  const now = deps.now();
  const key = leadKeyInput.safeParse({ source: queryOf(req).source, externalId: String(req.params?.externalId ?? '') });
  const body = outcomeInput.safeParse(await readJson(req));
  const errors = [
    ...(key.success ? [] : fieldErrors(key.error).map((e) => (e.path === 'source' ? { ...e, path: 'query.source' } : e))),
    ...(body.success ? futureDateErrors([body.data.occurredAt], now, () => 'occurredAt') : fieldErrors(body.error)),
  ];
  if (!key.success || !body.success || errors.length) throw invalid(errors);
  const [result] = await record(deps, [{ ...key.data, ...body.data }], now);
  if (result!.status === 'unknown lead')
    throw new HttpError(404, { error: `no lead with source "${key.data.source}" and externalId "${key.data.externalId}"` });
  return result;
}

/**
 * `POST /api/leads/:externalId/outcome?source=` and `POST /api/outcomes` (up to 1,000): outcomes from the CRM.
 * Any invalid item refuses the whole request; an unknown lead only its item (listed as such).
 */
export function outcomeRoutes(deps: Deps): CustomRoute[] {
  return [
    route(deps, 'POST', '/api/leads/:externalId/outcome', async (req, res) => {
      requireBearer(req, deps.config.leadApiToken);
      sendJson(res, 200, { outcome: await single(deps, req) });
    }),
    route(deps, 'POST', '/api/outcomes', async (req, res) => {
      requireBearer(req, deps.config.leadApiToken);
      const now = deps.now();
      const body = outcomesBatchInput.safeParse(await readJson(req));
      if (!body.success) throw invalid(fieldErrors(body.error));
      const future = futureDateErrors(
        body.data.outcomes.map((o) => o.occurredAt),
        now,
        (i) => `outcomes.${i}.occurredAt`,
      );
      if (future.length) throw invalid(future);
      const outcomes = await record(deps, body.data.outcomes, now);
      const count = (status: string) => outcomes.filter((o) => o.status === status).length;
      sendJson(res, 200, { recorded: count('recorded'), duplicates: count('duplicate'), unknownLeads: count('unknown lead'), outcomes });
    }),
  ];
}
