import type { Db } from '../../db/client.js';
import { getActiveCriteria } from '../../db/queries/criteria.js';
import {
  type AddedEvent,
  appendLeadEvents,
  claimNewLeads,
  findEventsOfLeads,
  type LeadWrite,
  lockLeadsByKeys,
  moveEmailKeys,
  writeLeads,
} from '../../db/queries/leads.js';
import { lockOpenHandoffsOfPeople, lockPeople } from '../../db/queries/people.js';
import { findActiveRouting } from '../../db/queries/routing.js';
import type { LeadStage } from '../../db/schema.js';
import { handOffLeads, type QualifiedLead } from '../handoff/hand-off.js';
import { routeChoice } from '../routing/choice.js';
import type { AxisMinimums, ScoreReason } from '../scoring/types.js';
import { planLeads } from './ingest-plan.js';
import type { LeadInput } from './input.js';
import { combineDuplicates, leadKey } from './merge.js';
import { recordPersonActivity, type Arrival } from './person-activity.js';
import { routeByPerson } from './person-routing.js';
import { scoreChanged } from './score-changes.js';

/** Stages in which a lead is with sales: its activity belongs to its own handoff, never to another lead's. */
const WITH_SALES: ReadonlySet<LeadStage> = new Set(['mql', 'claimed', 'accepted']);

export interface IngestOptions {
  now: Date;
  /** Who is writing, for the audit log: `api`, `import`, a user id. */
  actor: string;
  /** Queue newly qualified leads for posting to sales. Off for historic imports. */
  queuePosts: boolean;
  /** Whether `ana+webinar@…` is the same person as `ana@…` (MERGE_PLUS_ADDRESSES); off unless given. */
  mergePlusAddresses?: boolean;
  /** Known outcome per `leadKey` (imports of historic data). */
  outcomes?: Map<string, string>;
}

export type IngestStatus = 'inserted' | 'updated' | 'unchanged';

export interface IngestedLead {
  id: number;
  source: string;
  externalId: string;
  status: IngestStatus;
  score: number;
  fit: number;
  engagement: number;
  threshold: number;
  /** Set when the criteria qualify by a minimum per axis instead of the threshold. */
  minimums: AxisMinimums | null;
  qualified: boolean;
  stage: LeadStage;
  criteriaVersion: number;
  breakdown: ScoreReason[];
  /** When the score can next change with no new data (decay); null: never. */
  rescoreDueAt: Date | null;
  /** A handoff was opened and its post queued by this call. */
  queued: boolean;
  /** Not handed over because the same person is with sales as this other lead: its activity went there. */
  samePersonAs?: { source: string; externalId: string };
}

/**
 * Upserts a batch of leads with their events, re-scores them with the active criteria, and hands each lead that
 * newly qualifies to the handoff service (which opens its handoff and queues its post), one per person: a lead
 * of a person who already has an open handoff adds its activity to that one (src/leads/person-activity.ts),
 * as does any new activity of such a lead; owners of claimed and accepted leads hear of new activity.
 * All or nothing: one transaction. Set-based: the same few statements whatever the batch's size, each lead
 * written once, after it is scored (src/leads/ingest-plan.ts).
 */
