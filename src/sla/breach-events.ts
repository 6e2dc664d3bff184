import type { Db } from '../../db/client.js';
import type { OpenHandoffRow } from '../../db/queries/handoffs-sla.js';
import { recordNewSlaNotices } from '../../db/queries/sla-notices.js';
import { emitWebhookEvents, handoffSubjects, type EventToEmit } from '../webhooks/emit.js';
import type { SlaAction, SlaPolicy } from './policy.js';

const BREACHES = { claim_reminder: 'claim', decision_reminder: 'decision' } as const;

/**
 * Tells the CRM (sla.breached) of each lead newly past its claim or decision SLA: once per clock, whatever
 * replica sweeps, since the breach is recorded as a notice in the transaction that writes the event. The
 * reminder is the moment of the breach; it is due every minute the lead stays past, the notice makes it one event.
 */
export async function tellCrmOfBreaches(db: Db, due: Array<{ h: OpenHandoffRow; action: SlaAction }>, policy: SlaPolicy, now: Date) {
  const breaches = due.flatMap(({ h, action }) =>
    action.kind === 'claim_reminder' || action.kind === 'decision_reminder' ? [{ h, action, sla: BREACHES[action.kind] }] : [],
  );
  if (breaches.length === 0) return 0;
  return db.transaction((tx) =>
    emitWebhookEvents(tx, now, async (): Promise<EventToEmit[]> => {
      const keyOf = (action: SlaAction) => `sla.breached:${action.key}`;
      const fresh = await recordNewSlaNotices(
        tx,
        breaches.map(({ action }) => keyOf(action)),
        now,
      );
      const newBreaches = breaches.filter(({ action }) => fresh.has(keyOf(action)));
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
    }),
  );
}
