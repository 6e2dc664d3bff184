import type { Deps } from '../deps.js';
import { claimJobRun, pruneJobRuns } from '../../db/queries/job-runs.js';
import { listOpenHandoffs, type OpenHandoffRow } from '../../db/queries/handoffs-sla.js';
import { applyHandoffAction } from '../handoff/service.js';
import { dm as dmMessage, queueMessages, threadReply, type OutboxMessage } from '../outbox/messages.js';
import { escapeMrkdwn, formatDuration } from '../slack/mrkdwn.js';
import { messageLink } from '../slack/links.js';
import { slaActions, slaPolicyOf, type SlaAction, type SlaPolicy } from './policy.js';
import { leadDisplayName } from '../leads/display-name.js';

export const AUTO_RELEASE_ACTOR = 'system:auto-release';

const leadLabel = (h: OpenHandoffRow) =>
  escapeMrkdwn(leadDisplayName({ name: h.leadName, email: h.leadEmail, company: h.leadCompany, externalId: h.leadExternalId }));

function messagesFor(h: OpenHandoffRow, action: SlaAction, policy: SlaPolicy, managers: string[]): OutboxMessage[] {
  const link = `<${messageLink(h.channel!, h.messageTs!)}|the post>`;
  const waited = formatDuration(action.waitedMs);
  const thread = (text: string) => threadReply(h.id, text, action.key);
  const dm = (user: string, text: string) => dmMessage(h.id, user, text, action.key);
  switch (action.kind) {
    case 'claim_reminder':
      return [
        thread(
          `<!here> This lead has waited ${waited} without an owner (claim SLA ${formatDuration(policy.claimSlaMs)}). Who can take it?`,
        ),
      ];
    case 'claim_escalation':
      return managers.map((m) =>
        dm(
          m,
          `:rotating_light: ${leadLabel(h)} has waited ${waited} unclaimed, over twice the ${formatDuration(policy.claimSlaMs)} claim SLA: ${link}`,
        ),
      );
    case 'decision_reminder':
      return [
        dm(
          action.owner,
          `:alarm_clock: You claimed ${leadLabel(h)} ${waited} ago. Please accept or reject it (decision SLA ${formatDuration(policy.decisionSlaMs)}): ${link}`,
        ),
      ];
    case 'decision_escalation':
      return managers.map((m) =>
        dm(
          m,
          `:rotating_light: <@${action.owner}> claimed ${leadLabel(h)} ${waited} ago and has not decided, over twice the ${formatDuration(policy.decisionSlaMs)} decision SLA: ${link}`,
        ),
      );
    case 'auto_release':
      return [
        thread(
          `<!here> Released back to the channel: <@${action.owner}> did not decide within ${formatDuration(3 * policy.decisionSlaMs)}. Who can take it?`,
        ),
      ];
  }
}

export interface SweepResult {
  ran: boolean;
  queued: number;
  released: number;
}

/**
 * The minute's SLA sweep: queues every reminder and escalation that is due (each once, by its outbox key)
 * and auto-releases stale claims when enabled. One replica runs a given minute (job_runs).
 */
export async function runSlaSweep(deps: Deps, now: Date): Promise<SweepResult> {
  const db = deps.database.db;
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  if (!(await claimJobRun(db, 'sla_sweep', minute.toISOString(), now))) return { ran: false, queued: 0, released: 0 };
  await pruneJobRuns(db, 'sla_sweep', new Date(now.getTime() - 2 * 24 * 3600_000));

  const policy = slaPolicyOf(deps.config.sla);
  const due = (await listOpenHandoffs(db)).flatMap((h) =>
    slaActions({ ...h, claimableSince: h.claimableSince ?? h.postedAt! }, now, policy).map((action) => ({ h, action })),
  );
  const managers = due.some(({ action }) => action.kind.endsWith('escalation')) ? await deps.roles.members('manager') : [];
  let queued = 0;
  let released = 0;
  for (const { h, action } of due) {
    const messages = messagesFor(h, action, policy, managers);
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
      }
      continue;
    }
    queued += (await queueMessages(db, messages, now)).length;
  }
  if (queued) deps.wakeOutbox();
  return { ran: true, queued, released };
}
