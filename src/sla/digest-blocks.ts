import type { KnownBlock } from '@slack/types';
import { context, fields, header, section, LIMITS } from '../slack/blocks.js';
import { escapeMrkdwn, formatDuration, limitList, truncate } from '../slack/mrkdwn.js';
import { messageLink } from '../slack/links.js';
import { REJECT_REASONS } from '../handoff/types.js';
import type { PeriodFigures, StalledLead } from './report.js';
import { leadDisplayName } from '../leads/display-name.js';

export interface Digest {
  /** The local date the digest is for, e.g. "Mon 23 Nov 2026". */
  dateLabel: string;
  late: { scheduledFor: string } | null;
  stalled: StalledLead[];
  lastDay: PeriodFigures;
  lastWeek: PeriodFigures;
  claimSlaMs: number;
  decisionSlaMs: number;
}

const MAX_STALLED = 10;
const MAX_REPS = 15;

const time = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));
const pct = (value: number | null) => (value === null ? '—' : `${value}%`);

export function stalledLine(s: StalledLead, d: Pick<Digest, 'claimSlaMs' | 'decisionSlaMs'>): string {
  const h = s.handoff;
  const lead = escapeMrkdwn(
    truncate(leadDisplayName({ name: h.leadName, email: h.leadEmail, company: h.leadCompany, externalId: h.leadExternalId }), 80),
  );
  const link = h.channel && h.messageTs ? `<${messageLink(h.channel, h.messageTs)}|${lead}>` : lead;
  return s.kind === 'unclaimed'
    ? `• ${link} — unclaimed for ${formatDuration(s.waitedMs)} (SLA ${formatDuration(d.claimSlaMs)})`
    : `• ${link} — claimed by <@${s.owner}> ${formatDuration(s.waitedMs)} ago, undecided (SLA ${formatDuration(d.decisionSlaMs)})`;
}

function reasonsLine(byReason: Record<string, number>): string {
  const entries = Object.entries(byReason).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return '—';
  return entries.map(([code, n]) => `${REJECT_REASONS[code as keyof typeof REJECT_REASONS] ?? escapeMrkdwn(code)} ${n}`).join(', ');
}

export function periodBlocks(title: string, f: PeriodFigures): KnownBlock[] {
  if (f.posted === 0) return [section(`*${title}:* no MQLs were posted.`)];
  const blocks: KnownBlock[] = [
    section(`*${title}*`),
    fields([
      ['MQLs posted', String(f.posted)],
      ['Claimed', String(f.claimed)],
      ['Accepted', String(f.accepted)],
      ['Rejected', `${f.rejected}${f.rejected ? ` (${reasonsLine(f.rejectedByReason)})` : ''}`],
      ['Time to claim', `median ${time(f.timeToClaim.median)} · p90 ${time(f.timeToClaim.p90)}`],
      ['Time to decide', `median ${time(f.timeToDecide.median)} · p90 ${time(f.timeToDecide.p90)}`],
      ['Claimed within SLA', pct(f.claimWithinSla)],
      ['Decided within SLA', pct(f.decisionWithinSla)],
    ]),
  ];
  if (f.reps.length) {
    const rows = limitList(
      f.reps.map(
        (r) =>
          `• <@${r.rep}> — claimed ${r.claimed}, accepted ${r.accepted}, rejected ${r.rejected}, median time to claim ${time(r.medianTimeToClaim)}`,
      ),
      MAX_REPS,
      (n) => `and ${n} more reps`,
    );
    blocks.push(section(`*By rep*\n${rows.join('\n')}`));
  }
  return blocks;
}

export function digestFallbackText(d: Digest): string {
  if (isQuiet(d)) return `MQL digest ${d.dateLabel}: nothing to report.`;
  return `MQL digest ${d.dateLabel}: ${d.stalled.length} stalled, ${d.lastDay.posted} posted in the last day.`;
}

const isQuiet = (d: Digest) => d.stalled.length === 0 && d.lastDay.posted === 0 && d.lastWeek.posted === 0;

/** The managers' digest; a day with nothing to report is one line, not empty tables. */
export function digestBlocks(d: Digest): KnownBlock[] {
  const lateNote = d.late ? ` _(late: it was due ${d.late.scheduledFor}; the bot was not running then)_` : '';
  if (isQuiet(d)) {
    return [section(`*MQL digest — ${d.dateLabel}:* nothing to report: no MQLs in the last 7 days and none stalled.${lateNote}`)];
  }
  const blocks: KnownBlock[] = [header(`MQL digest — ${d.dateLabel}`)];
  if (d.late) blocks.push(context(lateNote.trim()));
  if (d.stalled.length) {
    const lines = limitList(
      d.stalled.map((s) => stalledLine(s, d)),
      MAX_STALLED,
      (n) => `and ${n} more`,
    );
    blocks.push(section(`*Stalled leads (${d.stalled.length})*\n${lines.join('\n')}`));
  } else {
    blocks.push(section('*Stalled leads:* none. :tada:'));
  }
  blocks.push(
    { type: 'divider' },
    ...periodBlocks('Last 24 hours', d.lastDay),
    { type: 'divider' },
    ...periodBlocks('Last 7 days', d.lastWeek),
  );
  return blocks.slice(0, LIMITS.blocks);
}
