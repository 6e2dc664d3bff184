import type { Db } from '../../db/client.js';
import { getActiveCriteria } from '../../db/queries/criteria.js';
import {
  type AddedEvent,
  appendLeadEvents,
  claimNewLeads,
  findEventsOfLeads,
  lockLeadsByKeys,
  storeLeadScores,
  upsertLeads,
  type LeadScoreUpdate,
} from '../../db/queries/leads.js';
import { lockOpenHandoffsOfPeople, lockPeople } from '../../db/queries/people.js';
import type { LeadStage } from '../../db/schema.js';
import { handOffLeads, type QualifiedLead } from '../handoff/hand-off.js';
import { score } from '../scoring/score.js';
import type { AxisMinimums, ScoreReason } from '../scoring/types.js';
import type { LeadInput } from './input.js';
import { combineDuplicates, leadKey, mergeLeadFields, sameLeadFields } from './merge.js';
import { emailKey } from './email-key.js';
import { recordPersonActivity, type Arrival } from './person-activity.js';
import { routeByPerson } from './person-routing.js';
import { startsHandoff } from './qualification.js';
import { latest, scoreChanged, withoutEvents } from './score-changes.js';
import { findActiveRouting } from '../../db/queries/routing.js';
import { routeChoice } from '../routing/choice.js';

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
 * All or nothing: one transaction.
 */
