/** The funnel as Slack reads it (`/mql funnel`, `/mql stats`, the digest): one line per group. Pure. */
import type { KnownBlock, SectionBlock } from '@slack/types';
import { context, section } from '../slack/blocks.js';
import { escapeMrkdwn, formatDuration, truncate } from '../slack/mrkdwn.js';
import { counted, listSection } from '../sla/lead-lines.js';
import type { Funnel, FunnelFigures, FunnelGrouping } from './funnel.js';

const GROUPING_LABEL: Record<FunnelGrouping, string> = {
  version: 'criteria version',
  source: 'source',
  rep: 'rep',
  route: 'route',
};

/** What the figures count, said once under them. */
const FUNNEL_NOTE =
  'MQLs that qualified in the period, followed to today. % is of the step before; times are medians from the step before. A CRM outcome counts over the rep’s decision (an opportunity was an SQL).';

const pct = (value: number | null) => (value === null ? '—' : `${value}%`);

function groupLabel(by: FunnelGrouping, key: string): string {
  if (by === 'version') return `v${key}`;
  if (by === 'rep' && /^[UW][A-Z0-9]+$/.test(key)) return `<@${key}>`;
  return escapeMrkdwn(truncate(key, 80));
}

/** "40 MQLs → 22 SQL (55%) → 9 opp (41%) → 4 won (44%) · 10% overall · median 2 h to SQL, 3 d to opp, 12 d to won". */
export function funnelText(f: FunnelFigures): string {
  const steps = [
    counted(f.mqls, 'MQL'),
    `${f.accepted} SQL (${pct(f.rates.mqlToSql)})`,
    `${f.opportunities} opp (${pct(f.rates.sqlToOpportunity)})`,
    `${f.won} won (${pct(f.rates.opportunityToWon)})`,
  ].join(' → ');
  const times = (
    [
      [f.medianMs.mqlToSql, 'to SQL'],
      [f.medianMs.sqlToOpportunity, 'to opp'],
      [f.medianMs.opportunityToWon, 'to won'],
    ] as const
  ).flatMap(([ms, step]) => (ms === null ? [] : [`${formatDuration(ms)} ${step}`]));
  return `${steps} · ${pct(f.rates.mqlToWon)} overall${times.length ? ` · median ${times.join(', ')}` : ''}`;
}

/** The totals then one line per group (at most `maxGroups`, then "and N more"); null when no MQL qualified. */
export function funnelSection(title: string, funnel: Funnel, maxGroups: number): SectionBlock | null {
  if (funnel.total.mqls === 0) return null;
  const heading = `*${title}, by ${GROUPING_LABEL[funnel.by]}*\n*All*: ${funnelText(funnel.total)}`;
  const lines = funnel.groups.map((g) => `• *${groupLabel(funnel.by, g.key)}*: ${funnelText(g)}`);
  return listSection(heading, lines, maxGroups);
}

/** The funnel with a note on what it counts, or one line saying there were no MQLs. */
export function funnelBlocks(title: string, funnel: Funnel, maxGroups = 25): KnownBlock[] {
  const figures = funnelSection(title, funnel, maxGroups);
  return figures ? [figures, context(FUNNEL_NOTE)] : [section(`*${title}:* no MQLs qualified in this period.`)];
}

/** The reply's plain text: the totals in words. */
export function funnelFallbackText(title: string, funnel: Funnel): string {
  const t = funnel.total;
  if (t.mqls === 0) return `${title}: no MQLs qualified in this period.`;
  return `${title}: ${counted(t.mqls, 'MQL')} → ${t.accepted} SQL → ${counted(t.opportunities, 'opportunity', 'opportunities')} → ${t.won} won.`;
}
