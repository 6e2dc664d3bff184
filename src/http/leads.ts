import { z } from 'zod';
import type { CustomRoute } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { eventsOnlyInput, fieldErrors, futureEventErrors, parseLeadsBody } from '../leads/input.js';
import { ingestLeads, type IngestedLead } from '../leads/ingest.js';
import { findLeadByKey } from '../../db/queries/leads.js';
import { HttpError, readJson, requireBearer, sendJson } from './respond.js';
import { queryOf, route } from './route.js';

/** What the API answers per lead: the score with its fit and engagement, the verdict, and whether sales got it. */
function present(lead: IngestedLead) {
  const { id, source, externalId, status, score, fit, engagement, threshold, minimums, qualified, stage, criteriaVersion, breakdown } =
    lead;
  const answer = {
    id,
    source,
    externalId,
    status,
    score,
    fit,
    engagement,
    threshold,
    // Null unless the criteria qualify by a minimum per axis; then they, not the threshold, decide.
    minimums,
    qualified,
    stage,
    criteriaVersion,
    breakdown,
    queuedForSales: lead.queued,
  };
  return lead.samePersonAs ? { ...answer, samePersonAs: lead.samePersonAs } : answer;
}

/** `now` is the one the request was checked against, so an event just inside the skew allowance is stored as checked. */
async function ingest(deps: Deps, leads: Parameters<typeof ingestLeads>[1], now: Date) {
  const results = await ingestLeads(deps.database.db, leads, {
    now,
    actor: 'api',
    queuePosts: true,
    mergePlusAddresses: deps.config.people.mergePlusAddresses,
  });
  for (const r of results) {
    deps.metrics.leadsIngested.inc({ status: r.status });
    if (r.queued) deps.metrics.leadsQualified.inc();
  }
  deps.metrics.leadsScored.inc(results.length);
  // A lead handed to a round-robin or owner route is offered to its first rep at once, not at the router's next tick.
  if (results.some((r) => r.queued)) deps.wakeRouter();
  return results.map(present);
}

const SOURCE_REQUIRED = 'source is required: add ?source=web (the source the lead was sent with)';
const sourceQuery = z.object({
  source: z
    .string({ error: SOURCE_REQUIRED })
    .trim()
    .min(1, SOURCE_REQUIRED)
    .max(100, 'source is at most 100 characters')
    // Postgres cannot hold NUL in text: a lookup by it would fail (500), not miss.
    .refine((s) => !s.includes('\0'), 'source contains a NUL character (%00)'),
});

export function leadRoutes(deps: Deps): CustomRoute[] {
  return [
    route(deps, 'POST', '/api/leads', async (req, res) => {
      requireBearer(req, deps.config.leadApiToken);
      const now = deps.now();
      const parsed = parseLeadsBody(await readJson(req), now);
      if (!parsed.ok) throw new HttpError(400, { error: 'invalid lead data; nothing was written', fields: parsed.errors });
      sendJson(res, 200, { leads: await ingest(deps, parsed.leads, now) });
    }),
    route(deps, 'POST', '/api/leads/:externalId/events', async (req, res) => {
      requireBearer(req, deps.config.leadApiToken);
      const now = deps.now();
      const query = sourceQuery.safeParse(queryOf(req));
      const body = eventsOnlyInput.safeParse(await readJson(req));
      const errors = [
        ...(query.success ? [] : fieldErrors(query.error).map((e) => ({ ...e, path: `query.${e.path}` }))),
        ...(body.success ? futureEventErrors(body.data.events, now, '') : fieldErrors(body.error)),
      ];
      if (!query.success || !body.success || errors.length)
        throw new HttpError(400, { error: 'invalid request; nothing was written', fields: errors });
      const externalId = String(req.params?.externalId ?? '');
      if (!(await findLeadByKey(deps.database.db, query.data.source, externalId))) {
        throw new HttpError(404, { error: `no lead with source "${query.data.source}" and externalId "${externalId}"` });
      }
      const [lead] = await ingest(deps, [{ source: query.data.source, externalId, events: body.data.events }], now);
      sendJson(res, 200, { lead });
    }),
  ];
}
