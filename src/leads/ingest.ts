import type { Db } from '../../db/client.js';
import { getActiveCriteria } from '../../db/queries/criteria.js';
import {
  appendLeadEvents,
  claimNewLeads,
  countEventsByType,
  lockLeadsByKeys,
  storeLeadScores,
  upsertLeads,
  type LeadRow,
  type LeadScoreUpdate,
} from '../../db/queries/leads.js';
import type { LeadStage } from '../../db/schema.js';
import { handOffLeads, type QualifiedLead } from '../handoff/service.js';
import { eventsFromCounts } from '../scoring/events.js';
import { score } from '../scoring/score.js';
import type { ScoreReason } from '../scoring/types.js';
import type { LeadInput } from './input.js';
import { combineDuplicates, leadKey, mergeLeadFields, sameLeadFields } from './merge.js';
import { startsHandoff } from './qualification.js';

export interface IngestOptions {
  now: Date;
  /** Who is writing, for the audit log: `api`, `import`, a user id. */
  actor: string;
  /** Queue newly qualified leads for posting to sales. Off for historic imports. */
  queuePosts: boolean;
  /** When the upsert's changes count as activity (null: only events' own times count, e.g. historic imports). */
  activityAt: Date | null;
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
  threshold: number;
  qualified: boolean;
  stage: LeadStage;
  criteriaVersion: number;
  breakdown: ScoreReason[];
  /** A handoff was opened and its post queued by this call. */
  queued: boolean;
}

/**
 * Upserts a batch of leads with their events, re-scores them with the active criteria, and hands each lead that
 * newly qualifies to the handoff service (which opens its handoff and queues its post). All or nothing: one transaction.
 */
export async function ingestLeads(db: Db, inputs: LeadInput[], options: IngestOptions): Promise<IngestedLead[]> {
  const { now } = options;
  const batch = combineDuplicates(inputs);
  return db.transaction(async (tx) => {
    const criteria = await getActiveCriteria(tx);
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
          outcome: p.outcome,
          lastActivityAt: latest([options.activityAt, ...(p.input.events ?? []).map((e) => e.occurredAt)]),
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
    const withNewEvents = new Set(addedEvents.map((e) => e.leadId));
    const eventCounts = await countEventsByType(tx, [...idByKey.values()]);

    const results: IngestedLead[] = [];
    const scoreUpdates: LeadScoreUpdate[] = [];
    const qualified: QualifiedLead[] = [];
    for (const p of planned) {
      const id = idByKey.get(leadKey(p.input))!;
      const result = score(
        { ...p.fields, source: p.input.source, externalId: p.input.externalId },
        eventsFromCounts(eventCounts.get(id)),
        criteria,
      );
      const previousStage: LeadStage = p.before?.stage ?? 'lead';
      const newActivity = p.changed || withNewEvents.has(id);
      const handoff =
        options.queuePosts &&
        startsHandoff({
          stage: previousStage,
          wasQualified: p.before?.qualified ?? false,
          isQualified: result.qualified,
          previousScore: p.before?.score ?? 0,
          newScore: result.total,
          newActivity,
        });
      const stage: LeadStage = handoff ? 'mql' : previousStage;
      const qualificationCount = (p.before?.qualificationCount ?? 0) + (handoff ? 1 : 0);
      const ingested: IngestedLead = {
        id,
        source: p.input.source,
        externalId: p.input.externalId,
        status: !p.before ? 'inserted' : newActivity ? 'updated' : 'unchanged',
        score: result.total,
        threshold: result.threshold,
        qualified: result.qualified,
        stage,
        criteriaVersion: result.criteriaVersion,
        breakdown: result.breakdown,
        queued: handoff,
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
          },
          fromStage: previousStage,
        });
      }
    }
    await storeLeadScores(tx, scoreUpdates, now);
    await handOffLeads(tx, qualified, options.actor, now);
    return results;
  });
}

function scoreChanged(before: LeadRow | undefined, after: IngestedLead): boolean {
  return (
    !before ||
    before.score !== after.score ||
    before.qualified !== after.qualified ||
    before.stage !== after.stage ||
    before.criteriaVersion !== after.criteriaVersion ||
    !sameBreakdown(before.scoreBreakdown, after.breakdown)
  );
}

/** Compared field by field: jsonb hands objects back with their keys reordered. */
function sameBreakdown(a: ScoreReason[], b: ScoreReason[]): boolean {
  return a.length === b.length && a.every((r, i) => r.ruleId === b[i]!.ruleId && r.points === b[i]!.points && r.reason === b[i]!.reason);
}

function latest(dates: Array<Date | null>): Date | null {
  const times = dates.filter((d): d is Date => d !== null).map((d) => d.getTime());
  return times.length ? new Date(Math.max(...times)) : null;
}
