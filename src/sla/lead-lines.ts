/** How SLA messages (digest, escalations, `/mql stalled`) name a lead that needs someone: pure text and blocks. */
import type { SectionBlock } from '@slack/types';
import type { UnpostedLead } from '../../db/queries/handoffs-reports.js';
import { ACTIONS } from '../handoff/types.js';
import { leadDisplayName } from '../leads/display-name.js';
import { button, LIMITS, section } from '../slack/blocks.js';
import { messageLink } from '../slack/links.js';
import { escapeMrkdwn, formatDuration, truncate } from '../slack/mrkdwn.js';
import type { StalledLead } from './report.js';

/** "1 lead", "2 leads". */
export const counted = (n: number, noun: string, plural = `${noun}s`) => `${n} ${n === 1 ? noun : plural}`;

export interface SlaSettings {
  claimSlaMs: number;
  decisionSlaMs: number;
}

const leadName = (s: Pick<StalledLead, 'lead'>) => escapeMrkdwn(truncate(leadDisplayName(s.lead), 80));

/** The lead's name, linked to its post when it has one. */
export function linkedLead(s: Pick<StalledLead, 'lead' | 'channel' | 'messageTs'>): string {
  const name = leadName(s);
  return s.channel && s.messageTs ? `<${messageLink(s.channel, s.messageTs)}|${name}>` : name;
}

/**
 * A stalled lead in one line: who has it (or nobody), how long on the running clock, and how long in total
 * since the first post when a release restarted the claim clock or a claim started the decision clock.
 */
export function stalledText(s: StalledLead, sla: SlaSettings): string {
  const total = `waited ${formatDuration(s.totalWaitedMs)} in total`;
  if (s.kind === 'undecided') {
    return `${linkedLead(s)} — owner: <@${s.owner}> · undecided for ${formatDuration(s.waitedMs)} (decision SLA ${slaAndOverrun(s.waitedMs, sla.decisionSlaMs)}) · ${total}`;
  }
  const waiting = s.sinceRelease
    ? `${total}; unclaimed again for ${formatDuration(s.waitedMs)} since a release`
    : `unclaimed for ${formatDuration(s.waitedMs)}`;
  return `${linkedLead(s)} — owner: nobody · ${waiting} (claim SLA ${slaAndOverrun(s.waitedMs, sla.claimSlaMs)})`;
}

/**
 * "1 d, 16 min over" when the wait reads like the SLA: durations are shown in two units, so a lead 16 min
 * past a 1 d SLA would read "undecided for 1 d (SLA 1 d)", as if on time.
 */
function slaAndOverrun(waitedMs: number, slaMs: number): string {
  const sla = formatDuration(slaMs);
  const over = waitedMs - slaMs;
  return over >= 1000 && formatDuration(waitedMs) === sla ? `${sla}, ${formatDuration(over)} over` : sla;
}

export const stalledLine = (s: StalledLead, sla: SlaSettings) => `• ${stalledText(s, sla)}`;

/** A stalled lead with an **Assign** button (the reassign modal; managers only, as on the post). */
export function stalledSection(s: StalledLead, sla: SlaSettings): SectionBlock {
  return { ...section(stalledText(s, sla)), accessory: button('Assign', ACTIONS.reassign, String(s.handoffId)) };
}

/** A lead whose post Slack refused: for good, or held until the bot's setup is fixed. */
export function unpostedLine(u: UnpostedLead): string {
  const name = escapeMrkdwn(
    truncate(leadDisplayName({ name: u.leadName, email: u.leadEmail, company: u.leadCompany, externalId: u.leadExternalId }), 80),
  );
  const reason = escapeMrkdwn(truncate(u.reason, 300));
  return u.state === 'failed'
    ? `• ${name} — could not be posted: ${reason}`
    : `• ${name} — could not be posted: ${reason} (held: it is posted once the bot's setup is fixed)`;
}

/** A heading and as many of the lines (at most `maxLines`) as fit in one section, then "and N more". */
export function listSection(heading: string, lines: string[], maxLines: number): SectionBlock {
  const text = (shown: number) =>
    [heading, ...lines.slice(0, shown), ...(shown < lines.length ? [`and ${lines.length - shown} more`] : [])].join('\n');
  let shown = Math.min(maxLines, lines.length);
  while (shown > 0 && text(shown).length > LIMITS.sectionText) shown--;
  return section(text(shown));
}
