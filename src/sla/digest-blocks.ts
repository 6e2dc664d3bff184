import type { KnownBlock } from '@slack/types';
import type { UnpostedLead } from '../../db/queries/handoffs-reports.js';
import { funnelSection } from '../funnel/blocks.js';
import type { Funnel } from '../funnel/funnel.js';
import { routingCountsBlocks, type RoutingFigures } from '../routing/figures.js';
import { context, header, section, LIMITS } from '../slack/blocks.js';
import { counted, listSection, stalledSection, unpostedLine } from './lead-lines.js';
import { periodBlocks, periodLine } from './period-blocks.js';
import type { PeriodFigures, StalledLead } from './report.js';

export interface Digest {
  /** The local date the digest is for, e.g. "Mon 23 Nov 2026". */
  dateLabel: string;
  /** A digest posted after its slot; `botWasDown` only when no process of the bot was running at the slot. */
  late: { scheduledFor: string; botWasDown: boolean } | null;
  /** Posted leads still open, by state. */
  open: { unclaimed: number; undecided: number };
  stalled: StalledLead[];
  unposted: UnpostedLead[];
  lastDay: PeriodFigures;
  dayBefore: PeriodFigures;
  lastWeek: PeriodFigures;
  weekBefore: PeriodFigures;
  /** The offers made to reps in the last 24 hours; null when none were (claim-only installs). */
  routing: RoutingFigures | null;
  /** The MQLs of the last 30 days by criteria version, followed to today. */
  funnel: Funnel;
  claimSlaMs: number;
  decisionSlaMs: number;
}

const MAX_STALLED = 10;
const MAX_UNPOSTED = 10;
const MAX_VERSIONS = 5;
/** The funnel looks back further than the day: deals take weeks, and a criteria version needs MQLs to judge. */
export const FUNNEL_DAYS = 30;

export function digestFallbackText(d: Digest): string {
  if (isQuiet(d)) return `MQL digest ${d.dateLabel}: nothing to report.`;
  const unposted = d.unposted.length ? `, ${d.unposted.length} could not be posted` : '';
  return `MQL digest ${d.dateLabel}: ${counted(d.stalled.length, 'lead')} stalled${unposted}, ${counted(d.lastDay.posted, 'MQL')} posted in the last 24 hours.`;
}

const isQuiet = (d: Digest) =>
  d.stalled.length === 0 && d.unposted.length === 0 && d.open.unclaimed + d.open.undecided === 0 && d.lastWeek.posted === 0;

function lateNote(late: NonNullable<Digest['late']>): string {
  const why = late.botWasDown
    ? 'the bot was not running then'
    : 'the bot was running, but its clock moved past that time between two of its runs';
  return `_(late: it was due ${late.scheduledFor}; ${why})_`;
}

function openLeadsBlock(d: Digest): KnownBlock {
  const counts: [number, string][] = [
    [d.open.unclaimed, 'unclaimed'],
    [d.open.undecided, 'claimed, undecided'],
    [d.unposted.length, 'could not be posted'],
  ];
  const total = counts.reduce((sum, [n]) => sum + n, 0);
  // Only the states that hold a lead: "0 could not be posted" is noise a manager has to read past.
  const parts = counts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return section(`*Open leads: ${total}*${parts.length ? ` — ${parts.join(' · ')}` : ''}`);
}

function stalledBlocks(d: Digest): KnownBlock[] {
  if (d.stalled.length === 0) return [section('*Stalled leads:* none. :tada:')];
  const shown = d.stalled.slice(0, MAX_STALLED).map((s) => stalledSection(s, d));
  const more = d.stalled.length - shown.length;
  return [
    section(`*Stalled leads (${d.stalled.length})* — past their SLA, longest-waiting first; *Assign* gives one to a rep:`),
    ...shown,
    ...(more ? [context(`and ${more} more: \`/mql stalled\` lists them all`)] : []),
  ];
}

function unpostedBlocks(d: Digest): KnownBlock[] {
  if (d.unposted.length === 0) return [];
  const heading = `*Could not be posted (${d.unposted.length})* — nobody can see or claim these leads:`;
  return [listSection(heading, d.unposted.map(unpostedLine), MAX_UNPOSTED)];
}

/** The week under the day: one comparison line, or a note when it holds nothing the day's figures don't. */
function weekBlock(d: Digest): KnownBlock {
  if (d.lastWeek.posted === 0) return section('*Last 7 days:* no MQLs were posted.');
  if (JSON.stringify(d.lastWeek) === JSON.stringify(d.lastDay)) {
    return context('*Last 7 days:* the same figures as the last 24 hours (no MQLs before that).');
  }
  return section(periodLine('Last 7 days', d.lastWeek, { label: '7 days before', figures: d.weekBefore }));
}

/** The managers' digest: what to act on first (open, stalled, unposted leads), then the figures; a quiet day is one line. */
export function digestBlocks(d: Digest): KnownBlock[] {
  const late = d.late ? ` ${lateNote(d.late)}` : '';
  if (isQuiet(d)) {
    return [section(`*MQL digest — ${d.dateLabel}:* nothing to report: no MQLs in the last 7 days and none open.${late}`)];
  }
  const blocks: KnownBlock[] = [
    header(`MQL digest — ${d.dateLabel}`),
    ...(d.late ? [context(lateNote(d.late))] : []),
    openLeadsBlock(d),
    ...stalledBlocks(d),
    ...unpostedBlocks(d),
    { type: 'divider' },
    ...periodBlocks('Last 24 hours', d.lastDay, { label: 'previous 24 hours', figures: d.dayBefore }),
    weekBlock(d),
    ...(d.routing ? routingCountsBlocks('Routing, last 24 hours', d.routing) : []),
  ];
  const funnel = funnelSection(`Funnel, MQLs of the last ${FUNNEL_DAYS} days`, d.funnel, MAX_VERSIONS);
  if (funnel) blocks.push(funnel);
  return blocks.slice(0, LIMITS.blocks);
}
