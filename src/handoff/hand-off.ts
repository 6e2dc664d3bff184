import type { Tx } from '../../db/client.js';
import { recordAudit } from '../../db/queries/audit-log.js';
import { openHandoffs, type NewHandoff } from '../../db/queries/handoffs.js';
import type { LeadStage } from '../../db/schema.js';
import { postMql, queueMessages } from '../outbox/messages.js';
import { emitWebhookEvents, handoffSubjects } from '../webhooks/emit.js';

/** A lead that newly qualified: the handoff to open (its score at that moment), and the stage it leaves. */
export interface QualifiedLead {
  handoff: NewHandoff;
  fromStage: LeadStage;
}

/**
 * Hands newly qualified leads to sales inside the caller's transaction: opens a handoff for each, queues its
 * post, records the qualification and tells the CRM (lead.qualified). A qualification that already has its
 * handoff is left as it is.
 */
export async function handOffLeads(tx: Tx, leads: QualifiedLead[], actor: string, now: Date): Promise<void> {
  if (leads.length === 0) return;
  const opened = await openHandoffs(
    tx,
    leads.map((l) => l.handoff),
    now,
  );
  await queueMessages(
    tx,
    opened.map((h) => postMql(h.id)),
    now,
  );
  const byLead = new Map(leads.map((l) => [l.handoff.leadId, l]));
  await recordAudit(
    tx,
    opened.map((h) => ({
      actor,
      action: 'lead.qualified',
      entity: 'lead',
      entityId: h.leadId,
      fromState: byLead.get(h.leadId)?.fromStage,
      toState: 'mql',
      details: { handoffId: h.id, qualification: h.qualification, score: byLead.get(h.leadId)?.handoff.score },
    })),
    now,
  );
  await emitWebhookEvents(tx, now, async () => {
    const subjects = await handoffSubjects(
      tx,
      opened.map((h) => h.id),
    );
    return opened.flatMap((h) => {
      const subject = subjects.get(h.id);
      return subject
        ? [{ type: 'lead.qualified' as const, key: `lead.qualified:${h.id}`, leadId: h.leadId, occurredAt: now, data: subject }]
        : [];
    });
  });
}
