import type { z } from 'zod';
import type { CustomRoute } from '@slack/bolt';
import type { Deps } from '../deps.js';
import type { DbOrTx } from '../../db/client.js';
import { findCriteriaVersion } from '../../db/queries/criteria.js';
import type { HandoffRow } from '../../db/queries/handoffs.js';
import { findLeadByKey, type LeadRow } from '../../db/queries/leads.js';
import { offersOfHandoff } from '../../db/queries/offers.js';
import { findActionsOnHandoff, findHandoffsChanged, findHandoffsOfLead, findOutcomesOfLead } from '../../db/queries/read-api.js';
import { axisSplit } from '../handoff/reasons.js';
import { fieldErrors } from '../leads/input.js';
import { leadKeyInput } from '../outcomes/input.js';
import { encodeCursor } from '../read-api/cursor.js';
import { DEFAULT_PAGE, handoffsQuery } from '../read-api/query.js';
import { handoffObjectOf, isoOrNull, leadObjectOf } from '../webhooks/objects.js';
import { HttpError, requireBearer, sendJson } from './respond.js';
import { queryOf, route, type RouteRequest } from './route.js';

/*
 * The read API, for CRMs that pull instead of (or as well as) receiving webhooks: one lead with its score,
 * handoffs and outcomes, and every handoff page by page in the order it last changed.
 */

/** Field errors named as the caller sent them: `query.limit`, `query` for the query as a whole. */
const queryErrors = (error: z.ZodError) =>
  fieldErrors(error).map((e) => ({ ...e, path: e.path === '(body)' ? 'query' : `query.${e.path}` }));

/** The lead as stored, with its score split into fit and engagement when the stored reasons tell their axes. */
async function leadView(db: DbOrTx, row: LeadRow) {
  const criteria = row.criteriaVersion === null ? null : await findCriteriaVersion(db, row.criteriaVersion);
  const split = axisSplit({ lead: { ...row, breakdown: row.scoreBreakdown }, rules: criteria?.rules ?? [] });
  return {
    ...leadObjectOf(row),
    attributes: row.attributes,
    lastActivityAt: isoOrNull(row.lastActivityAt),
    fit: split?.fit ?? null,
    engagement: split?.engagement ?? null,
    breakdown: row.scoreBreakdown,
    qualified: row.qualified,
  };
}

/**
 * A handoff with every action on it (who claimed, released, decided it and when), what its post shows of
 * its past (releases, reassignments, offers that lapsed, merged activity) and its offers.
 */
async function handoffView(db: DbOrTx, row: HandoffRow) {
  const [actions, offers] = await Promise.all([findActionsOnHandoff(db, row.id), offersOfHandoff(db, row.id)]);
  return {
    ...handoffObjectOf(row),
    actions: actions.map((a) => ({ ...a, at: a.at.toISOString() })),
    history: row.history,
    ...(offers.length > 0 && { offers }),
  };
}

async function leadAnswer(deps: Deps, req: RouteRequest) {
  const key = leadKeyInput.safeParse({ source: queryOf(req).source, externalId: String(req.params?.externalId ?? '') });
  if (!key.success) {
    const fields = fieldErrors(key.error).map((e) => ({ ...e, path: e.path === 'source' ? 'query.source' : `path.${e.path}` }));
    throw new HttpError(400, { error: 'invalid request; see fields (the lead is named by its source and externalId)', fields });
  }
  const { source, externalId } = key.data;
  const db = deps.database.db;
  const lead = await findLeadByKey(db, source, externalId);
  if (!lead) throw new HttpError(404, { error: `no lead with source "${source}" and externalId "${externalId}"` });
  const [handoffs, outcomes] = await Promise.all([findHandoffsOfLead(db, lead.id), findOutcomesOfLead(db, lead.id)]);
  return {
    lead: await leadView(db, lead),
    handoffs: await Promise.all(handoffs.map((h) => handoffView(db, h))),
    outcomes: outcomes.map((o) => ({ ...o, occurredAt: o.occurredAt.toISOString() })),
  };
}

async function handoffsPage(deps: Deps, req: RouteRequest) {
  const query = handoffsQuery.safeParse(queryOf(req));
  if (!query.success) throw new HttpError(400, { error: 'invalid query; see fields', fields: queryErrors(query.error) });
  const limit = query.data.limit ?? DEFAULT_PAGE;
  // One row more than the page tells whether another page follows.
  const rows = await findHandoffsChanged(deps.database.db, {
    since: query.data.updatedSince ?? null,
    after: query.data.cursor ?? null,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    handoffs: page.map((r) => ({ ...handoffObjectOf(r.handoff), lead: r.lead })),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.updatedAtText, id: last.handoff.id }) : null,
  };
}

/** `GET /api/leads/:externalId?source=` and `GET /api/handoffs?updatedSince=&cursor=&limit=`, with the lead API's token. */
export function readRoutes(deps: Deps): CustomRoute[] {
  return [
    route(deps, 'GET', '/api/leads/:externalId', async (req, res) => {
      requireBearer(req, deps.config.leadApiToken);
      sendJson(res, 200, await leadAnswer(deps, req));
    }),
    route(deps, 'GET', '/api/handoffs', async (req, res) => {
      requireBearer(req, deps.config.leadApiToken);
      sendJson(res, 200, await handoffsPage(deps, req));
    }),
  ];
}
