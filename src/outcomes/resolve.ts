/*
 * Which outcomes of a request are new, no I/O. The same (lead, stage, occurredAt) is one outcome; an outcome
 * sent without occurredAt is dated now, unless it repeats the lead's latest outcome of that stage (same amount,
 * currency and reason): then it is that outcome again (a retried request), not a second one.
 */
import type { OutcomeStage } from '../../db/schema.js';

export interface OutcomeFields {
  stage: OutcomeStage;
  amount: number | null;
  currency: string | null;
  reason: string | null;
}

export interface StoredOutcome extends OutcomeFields {
  leadId: number;
  occurredAt: Date;
}

export interface OutcomeRequest extends OutcomeFields {
  /** Null: no lead has the item's source and externalId. */
  leadId: number | null;
  occurredAt: Date | null;
}

export type Resolution =
  | { kind: 'unknown lead' }
  /** Already stored (or earlier in the same request): nothing to write. */
  | { kind: 'duplicate'; occurredAt: Date }
  /** To insert; the insert may still find it stored meanwhile (then it is a duplicate too). */
  | { kind: 'new'; occurredAt: Date };

const slot = (leadId: number, stage: string) => `${leadId}:${stage}`;
const sameFields = (a: OutcomeFields, b: OutcomeFields) =>
  a.stage === b.stage && a.amount === b.amount && a.currency === b.currency && a.reason === b.reason;

/** `latest`: each lead's stored latest outcome per stage (by occurredAt), for the items sent without one. */
export function resolveOutcomes(requests: OutcomeRequest[], latest: StoredOutcome[], now: Date): Resolution[] {
  const latestBySlot = new Map(latest.map((o) => [slot(o.leadId, o.stage), o]));
  const seen = new Set<string>();
  return requests.map((request): Resolution => {
    const { leadId } = request;
    if (leadId === null) return { kind: 'unknown lead' };
    const last = latestBySlot.get(slot(leadId, request.stage));
    if (!request.occurredAt && last && sameFields(last, request)) return { kind: 'duplicate', occurredAt: last.occurredAt };
    const occurredAt = request.occurredAt ?? now;
    const key = `${slot(leadId, request.stage)}:${occurredAt.getTime()}`;
    if (seen.has(key)) return { kind: 'duplicate', occurredAt };
    seen.add(key);
    if (!last || occurredAt >= last.occurredAt) latestBySlot.set(slot(leadId, request.stage), { ...request, leadId, occurredAt });
    return { kind: 'new', occurredAt };
  });
}
