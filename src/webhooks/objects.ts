import type { HandoffRow } from '../../db/queries/handoffs.js';
import type { leads } from '../../db/schema.js';
import { stateOf } from '../handoff/types.js';
import type { HandoffObject, LeadObject } from './events.js';

type LeadRow = typeof leads.$inferSelect;

/** A time as the API and webhooks write it; null stays null. */
export const isoOrNull = (at: Date | null) => (at ? at.toISOString() : null);

/** A lead as webhooks and the read API show it. */
export function leadObjectOf(lead: LeadRow): LeadObject {
  return {
    source: lead.source,
    externalId: lead.externalId,
    email: lead.email,
    name: lead.name,
    company: lead.company,
    title: lead.title,
    country: lead.country,
    score: lead.score,
    stage: lead.stage,
    criteriaVersion: lead.criteriaVersion,
    crmStage: lead.crmStage,
  };
}

/** A handoff as webhooks and the read API show it. */
export function handoffObjectOf(h: HandoffRow): HandoffObject {
  return {
    id: h.id,
    qualification: h.qualification,
    state: stateOf(h),
    score: h.score,
    threshold: h.threshold,
    criteriaVersion: h.criteriaVersion,
    route: h.routeName,
    postedAt: isoOrNull(h.postedAt),
    claimedBy: h.claimedBy,
    claimedAt: isoOrNull(h.claimedAt),
    decision: h.decision,
    reasonCode: h.reasonCode,
    note: h.note,
    decidedBy: h.decidedBy,
    decidedAt: isoOrNull(h.decidedAt),
    version: h.version,
    updatedAt: h.updatedAt.toISOString(),
  };
}
