import type { Db, Tx } from '../../db/client.js';
import { recordAudit } from '../../db/queries/audit-log.js';
import {
  findHandoff,
  findHandoffLead,
  lockHandoff,
  updateHandoff,
  type HandoffChanges,
  type HandoffRow,
} from '../../db/queries/handoffs.js';
import { closeOffer, findOpenOffer, findRouteOf, lockOpenOffer, offerAudit, type OfferRow } from '../../db/queries/offers.js';
import { setLeadStage } from '../../db/queries/leads.js';
import type { LeadStage } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import type { HandoffHistoryEntry } from '../../db/types.js';
import { leadDisplayName } from '../leads/display-name.js';
import { claimedDm, dm, queueMessages, updateMql, type OutboxMessage } from '../outbox/messages.js';
import { messageLink } from '../slack/links.js';
import { escapeMrkdwn } from '../slack/mrkdwn.js';
import { judge, ranOut, type Actor, type HandoffAction, type Offering } from './rules.js';
import { stateOf, type RejectReason } from './types.js';
import { emitWebhookEvents, handoffSubjects } from '../webhooks/emit.js';
import { retryOnDeadlock } from '../../db/deadlock.js';

export type HandoffCommand =
  | { action: 'claim' }
  | { action: 'accept' }
  | { action: 'reject'; reason: RejectReason; note: string | null }
  | { action: 'release' }
  | { action: 'reassign'; to: string };

export type HandoffOutcome = { ok: true; handoff: HandoffRow } | { ok: false; message: string; handoff?: HandoffRow };

/** What handoff actions need from the app: its database, and the refreshes it already queued. */
export type HandoffDeps = Pick<Deps, 'database' | 'refreshesQueued'>;

/**
 * The outbox key already makes a refresh happen once per version; remembering what this app queued spares
 * the database the same insert from every other stale click of a rush. Per app, not per process: another
 * database (a restart on a fresh one, a test) reuses handoff ids and versions, and its refresh is still due.
 */
async function queueRefreshOnce(deps: HandoffDeps, db: Db | Tx, handoff: HandoffRow, now: Date): Promise<void> {
  const message = updateMql(handoff, 'refresh');
  const queued = deps.refreshesQueued;
  if (queued.has(message.dedupeKey)) return;
  await queueMessages(db, [message], now);
  if (queued.size >= 10_000) queued.clear();
  queued.add(message.dedupeKey);
}

interface Plan {
  changes: HandoffChanges;
  stage: LeadStage;
  /** What the change erases from the handoff's current state, kept in its history for the post. */
  history?: HandoffHistoryEntry;
}

function plan(command: HandoffCommand, actor: Actor, before: HandoffRow, now: Date): Plan {
  switch (command.action) {
    case 'claim':
      return { changes: { claimedBy: actor.userId, claimedAt: now }, stage: 'claimed' };
    case 'accept':
      return { changes: { decision: 'accepted', decidedBy: actor.userId, decidedAt: now }, stage: 'accepted' };
    case 'reject':
      return {
        changes: { decision: 'rejected', reasonCode: command.reason, note: command.note, decidedBy: actor.userId, decidedAt: now },
        stage: 'nurture',
      };
    case 'release':
      // The claim clock starts again: the lead is back in the channel, waiting for someone.
      return {
        changes: { claimedBy: null, claimedAt: null, claimableSince: now },
        stage: 'mql',
        history: {
          kind: 'released',
          at: now.toISOString(),
          by: actor.userId,
          holder: before.claimedBy!,
          heldMs: before.claimedAt ? now.getTime() - before.claimedAt.getTime() : 0,
        },
      };
    case 'reassign':
      return {
        changes: { claimedBy: command.to, claimedAt: now },
        stage: 'claimed',
        history: { kind: 'reassigned', at: now.toISOString(), by: actor.userId, from: before.claimedBy, to: command.to },
      };
  }
}