export async function ingestLeads(db: Db, inputs: LeadInput[], options: IngestOptions): Promise<IngestedLead[]> {
  const { now } = options;
  const ignorePlus = options.mergePlusAddresses ?? false;
  const batch = combineDuplicates(inputs);
  return db.transaction(async (tx) => {
    const criteria = await getActiveCriteria(tx);
    const routing = await findActiveRouting(tx);
    // Rows this call created are empty placeholders: those leads count as new (`before` undefined).
    const created = new Set((await claimNewLeads(tx, batch, now)).map(leadKey));
    const locked = await lockLeadsByKeys(tx, batch);
    const stored = new Map(locked.filter((row) => !created.has(leadKey(row))).map((row) => [leadKey(row), row]));

    const planned = batch.map((input) => {
      const before = stored.get(leadKey(input));
      const fields = mergeLeadFields(before, input);
      const outcome = options.outcomes?.get(leadKey(input)) ?? null;
      const changed = !before || !sameLeadFields(before, fields) || (outcome !== null && outcome !== before.outcome);
      return { input, before, fields, outcome, changed };
    });

    const written = await upsertLeads(
      tx,
      planned
        .filter((p) => p.changed || (p.input.events?.length ?? 0) > 0)
        .map((p) => ({
          source: p.input.source,
          externalId: p.input.externalId,
          ...p.fields,
          emailKey: emailKey(p.fields.email, { ignorePlus }),
          outcome: p.outcome,
          // The newest signal's own time, not when it reached us: the post says how old the signal is.
          lastActivityAt: latest((p.input.events ?? []).map((e) => e.occurredAt)),
        })),
      now,
    );
    const idByKey = new Map<string, number>([
      ...[...stored.values()].map((row): [string, number] => [leadKey(row), row.id]),
      ...written.map((row): [string, number] => [leadKey(row), row.id]),
    ]);

    const addedEvents = await appendLeadEvents(
      tx,
      planned.flatMap((p) =>
        (p.input.events ?? []).map((e) => ({
          leadId: idByKey.get(leadKey(p.input))!,
          type: e.type,
          occurredAt: e.occurredAt,
          data: e.data,
        })),
      ),
      now,
    );
    const eventsByLead = new Map<number, AddedEvent[]>();
    for (const e of addedEvents) eventsByLead.set(e.leadId, [...(eventsByLead.get(e.leadId) ?? []), e]);
    const eventsOf = await findEventsOfLeads(tx, [...idByKey.values()]);

    const scored = planned.map((p) => {
      const id = idByKey.get(leadKey(p.input))!;
      const lastActivityAt = latest([
        ...(p.before?.lastActivityAt ? [p.before.lastActivityAt] : []),
        ...(p.input.events ?? []).map((e) => e.occurredAt),
      ]);
      const result = score(
        { ...p.fields, source: p.input.source, externalId: p.input.externalId, lastActivityAt },
        eventsOf.get(id) ?? [],
        criteria,
        now,
      );
      const previousStage: LeadStage = p.before?.stage ?? 'lead';
      const newEvents = eventsByLead.get(id) ?? [];
      const newActivity = p.changed || newEvents.length > 0;
      // What the lead scored before this call, at the same now and criteria: the stored score may predate a
      // decay step or a criteria change that background re-scoring has not applied yet.
      const previousScore = p.before ? score(p.before, withoutEvents(eventsOf.get(id) ?? [], newEvents), criteria, now).total : 0;
      const wantsHandoff =
        options.queuePosts &&
        startsHandoff({
          stage: previousStage,
          wasQualified: p.before?.qualified ?? false,
          isQualified: result.qualified,
          previousScore,
          newScore: result.total,
          newActivity,
          crmStage: p.before?.crmStage ?? null,
        });
      const key = emailKey(p.fields.email, { ignorePlus });
      return { p, id, key, result, previousStage, newEvents, newActivity, wantsHandoff };
    });

    // One person, one open handoff: a lead of a person whose other lead is with sales is not handed over again.
    await lockPeople(
      tx,
      scored.flatMap((s) => (s.wantsHandoff && s.key ? [s.key] : [])),
    );
    const open = await lockOpenHandoffsOfPeople(
      tx,
      scored.flatMap((s) => ((s.wantsHandoff || s.newEvents.length) && s.key ? [s.key] : [])),
    );
    const routes = routeByPerson(
      scored.map((s) => ({
        id: s.id,
        emailKey: s.key,
        wantsHandoff: s.wantsHandoff,
        newEvents: s.newEvents.length > 0,
        withSales: WITH_SALES.has(s.previousStage),
      })),
      new Map([...open].map(([key, holder]) => [key, holder.leadId])),
    );

    // Who each person's open handoff belongs to, so a merged lead's caller learns where its activity went.
    const holderByKey = new Map([...open].map(([key, h]) => [key, { source: h.source, externalId: h.externalId }]));
    for (const s of scored)
      if (routes.handOver.has(s.id) && s.key) holderByKey.set(s.key, { source: s.p.input.source, externalId: s.p.input.externalId });

    const results: IngestedLead[] = [];
    const scoreUpdates: LeadScoreUpdate[] = [];
    const qualified: QualifiedLead[] = [];
    const arrivals: Arrival[] = [];
    for (const { p, id, result, previousStage, newEvents, newActivity } of scored) {
      const lead = { ...p.fields, source: p.input.source, externalId: p.input.externalId };
      const handoff = routes.handOver.has(id);
      const stage: LeadStage = handoff ? 'mql' : previousStage;
      const qualificationCount = (p.before?.qualificationCount ?? 0) + (handoff ? 1 : 0);
      const ingested: IngestedLead = {
        id,
        source: p.input.source,
        externalId: p.input.externalId,
        status: !p.before ? 'inserted' : newActivity ? 'updated' : 'unchanged',
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
        ...(routes.merge.has(id) && { samePersonAs: holderByKey.get(routes.merge.get(id)!) }),
      };
      results.push(ingested);
      if (scoreChanged(p.before, ingested)) {
        scoreUpdates.push({ ...ingested, qualificationCount });
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
              { lead, events: eventsOf.get(id) ?? [], score: { score: result.total, fit: result.fit, engagement: result.engagement } },
              now,
            ),
          },
          fromStage: previousStage,
        });
      }
      arrivals.push({
        lead: { ...lead, id },
        inserted: !p.before,
        stage,
        scoreBefore: p.before?.score ?? 0,
        scoreAfter: result.total,
        newEvents,
      });
    }
    await storeLeadScores(tx, scoreUpdates, now);
    await handOffLeads(tx, qualified, options.actor, now);
    if (options.queuePosts) await recordPersonActivity(tx, arrivals, routes.merge, options.actor, now);
    return results;
  });
}