export async function ingestLeads(db: Db, inputs: LeadInput[], options: IngestOptions): Promise<IngestedLead[]> {
  const { now } = options;
  const batch = combineDuplicates(inputs);
  return db.transaction(async (tx) => {
    const criteria = await getActiveCriteria(tx);
    const routing = await findActiveRouting(tx);
    // Rows this call created are empty placeholders: those leads count as new (no stored row, no events to read).
    const created = await claimNewLeads(tx, batch, now);
    const createdKeys = new Set(created.map(leadKey));
    const locked = await lockLeadsByKeys(
      tx,
      batch.filter((l) => !createdKeys.has(leadKey(l))),
    );
    const stored = new Map(locked.map((row) => [leadKey(row), row]));
    const idByKey = new Map([...created, ...stored.values()].map((row) => [leadKey(row), row.id]));
    const storedEvents = await findEventsOfLeads(
      tx,
      [...stored.values()].map((row) => row.id),
    );
    const added = await appendLeadEvents(
      tx,
      batch.flatMap((input) =>
        (input.events ?? []).map((e) => ({ leadId: idByKey.get(leadKey(input))!, type: e.type, occurredAt: e.occurredAt, data: e.data })),
      ),
      now,
    );
    const addedEvents = new Map<number, AddedEvent[]>();
    for (const e of added) addedEvents.set(e.leadId, [...(addedEvents.get(e.leadId) ?? []), e]);
    const scored = planLeads(batch, { stored, idByKey, storedEvents, addedEvents }, criteria, {
      now,
      queuePosts: options.queuePosts,
      ignorePlus: options.mergePlusAddresses ?? false,
      outcomes: options.outcomes,
    });

    // One person, one open handoff: a lead of a person whose other lead is with sales is not handed over again.
    // A lead with sales that changes its email is found under its new key, as it will be once written.
    await moveEmailKeys(
      tx,
      scored.filter((s) => WITH_SALES.has(s.previousStage) && s.emailKey !== s.before?.emailKey),
    );
    await lockPeople(
      tx,
      scored.flatMap((s) => (s.wantsHandoff && s.emailKey ? [s.emailKey] : [])),
    );
    const open = await lockOpenHandoffsOfPeople(
      tx,
      scored.flatMap((s) => ((s.wantsHandoff || s.newEvents.length) && s.emailKey ? [s.emailKey] : [])),
    );
    const routes = routeByPerson(
      scored.map((s) => ({
        id: s.id,
        emailKey: s.emailKey,
        wantsHandoff: s.wantsHandoff,
        newEvents: s.newEvents.length > 0,
        withSales: WITH_SALES.has(s.previousStage),
      })),
      new Map([...open].map(([key, holder]) => [key, holder.leadId])),
    );

    // Who each person's open handoff belongs to, so a merged lead's caller learns where its activity went.
    const holderByKey = new Map([...open].map(([key, h]) => [key, { source: h.source, externalId: h.externalId }]));
    for (const s of scored)
      if (routes.handOver.has(s.id) && s.emailKey) holderByKey.set(s.emailKey, { source: s.input.source, externalId: s.input.externalId });

    const results: IngestedLead[] = [];
    const writes: LeadWrite[] = [];
    const qualified: QualifiedLead[] = [];
    const arrivals: Arrival[] = [];
    for (const s of scored) {
      const { input, id, before, result } = s;
      const lead = { ...s.fields, source: input.source, externalId: input.externalId };
      const handoff = routes.handOver.has(id);
      const stage: LeadStage = handoff ? 'mql' : s.previousStage;
      const qualificationCount = (before?.qualificationCount ?? 0) + (handoff ? 1 : 0);
      const ingested: IngestedLead = {
        id,
        source: input.source,
        externalId: input.externalId,
        status: !before ? 'inserted' : s.newActivity ? 'updated' : 'unchanged',
        score: result.total,
        fit: result.fit,
        engagement: result.engagement,
        threshold: result.threshold,
        minimums: result.minimums,
        qualified: result.qualified,
        stage,
        criteriaVersion: result.criteriaVersion,
        breakdown: result.breakdown,
        rescoreDueAt: result.nextChangeAt,
        queued: handoff,
      };
      const into = routes.merge.get(id);
      if (into !== undefined) ingested.samePersonAs = holderByKey.get(into);
      results.push(ingested);
      // A lead sent again with nothing new is left as it is (its updated_at too). No spreads: a batch is thousands of leads.
      if (s.changed || (input.events?.length ?? 0) > 0 || scoreChanged(before, ingested)) {
        writes.push({
          id,
          fields: s.fields,
          emailKey: s.emailKey,
          outcome: s.outcome,
          lastActivityAt: s.lastActivityAt,
          score: result.total,
          breakdown: result.breakdown,
          criteriaVersion: result.criteriaVersion,
          qualified: result.qualified,
          stage,
          qualificationCount,
          rescoreDueAt: result.nextChangeAt,
        });
      }
      if (handoff) {
        qualified.push({
          handoff: {
            leadId: id,
            qualification: qualificationCount,
            score: result.total,
            scoreBreakdown: result.breakdown,
            threshold: result.threshold,
            criteriaVersion: criteria.version,
            ...routeChoice(
              routing,
              { lead, events: s.events, score: { score: result.total, fit: result.fit, engagement: result.engagement } },
              now,
            ),
          },
          fromStage: s.previousStage,
        });
      }
      arrivals.push({
        lead: { ...lead, id },
        inserted: !before,
        stage,
        scoreBefore: before?.score ?? 0,
        scoreAfter: result.total,
        newEvents: s.newEvents,
      });
    }
    await writeLeads(tx, writes, now);
    await handOffLeads(tx, qualified, options.actor, now);
    if (options.queuePosts) await recordPersonActivity(tx, arrivals, routes.merge, options.actor, now);
    return results;
  });
}
