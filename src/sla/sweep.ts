import type { Deps } from '../deps.js';
import { claimJobRun, pruneJobRuns } from '../../db/queries/job-runs.js';
import { listOpenHandoffs, type OpenHandoffRow } from '../../db/queries/handoffs-sla.js';
import { recordNewSlaNotices, slaNoticeGiven } from '../../db/queries/sla-notices.js';
import { applyHandoffAction } from '../handoff/service.js';
import { channelMessage, queueMessages, threadReply, type OutboxMessage } from '../outbox/messages.js';
import { escapeMrkdwn, formatDuration } from '../slack/mrkdwn.js';
import { actions, button, section } from '../slack/blocks.js';
import { ACTIONS } from '../handoff/types.js';
import { messageLink } from '../slack/links.js';
import { escalationMessage } from './escalation.js';
import { AUTO_RELEASE_ACTOR } from './holds.js';
import { slaActions, slaPolicyOf, type SlaAction, type SlaPolicy } from './policy.js';
import { pastSlaLead, type StalledLead } from './report.js';
import { leadDisplayName } from '../leads/display-name.js';
import { offerNext } from '../routing/offer-service.js';
import { recordNewBreaches } from './breach-events.js';

const leadOf = (h: OpenHandoffRow) => ({ name: h.leadName, email: h.leadEmail, company: h.leadCompany, externalId: h.leadExternalId });

/** After a release the claim clock restarted; the reminder says the whole wait, as the post and the digest do. */
function waitedInTotal(h: OpenHandoffRow, action: SlaAction, now: Date): string {
  const waited = formatDuration(action.waitedMs);
  const released = h.postedAt && h.claimableSince && h.claimableSince > h.postedAt;
  return released ? `${formatDuration(now.getTime() - h.postedAt!.getTime())} in total, ${waited} since it was released,` : waited;
}

/** The rep's reminders, one per lead; escalations are batched per manager (`escalate`). */
function reminderMessages(h: OpenHandoffRow, action: SlaAction, policy: SlaPolicy, now: Date): OutboxMessage[] {
  const link = `<${messageLink(h.channel!, h.messageTs!)}|the post>`;
  const waited = formatDuration(action.waitedMs);
  switch (action.kind) {
    case 'claim_reminder':
      return [
        threadReply(
          h.id,
          `<!here> This lead has waited ${waitedInTotal(h, action, now)} without an owner (claim SLA ${formatDuration(policy.claimSlaMs)}). Who can take it?`,
          action.key,
        ),
      ];
    case 'decision_reminder': {
      const text = `:alarm_clock: You have held *${escapeMrkdwn(leadDisplayName(leadOf(h)))}* for ${waited} without a decision. Please accept or reject it (decision SLA ${formatDuration(policy.decisionSlaMs)}): ${link}`;
      // The post's own buttons, so the reminder can be acted on where it is read (the listeners take them from anywhere).
      const id = String(h.id);
      const buttons = actions(
        [
          button('Accept', ACTIONS.accept, id, 'primary'),
          button('Reject', ACTIONS.reject, id, 'danger'),
          button('Release', ACTIONS.release, id),
        ],
        `handoff:${id}`,
      );
      return [channelMessage({ channel: action.owner, text, blocks: [section(text), buttons] }, `${action.key}:${action.owner}`)];
    }
    case 'auto_release':
      return [
        threadReply(
          h.id,
          `<!here> Released back to the channel: <@${action.owner}> did not decide within ${formatDuration(3 * policy.decisionSlaMs)}. Who can take it?`,
          action.key,
        ),
      ];
    default:
      return [];
  }
}

interface Due {
  h: OpenHandoffRow;
  action: SlaAction;
}

/**
 * One message per manager listing the leads newly past twice their SLA. Each lead is escalated once per
 * clock: its notice (the action's key) is recorded in the same transaction that queues the messages, so a
 * crash gives either both or neither, and a lead already escalated is left out of later batches.
 */
