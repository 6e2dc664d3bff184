import type { Db } from '../../db/client.js';
import { lockHandoffVersions, type OpenHandoffRow } from '../../db/queries/handoffs-sla.js';
import { givenSlaNotices, recordNewSlaNotices } from '../../db/queries/sla-notices.js';
import { emitWebhookEvents, handoffSubjects, type EventToEmit } from '../webhooks/emit.js';
import type { SlaAction, SlaPolicy } from './policy.js';

const BREACHES = { claim_reminder: 'claim', decision_reminder: 'decision' } as const;

/**
 * Records each lead newly past its claim or decision SLA, once per clock whatever replica sweeps (a notice row
 * in the transaction), and tells the CRM of it (sla.breached). Returns the new breaches, for the breach counter.
 * The reminder is the moment of the breach; it is due every minute the lead stays past, the notice makes it one.
 * The handoffs are locked as a click locks them, and one changed since the sweep read it is left to the next
 * sweep: its event would otherwise be ordered after, yet describe the state before, a click that got in between.
 */
export async function recordNewBreaches(
  db: Db,
  due: Array<{ h: OpenHandoffRow; action: SlaAction }>,
  policy: SlaPolicy,
  now: Date,
): Promise<Array<{ sla: 'claim' | 'decision' }>> {
  const breaches = due.flatMap(({ h, action }) =>
    action.kind === 'claim_reminder' || action.kind === 'decision_reminder' ? [{ h, action, sla: BREACHES[action.kind] }] : [],
  );
  if (breaches.length === 0) return [];
  const keyOf = (action: SlaAction) => `sla.breached:${action.key}`;
  return db.transaction(async (tx) => {
    // Most breaches a sweep sees were recorded in an earlier minute: left out before anything is locked.
    const given = await givenSlaNotices(
      tx,
      breaches.map(({ action }) => keyOf(action)),
    );
    const untold = breaches.filter(({ action }) => !given.has(keyOf(action)));
    if (untold.length === 0) return [];
    const versions = await lockHandoffVersions(tx, [...new Set(untold.map(({ h }) => h.id))]);
    const unchanged = untold.filter(({ h }) => versions.get(h.id) === h.version);
    const fresh = await recordNewSlaNotices(
      tx,
      unchanged.map(({ action }) => keyOf(action)),
      now,
    );
    const newBreaches = unchanged.filter(({ action }) => fresh.has(keyOf(action)));
    await emitWebhookEvents(tx, now, async (): Promise<EventToEmit[]> => {
      const subjects = await handoffSubjects(
        tx,
        newBreaches.map(({ h }) => h.id),
      );
      return newBreaches.flatMap(({ h, action, sla }) => {
        const subject = subjects.get(h.id);
        if (!subject) return [];
        const data = {
          ...subject,
          sla,
          limitMs: sla === 'claim' ? policy.claimSlaMs : policy.decisionSlaMs,
          waitedMs: action.waitedMs,
          owner: 'owner' in action ? action.owner : null,
        };
        return [{ type: 'sla.breached' as const, key: keyOf(action), leadId: h.leadId, occurredAt: now, data }];
      });
    });
    return newBreaches.map(({ sla }) => ({ sla }));
  });
}