/** Tells whoever held a lead before a manager reassigned it that they no longer do. */
async function toldPreviousOwner(tx: Tx, before: HandoffRow, after: HandoffRow, actor: Actor): Promise<OutboxMessage[]> {
  const previous = before.claimedBy;
  if (!previous || previous === actor.userId || previous === after.claimedBy) return [];
  const lead = await findHandoffLead(tx, after.id);
  const name = lead ? `*${escapeMrkdwn(leadDisplayName(lead))}*` : 'a lead';
  const link = after.channel && after.messageTs ? ` (<${messageLink(after.channel, after.messageTs)}|the post>)` : '';
  const text = `<@${actor.userId}> reassigned ${name}${link} to <@${after.claimedBy}>; you no longer hold it.`;
  return [dm(after.id, previous, text, `reassigned:${after.id}:v${after.version}`)];
}

/**
 * What a change does to the lead's offers: a claim ends them, a manager's assignment withdraws the open one,
 * and a release of a lead routed to a team offers it on to the next rep not offered it yet (the router does).
 */
async function offerChanges(tx: Tx, before: HandoffRow, input: LockedChange): Promise<Pick<HandoffChanges, 'offerMode'>> {
  const { command, openOffer, now } = input;
  if (command.action === 'release') {
    const route = await findRouteOf(tx, before);
    return route?.team && route.mode !== 'claim' ? { offerMode: 'round-robin' } : {};
  }
  if (command.action === 'reassign' && openOffer) {
    const withdrawn = (await closeOffer(tx, openOffer.id, 'withdrawn', now))!;
    await recordAudit(tx, [offerAudit(withdrawn, 'withdrawn', input.actor.userId, { why: 'reassigned', to: command.to })], now);
  }
  return (command.action === 'claim' || command.action === 'reassign') && before.offerMode ? { offerMode: null } : {};
}

interface LockedChange {
  actor: Actor;
  command: HandoffCommand;
  now: Date;
  alsoQueue?: OutboxMessage[];
  /** The handoff's open offer, locked with it. */
  openOffer?: OfferRow;
  /** The offer a claim accepts: its DM becomes the claim DM, so none is sent besides. */
  accepting?: OfferRow;
}

/** Changes a handoff the caller's transaction has locked and judged: the handoff, the lead's stage, the audit log and the outbox. */
async function applyLocked(tx: Tx, before: HandoffRow, input: LockedChange): Promise<HandoffRow> {
  const { actor, command, now } = input;
  const { changes, stage, history } = plan(command, actor, before, now);
  if (changes.claimedBy && !before.firstClaimedAt) changes.firstClaimedAt = now;
  Object.assign(changes, await offerChanges(tx, before, input));
  // The row is locked by the caller, so it is still there.
  const after = (await updateHandoff(tx, before.id, changes, now, history ? [history] : []))!;
  await setLeadStage(tx, after.leadId, stage, now);
  await record(tx, before, after, command, actor, now);
  await tellCrm(tx, before, after, command, actor, now);
  const messages = [updateMql(after, 'change'), ...(input.alsoQueue ?? [])];
  if (command.action === 'claim' && !input.accepting) messages.push(claimedDm(after, actor.userId));
  if (command.action === 'reassign') messages.push(claimedDm(after, command.to), ...(await toldPreviousOwner(tx, before, after, actor)));
  await queueMessages(tx, messages, now);
  return after;
}

/**
 * The rep a lead is offered to takes it (Accept in the offer DM, or their own Claim click): the offer is accepted
 * and the lead claimed in one step. The caller's transaction holds the handoff's lock, then the offer's.
 */
export async function acceptOffer(tx: Tx, before: HandoffRow, offer: OfferRow, actor: Actor, now: Date): Promise<HandoffOutcome> {
  if (offer.expiresAt <= now) return { ok: false, message: ranOut(offer), handoff: before };
  const accepted = (await closeOffer(tx, offer.id, 'accepted', now))!;
  await recordAudit(tx, [offerAudit(accepted, 'accepted', actor.userId, { waitedMs: now.getTime() - offer.offeredAt.getTime() })], now);
  return { ok: true, handoff: await applyLocked(tx, before, { actor, command: { action: 'claim' }, now, accepting: accepted }) };
}

/**
 * Applies a rep's or manager's action to a handoff: checks it against the rules under a row lock, then
 * changes the handoff, the lead's stage, the audit log and the outbox in one transaction. A refused or
 * stale action changes nothing but queues a refresh of the post, so an outdated message corrects itself.
 */