async function escalate(deps: Deps, escalations: Due[], minute: Date, now: Date, policy: SlaPolicy): Promise<number> {
  if (escalations.length === 0) return 0;
  const managers = await deps.roles.members('manager');
  // Nobody to tell (none configured, or the roles can't be read): give no notice, so it is given once someone can get it.
  if (managers.length === 0) return 0;
  return deps.database.db.transaction(async (tx) => {
    const fresh = await recordNewSlaNotices(
      tx,
      escalations.map((e) => e.action.key),
      now,
    );
    const leads = escalations
      .filter((e) => fresh.has(e.action.key))
      .flatMap(({ h }): StalledLead[] => {
        const lead = pastSlaLead({ ...h, postedAt: h.postedAt!, lead: leadOf(h) }, now, policy);
        return lead ? [lead] : [];
      });
    if (leads.length === 0) return 0;
    const message = escalationMessage(leads, policy);
    const messages = managers.map((m) => channelMessage({ channel: m, ...message }, `escalation:${minute.toISOString()}:${m}`));
    return (await queueMessages(tx, messages, now)).length;
  });
}

/**
 * With REASSIGN_ON_CLAIM_SLA, a routed lead unclaimed past its claim SLA is offered to its team's next eligible rep
 * instead of only pinging the thread (once per claim clock: the reminder's key); false when nobody could take it.
 */
async function offeredOnClaimSla(deps: Deps, h: OpenHandoffRow, action: SlaAction, policy: SlaPolicy, now: Date): Promise<boolean> {
  // Every later minute of the same clock finds its notice given: no team lookups, no Slack calls, no lock.
  if (await slaNoticeGiven(deps.database.db, action.key)) return false;
  const reply = threadReply(h.id, `Unclaimed for ${formatDuration(policy.claimSlaMs)}: offered to the next rep.`, action.key);
  const step = await offerNext(deps, h.id, { expected: null, claimSla: { key: action.key, alsoQueue: [reply] } }, now);
  return step === 'offered';
}

export interface SweepResult {
  ran: boolean;
  queued: number;
  released: number;
}

/**
 * The minute's SLA sweep: queues every reminder that is due (each once, by its outbox key), one escalation
 * per manager for the leads newly past twice their SLA, and auto-releases stale claims when enabled. One
 * replica runs a given minute (job_runs).
 */
export async function runSlaSweep(deps: Deps, now: Date): Promise<SweepResult> {
  const db = deps.database.db;
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  if (!(await claimJobRun(db, 'sla_sweep', minute.toISOString(), now))) return { ran: false, queued: 0, released: 0 };
  await pruneJobRuns(db, 'sla_sweep', new Date(now.getTime() - 2 * 24 * 3600_000));

  const policy = slaPolicyOf(deps.config.sla);
  const due: Due[] = (await listOpenHandoffs(db)).flatMap((h) =>
    slaActions({ ...h, claimableSince: h.claimableSince ?? h.postedAt! }, now, policy).map((action) => ({ h, action })),
  );
  let queued = await escalate(
    deps,
    due.filter(({ action }) => action.kind.endsWith('escalation')),
    minute,
    now,
    policy,
  );
  const breaches = await recordNewBreaches(db, due, policy, now);
  for (const { sla } of breaches) deps.metrics.slaBreaches.inc({ sla });
  let released = 0;
  for (const { h, action } of due) {
    const messages = reminderMessages(h, action, policy, now);
    if (action.kind === 'claim_reminder') {
      // While a lead goes round its team nobody else may claim it: "who can take it?" waits until it is open to all.
      if (h.offerMode || h.hasOpenOffer) continue;
      if (deps.config.routing.reassignOnClaimSla && h.routeName && (await offeredOnClaimSla(deps, h, action, policy, now))) {
        queued++;
        continue;
      }
    }
    if (action.kind === 'auto_release') {
      // The release and its note in the thread happen together or not at all.
      const outcome = await applyHandoffAction(deps, {
        handoffId: h.id,
        actor: { userId: AUTO_RELEASE_ACTOR, isManager: true },
        command: { action: 'release' },
        now,
        alsoQueue: messages,
      });
      if (outcome.ok) {
        released++;
        queued += messages.length;
        // A routed lead released goes on to its team's next rep.
        deps.wakeRouter();
      }
    } else if (messages.length) {
      queued += (await queueMessages(db, messages, now)).length;
    }
  }
  if (queued || breaches.length) deps.wakeOutbox();
  return { ran: true, queued, released };
}
