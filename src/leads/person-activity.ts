import { createHash } from 'node:crypto';
import type { Tx } from '../../db/client.js';
import { recordAudit, type AuditEntry } from '../../db/queries/audit-log.js';
import type { AddedEvent } from '../../db/queries/leads.js';
import { findCurrentHandoffs, lockOpenHandoffsOfPeople, type OpenHandoffOfPerson } from '../../db/queries/people.js';
import { updateHandoff } from '../../db/queries/handoffs.js';
import type { LeadStage } from '../../db/schema.js';
import type { HandoffHistoryEntry } from '../../db/types.js';
import { dm, queueMessages, updateMql, type OutboxMessage } from '../outbox/messages.js';
import { messageLink } from '../slack/links.js';
import { activityDmText, activitySummary } from './activity-text.js';
import { leadDisplayName, type NamedLead } from './display-name.js';

/** A lead as one ingest call left it: what it brought and how its score moved. */
export interface Arrival {
  lead: NamedLead & { id: number; source: string };
  inserted: boolean;
  stage: LeadStage;
  scoreBefore: number;
  scoreAfter: number;
  /** Events this call stored (a repeat of a stored event is not among them). */
  newEvents: AddedEvent[];
}

/** Stages in which a lead has an owner who wants to hear about its activity. */
const OWNED: ReadonlySet<LeadStage> = new Set(['claimed', 'accepted']);

/**
 * Where one call's activity goes besides the leads themselves, in the caller's transaction:
 * - `merges` (arrival, email key): the activity of another lead of a person with an open handoff goes to that
 *   handoff: a history entry, a new version, an update of its post, an audit row, and a DM to whoever holds it;
 * - an owned lead (claimed, accepted) with new events: one DM to its owner.
 * Each DM's key names the arrival's events, so a retried request (its events already stored) DMs nobody again.
 */
export async function recordPersonActivity(
  tx: Tx,
  arrivals: Arrival[],
  merges: Map<number, string>,
  actor: string,
  now: Date,
): Promise<void> {
  const merged = arrivals.filter((a) => merges.has(a.lead.id));
  const owned = arrivals.filter((a) => !merges.has(a.lead.id) && OWNED.has(a.stage) && a.newEvents.length > 0);
  const messages: OutboxMessage[] = [];
  const audits: AuditEntry[] = [];

  const targets = await lockOpenHandoffsOfPeople(tx, [...new Set(merges.values())]);
  // Several leads of one person in a batch: one new version of the handoff with an entry for each.
  const byHandoff = new Map<number, Array<{ arrival: Arrival; target: OpenHandoffOfPerson }>>();
  for (const arrival of merged) {
    const target = targets.get(merges.get(arrival.lead.id)!);
    if (target) byHandoff.set(target.handoffId, [...(byHandoff.get(target.handoffId) ?? []), { arrival, target }]);
  }
  for (const [handoffId, group] of byHandoff) {
    const handoff = await updateHandoff(
      tx,
      handoffId,
      {},
      now,
      group.map(({ arrival }) => historyEntry(arrival, now)),
    );
    if (!handoff) continue;
    messages.push(updateMql(handoff, 'change'));
    const postLink = handoff.channel && handoff.messageTs ? messageLink(handoff.channel, handoff.messageTs) : null;
    for (const { arrival, target } of group) {
      audits.push(mergeAudit(arrival, target, actor));
      if (!handoff.claimedBy) continue;
      const text = activityDmText({ ...dmFacts(arrival), who: leadDisplayName(target), mergedFrom: arrival.lead, postLink });
      messages.push(dm(handoffId, handoff.claimedBy, text, occasion(handoffId, arrival, now)));
    }
  }

  const current = await findCurrentHandoffs(
    tx,
    owned.map((a) => a.lead.id),
  );
  for (const arrival of owned) {
    const handoff = current.get(arrival.lead.id);
    if (!handoff?.owner) continue;
    const postLink = handoff.channel && handoff.messageTs ? messageLink(handoff.channel, handoff.messageTs) : null;
    const text = activityDmText({ ...dmFacts(arrival), who: leadDisplayName(arrival.lead), postLink });
    messages.push(dm(handoff.handoffId, handoff.owner, text, occasion(handoff.handoffId, arrival, now)));
  }

  await queueMessages(tx, messages, now);
  await recordAudit(tx, audits, now);
}

const summaryOf = (arrival: Arrival) => activitySummary(arrival.newEvents, arrival.inserted);

const dmFacts = (arrival: Arrival) => ({ summary: summaryOf(arrival), scoreBefore: arrival.scoreBefore, scoreAfter: arrival.scoreAfter });

/** When the activity happened: its newest event, else (a lead that qualified on its details) now. */
function activityAt(arrival: Arrival, now: Date): Date {
  const times = arrival.newEvents.map((e) => e.occurredAt.getTime());
  return times.length ? new Date(Math.max(...times)) : now;
}

function historyEntry(arrival: Arrival, now: Date): HandoffHistoryEntry {
  return {
    kind: 'activity',
    at: activityAt(arrival, now).toISOString(),
    leadId: arrival.lead.id,
    source: arrival.lead.source,
    summary: summaryOf(arrival),
    scoreBefore: arrival.scoreBefore,
    scoreAfter: arrival.scoreAfter,
  };
}

function mergeAudit(arrival: Arrival, target: OpenHandoffOfPerson, actor: string): AuditEntry {
  const { lead } = arrival;
  return {
    actor,
    action: 'lead.merged',
    entity: 'lead',
    entityId: lead.id,
    details: {
      lead: { id: lead.id, source: lead.source, externalId: lead.externalId },
      into: { id: target.leadId, source: target.source, externalId: target.externalId, handoffId: target.handoffId },
      emailKey: target.emailKey,
      summary: summaryOf(arrival),
      scoreBefore: arrival.scoreBefore,
      scoreAfter: arrival.scoreAfter,
    },
  };
}

/** One arrival: its events (each stored once), or, without events, the moment its details came in. */
function occasion(handoffId: number, arrival: Arrival, now: Date): string {
  const what = arrival.newEvents.length
    ? arrival.newEvents
        .map((e) => `${e.type}@${e.occurredAt.toISOString()}`)
        .sort()
        .join(',')
    : `details@${now.toISOString()}`;
  const digest = createHash('sha256').update(what).digest('hex').slice(0, 20);
  return `activity:${handoffId}:${arrival.lead.id}:${digest}`;
}