export async function applyHandoffAction(
  deps: HandoffDeps,
  input: {
    handoffId: number;
    actor: Actor;
    command: HandoffCommand;
    now: Date;
    /** More messages that belong to this change (e.g. an auto-release's note in the thread): queued with it. */
    alsoQueue?: OutboxMessage[];
  },
): Promise<HandoffOutcome> {
  const { handoffId, actor, command, now } = input;
  const db = deps.database.db;
  // Most clicks in a rush lose (the lead is already claimed): answer those from one plain read, without a
  // transaction or a lock, so they cost the database — and, on embedded PGlite, the event loop — little.
  const seen = await findHandoff(db, handoffId);
  if (!seen) return GONE;
  const seenOffer = seen.offerMode && command.action === 'claim' ? await findOpenOffer(db, handoffId) : undefined;
  // Its refresh of a stale post can meet the same refresh of another stale click, inserted inside that click's
  // transaction: Postgres then aborts one of the two inserts as a deadlock. The insert is idempotent; run it again.
  const early = await retryOnDeadlock(() => refusal(deps, db, { ...seen, openOffer: seenOffer }, input));
  if (early) return early;
  // It looked allowed: decide again under the row lock, since another click may have won meanwhile. Under a
  // burst on Postgres two such transactions can deadlock on their outbox keys; the one aborted simply runs again.
  return retryOnDeadlock(() =>
    db.transaction(async (tx) => {
      const before = await lockHandoff(tx, handoffId);
      if (!before) return GONE;
      const openOffer = before.offerMode ? await lockOpenOffer(tx, handoffId) : undefined;
      const refused = await refusal(deps, tx, { ...before, openOffer }, input);
      if (refused) return refused;
      if (command.action === 'reassign' && command.to === before.claimedBy) {
        return { ok: false, message: `<@${command.to}> already has this lead.`, handoff: before };
      }
      // The rules let only the rep it is offered to claim a lead on offer: for them, claiming is accepting.
      if (command.action === 'claim' && openOffer) return acceptOffer(tx, before, openOffer, actor, now);
      return { ok: true, handoff: await applyLocked(tx, before, { ...input, openOffer }) };
    }),
  );
}

const GONE: HandoffOutcome = { ok: false, message: 'This lead is no longer known to the bot.' };

/** Why this action can't happen to this handoff (a stale click also queues a refresh of the post), or null. */
async function refusal(
  deps: HandoffDeps,
  db: Db | Tx,
  handoff: HandoffRow & Offering,
  input: { actor: Actor; command: HandoffCommand; now: Date },
): Promise<HandoffOutcome | null> {
  const verdict = judge(handoff, input.command.action, input.actor);
  if (verdict.ok) return null;
  if (verdict.stale) await queueRefreshOnce(deps, db, handoff, input.now);
  return { ok: false, message: verdict.message, handoff };
}

/** The change as a webhook event (handoff.claimed, .accepted, …), written with it. */
function tellCrm(tx: Tx, before: HandoffRow, after: HandoffRow, command: HandoffCommand, actor: Actor, now: Date) {
  const type = `handoff.${PAST[command.action]}` as const;
  return emitWebhookEvents(tx, now, async () => {
    const subject = (await handoffSubjects(tx, [after.id])).get(after.id);
    if (!subject) return [];
    const previousOwner = command.action === 'claim' ? null : before.claimedBy;
    const data = { ...subject, actor: actor.userId, previousOwner };
    return [{ type, key: `${type}:${after.id}:v${after.version}`, leadId: after.leadId, occurredAt: now, data }];
  });
}

const PAST = { claim: 'claimed', accept: 'accepted', reject: 'rejected', release: 'released', reassign: 'reassigned' } as const;

function record(tx: Tx, before: HandoffRow, after: HandoffRow, command: HandoffCommand, actor: Actor, now: Date) {
  const { action, ...details } = command;
  return recordAudit(
    tx,
    [
      {
        actor: actor.userId,
        action: `handoff.${action satisfies HandoffAction}`,
        entity: 'handoff',
        entityId: after.id,
        fromState: stateOf(before),
        toState: stateOf(after),
        details: {
          leadId: after.leadId,
          ...details,
          ...(before.claimedBy && action !== 'claim' ? { previousOwner: before.claimedBy } : {}),
        },
      },
    ],
    now,
  );
}
