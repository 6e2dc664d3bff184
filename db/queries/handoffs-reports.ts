import { and, asc, eq, gte, inArray, isNotNull, isNull, or } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { auditLog, handoffs, leads, outbox, type HandoffDecision } from '../schema.js';

/** The handoff actions the reports replay (audit_log `handoff.<action>`), oldest first. */
export const REPORTED_ACTIONS = ['claim', 'release', 'reassign', 'accept', 'reject'] as const;
export type ReportedAction = (typeof REPORTED_ACTIONS)[number];

/** One change to a handoff as the audit log recorded it. */
export interface HandoffEvent {
  action: ReportedAction;
  actor: string;
  at: Date;
  /** The new owner, for a reassign. */
  to: string | null;
  /** The reject reason code, for a reject. */
  reason: string | null;
}

/** A handoff as the reports (src/sla/report.ts) see it. */
export interface ReportHandoff {
  id: number;
  postedAt: Date;
  claimableSince: Date | null;
  claimedBy: string | null;
  claimedAt: Date | null;
  decision: HandoffDecision | null;
  channel: string | null;
  messageTs: string | null;
  leadName: string | null;
  leadEmail: string | null;
  leadCompany: string | null;
  leadExternalId: string;
  /** Every claim, release, reassign and decision since `since`, oldest first. */
  events: HandoffEvent[];
}

const text = (value: unknown) => (typeof value === 'string' ? value : null);

/**
 * Handoffs posted since `since`, plus every one still open however old: what digests and stats read. Their
 * history comes from the audit log, which has every claim with who made it, through releases and reassigns.
 */
export async function listReportHandoffs(db: DbOrTx, since: Date): Promise<ReportHandoff[]> {
  const rows = await db
    .select({
      id: handoffs.id,
      postedAt: handoffs.postedAt,
      claimableSince: handoffs.claimableSince,
      claimedBy: handoffs.claimedBy,
      claimedAt: handoffs.claimedAt,
      decision: handoffs.decision,
      channel: handoffs.channel,
      messageTs: handoffs.messageTs,
      leadName: leads.name,
      leadEmail: leads.email,
      leadCompany: leads.company,
      leadExternalId: leads.externalId,
    })
    .from(handoffs)
    .innerJoin(leads, eq(leads.id, handoffs.leadId))
    .where(and(isNotNull(handoffs.postedAt), or(gte(handoffs.postedAt, since), isNull(handoffs.decision))));
  // A handoff's actions all come after its post, so the actions since `since` cover every handoff posted since then.
  const audit = await db
    .select({ entityId: auditLog.entityId, action: auditLog.action, actor: auditLog.actor, at: auditLog.at, details: auditLog.details })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entity, 'handoff'),
        gte(auditLog.at, since),
        inArray(
          auditLog.action,
          REPORTED_ACTIONS.map((a) => `handoff.${a}`),
        ),
      ),
    )
    .orderBy(asc(auditLog.at), asc(auditLog.id));
  const events = new Map<string, HandoffEvent[]>();
  for (const row of audit) {
    const list = events.get(row.entityId) ?? [];
    list.push({
      action: row.action.slice('handoff.'.length) as ReportedAction,
      actor: row.actor,
      at: row.at,
      to: text(row.details?.to),
      reason: text(row.details?.reason),
    });
    events.set(row.entityId, list);
  }
  return rows.map((r) => ({ ...r, postedAt: r.postedAt!, events: events.get(String(r.id)) ?? [] }));
}

/** A lead whose MQL post Slack refused: for good (`failed`), or held until the bot's setup is fixed. */
export interface UnpostedLead {
  handoffId: number;
  queuedAt: Date;
  state: 'failed' | 'held';
  reason: string;
  leadName: string | null;
  leadEmail: string | null;
  leadCompany: string | null;
  leadExternalId: string;
}

/** Open handoffs whose post never reached the channel, oldest first: nobody can see or claim them. */
export async function listUnpostedLeads(db: DbOrTx): Promise<UnpostedLead[]> {
  const rows = await db
    .select({
      handoffId: handoffs.id,
      queuedAt: outbox.createdAt,
      failedAt: outbox.failedAt,
      lastError: outbox.lastError,
      heldReason: outbox.heldReason,
      leadName: leads.name,
      leadEmail: leads.email,
      leadCompany: leads.company,
      leadExternalId: leads.externalId,
    })
    .from(outbox)
    .innerJoin(handoffs, eq(handoffs.id, outbox.handoffId))
    .innerJoin(leads, eq(leads.id, handoffs.leadId))
    .where(
      and(
        eq(outbox.kind, 'post_mql'),
        isNull(outbox.sentAt),
        isNull(handoffs.messageTs),
        isNull(handoffs.decision),
        or(isNotNull(outbox.failedAt), isNotNull(outbox.heldReason)),
      ),
    )
    .orderBy(asc(outbox.createdAt), asc(outbox.id));
  return rows.map(({ failedAt, lastError, heldReason, ...r }) => ({
    ...r,
    state: failedAt ? 'failed' : 'held',
    reason: (failedAt ? lastError : heldReason) ?? 'unknown error',
  }));
}
