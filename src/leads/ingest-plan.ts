/** What ingest decides about each lead of a batch from its locked row and events, before it writes any lead. Pure. */
import type { AddedEvent, LeadRow } from '../../db/queries/leads.js';
import type { LeadStage } from '../../db/schema.js';
import type { StoredLeadFields } from '../../db/types.js';
import { score } from '../scoring/score.js';
import type { Criteria, ScorableEvent, ScoreResult } from '../scoring/types.js';
import { emailKey } from './email-key.js';
import type { LeadInput } from './input.js';
import { leadKey, mergeLeadFields, sameLeadFields } from './merge.js';
import { startsHandoff } from './qualification.js';
import { latest } from './score-changes.js';

/** The batch's leads as the database holds them now, inside the ingest transaction. */
export interface BatchState {
  /** Rows stored before this call, by `leadKey` (a lead this call created is not among them: it counts as new). */
  stored: Map<string, LeadRow>;
  /** Every lead's id, by `leadKey`. */
  idByKey: Map<string, number>;
  /** The events stored before this call, by lead id. */
  storedEvents: Map<number, ScorableEvent[]>;
  /** The events this call stored (a repeat of a stored one is not among them), by lead id. */
  addedEvents: Map<number, AddedEvent[]>;
}

export interface PlanOptions {
  now: Date;
  queuePosts: boolean;
  /** MERGE_PLUS_ADDRESSES. */
  ignorePlus: boolean;
  /** Known outcome per `leadKey` (imports of historic data). */
  outcomes?: Map<string, string>;
}

export interface PlannedLead {
  input: LeadInput;
  id: number;
  before: LeadRow | undefined;
  fields: StoredLeadFields;
  emailKey: string | null;
  outcome: string | null;
  /** Its newest signal's own time, not when it reached us: the post says how old the signal is. */
  lastActivityAt: Date | null;
  /** Its fields or outcome differ from the stored ones (always, for a new lead). */
  changed: boolean;
  /** Every event of the lead, this call's included: what it is scored on. */
  events: ScorableEvent[];
  newEvents: AddedEvent[];
  /** Something new came: an event or a changed field, not a replay of what we had. */
  newActivity: boolean;
  result: ScoreResult;
  previousStage: LeadStage;
  /** It qualifies for a handoff of its own; whether it gets one depends on the person's other leads. */
  wantsHandoff: boolean;
}

export function planLeads(batch: LeadInput[], state: BatchState, criteria: Criteria, options: PlanOptions): PlannedLead[] {
  const { now } = options;
  return batch.map((input) => {
    const key = leadKey(input);
    const id = state.idByKey.get(key)!;
    const before = state.stored.get(key);
    const fields = mergeLeadFields(before, input);
    const outcome = options.outcomes?.get(key) ?? null;
    const changed = !before || !sameLeadFields(before, fields) || (outcome !== null && outcome !== before.outcome);
    const storedEvents = state.storedEvents.get(id) ?? [];
    const newEvents = state.addedEvents.get(id) ?? [];
    const events = [...storedEvents, ...newEvents];
    const lastActivityAt = latest([
      ...(before?.lastActivityAt ? [before.lastActivityAt] : []),
      ...(input.events ?? []).map((e) => e.occurredAt),
    ]);
    const result = score({ ...fields, source: input.source, externalId: input.externalId, lastActivityAt }, events, criteria, now);
    const previousStage: LeadStage = before?.stage ?? 'lead';
    const newActivity = changed || newEvents.length > 0;
    const wantsHandoff =
      options.queuePosts &&
      startsHandoff({
        stage: previousStage,
        wasQualified: before?.qualified ?? false,
        isQualified: result.qualified,
        // What the lead scored before this call, at the same now and criteria: the stored score may predate a
        // decay step or a criteria change that background re-scoring has not applied yet.
        previousScore: before ? score(before, storedEvents, criteria, now).total : 0,
        newScore: result.total,
        newActivity,
        crmStage: before?.crmStage ?? null,
      });
    return {
      input,
      id,
      before,
      fields,
      emailKey: emailKey(fields.email, { ignorePlus: options.ignorePlus }),
      outcome: outcome ?? before?.outcome ?? null,
      lastActivityAt,
      changed,
      events,
      newEvents,
      newActivity,
      result,
      previousStage,
      wantsHandoff,
    };
  });
}
