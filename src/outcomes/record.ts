import type { Db, Tx } from '../../db/client.js';
import { findLatestPostedHandoffs, updateHandoff } from '../../db/queries/handoffs.js';
import { queueMessages, updateMql } from '../outbox/messages.js';
import { recordAudit } from '../../db/queries/audit-log.js';
import { lockLeadsByKeys } from '../../db/queries/leads.js';
import {
  findLatestOutcomesPerStage,
  findLeadsByIds,
  findOutcomesAt,
  insertNewOutcomes,
  refreshCrmStages,
  type OutcomeRow,
} from '../../db/queries/outcomes.js';
import type { OutcomeStage } from '../../db/schema.js';
import { leadKey } from '../leads/merge.js';
import { emitWebhookEvents } from '../webhooks/emit.js';
import { leadObjectOf } from '../webhooks/objects.js';
import type { OutcomeItem } from './input.js';
import { resolveOutcomes } from './resolve.js';

export type OutcomeStatus = 'recorded' | 'duplicate' | 'unknown lead';

/** What the API answers per outcome sent, in the order sent. */
export interface OutcomeResult {
  source: string;
  externalId: string;
  stage: OutcomeStage;
  /** The time the outcome is stored under (now, for a new one sent without a time); null for an unknown lead. */
  occurredAt: string | null;
  status: OutcomeStatus;
  /** The lead's CRM stage after the request (its latest outcome's); null for an unknown lead. */
  crmStage: OutcomeStage | null;
  /**
   * What is stored for this outcome: for a duplicate, the first one sent (a resend with another amount changes
   * nothing, and the answer shows it). Null for an unknown lead.
   */
  amount: number | null;
  currency: string | null;
  reason: string | null;
}

const outcomeObjectOf = (o: OutcomeRow) => ({
  stage: o.stage,
  amount: o.amount,
  currency: o.currency,
  occurredAt: o.occurredAt.toISOString(),
  reason: o.reason,
});

/** Sales sees the lead's new CRM stage on its post (a won lead left unclaimed in the channel, say). */
async function showOnPosts(tx: Tx, leadIds: number[], now: Date): Promise<void> {
  for (const { id } of await findLatestPostedHandoffs(tx, leadIds)) {
    // A new version of the handoff: its post is rendered again, once.
    const after = await updateHandoff(tx, id, {}, now);
    if (after) await queueMessages(tx, [updateMql(after, 'change')], now);
  }
}

/**
 * Records CRM outcomes in one transaction: each new one is stored, moves its lead's CRM stage when it is the
 * lead's latest (shown on the lead's post), is audited and emits `lead.outcome`. Duplicates and outcomes of unknown leads change nothing.
 * The caller wakes the outbox when some were recorded.
 */
export async function recordOutcomes(db: Db, items: OutcomeItem[], now: Date, actor: string): Promise<OutcomeResult[]> {
  return db.transaction(async (tx) => {
    // Locked, so concurrent requests about one lead agree on its latest outcome.
    const locked = await lockLeadsByKeys(tx, items);
    const before = new Map(locked.map((lead) => [leadKey(lead), lead]));
    const requests = items.map((item) => ({
      leadId: before.get(leadKey(item))?.id ?? null,
      stage: item.stage,
      amount: item.amount ?? null,
      currency: item.currency ?? null,
      occurredAt: item.occurredAt ?? null,
      reason: item.reason ?? null,
    }));
    const undated = requests.flatMap((r) => (r.leadId !== null && !r.occurredAt ? [r.leadId] : []));
    const resolved = resolveOutcomes(requests, await findLatestOutcomesPerStage(tx, undated), now);

    const inserted = await insertNewOutcomes(
      tx,
      requests.flatMap((r, i) => {
        const res = resolved[i]!;
        return res.kind === 'new' ? [{ ...r, leadId: r.leadId!, occurredAt: res.occurredAt }] : [];
      }),
      now,
    );
    const keyOf = (leadId: number, stage: string, at: Date) => `${leadId}:${stage}:${at.getTime()}`;
    const insertedKeys = new Set(inserted.map((o) => keyOf(o.leadId, o.stage, o.occurredAt)));
    const touched = [...new Set(inserted.map((o) => o.leadId))];
    await showOnPosts(tx, await refreshCrmStages(tx, touched, now), now);
    const after = new Map((await findLeadsByIds(tx, touched)).map((lead) => [lead.id, lead]));
    const byId = new Map(locked.map((lead) => [lead.id, lead]));

    await recordAudit(
      tx,
      inserted.map((o) => ({
        actor,
        action: 'lead.outcome',
        entity: 'lead',
        entityId: o.leadId,
        fromState: byId.get(o.leadId)?.crmStage ?? null,
        toState: after.get(o.leadId)?.crmStage ?? null,
        details: { outcomeId: o.id, ...outcomeObjectOf(o) },
      })),
      now,
    );
    await emitWebhookEvents(tx, now, () =>
      inserted.map((o) => ({
        type: 'lead.outcome' as const,
        key: `lead.outcome:${o.id}`,
        leadId: o.leadId,
        occurredAt: now,
        data: { lead: leadObjectOf(after.get(o.leadId)!), outcome: outcomeObjectOf(o) },
      })),
    );

    const known = requests.flatMap((r, i) => {
      const res = resolved[i]!;
      return res.kind === 'unknown lead' || r.leadId === null ? [] : [{ leadId: r.leadId, occurredAt: res.occurredAt }];
    });
    const stored = new Map((await findOutcomesAt(tx, known)).map((o) => [keyOf(o.leadId, o.stage, o.occurredAt), o]));
    return items.map((item, i): OutcomeResult => {
      const res = resolved[i]!;
      const leadId = requests[i]!.leadId;
      const base = { source: item.source, externalId: item.externalId, stage: item.stage };
      if (res.kind === 'unknown lead' || leadId === null) {
        return { ...base, occurredAt: null, status: 'unknown lead', crmStage: null, amount: null, currency: null, reason: null };
      }
      const key = keyOf(leadId, item.stage, res.occurredAt);
      const row = stored.get(key);
      return {
        ...base,
        occurredAt: res.occurredAt.toISOString(),
        status: res.kind === 'new' && insertedKeys.has(key) ? 'recorded' : 'duplicate',
        crmStage: (after.get(leadId) ?? byId.get(leadId))?.crmStage ?? null,
        amount: row?.amount ?? null,
        currency: row?.currency ?? null,
        reason: row?.reason ?? null,
      };
    });
  });
}
