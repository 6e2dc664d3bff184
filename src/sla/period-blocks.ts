/** A period's figures as Block Kit (`/mql stats`, the digest), with the change against the period before. Pure. */
import type { KnownBlock } from '@slack/types';
import { REJECT_REASONS } from '../handoff/types.js';
import { context, fields, section } from '../slack/blocks.js';
import { escapeMrkdwn, formatDuration, limitList } from '../slack/mrkdwn.js';
import { counted } from './lead-lines.js';
import type { PeriodFigures, RepFigures } from './report.js';

const MAX_REPS = 15;

const time = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));
const pct = (value: number | null) => (value === null ? '—' : `${value}%`);

/** "▲ 3", "▼ 2", "no change" (percentages in points); nothing when either side has no value. */
export function change(now: number | null, before: number | null, unit = ''): string {
  if (now === null || before === null) return '';
  if (now === before) return ' (no change)';
  return ` (${now > before ? '▲' : '▼'} ${Math.abs(now - before)}${unit})`;
}

function reasonsText(byReason: Record<string, number>): string {
  return Object.entries(byReason)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code, n]) => `${REJECT_REASONS[code as keyof typeof REJECT_REASONS] ?? escapeMrkdwn(code)} ${n}`)
    .join(', ');
}

export function repLine(r: RepFigures): string {
  const assigned = r.assigned ? ` (+${r.assigned} reassigned to them)` : '';
  const decided = `decided ${r.accepted + r.rejected} (${r.accepted} accepted, ${r.rejected} rejected)`;
  return `• <@${r.rep}> — claimed ${r.claimed}${assigned}, ${decided}, ${counted(r.decisionMisses, 'decision SLA miss', 'decision SLA misses')}, median time to claim ${time(r.medianTimeToClaim)}`;
}

/**
 * A period's figures; with `previous`, each key figure says how it changed against it. The per-rep lines
 * add up to the claims, decisions and decision SLA misses above them.
 */
export function periodBlocks(title: string, f: PeriodFigures, previous?: { label: string; figures: PeriodFigures }): KnownBlock[] {
  const p = previous?.figures;
  const c = (pick: (x: PeriodFigures) => number | null, unit = '') => (p ? change(pick(f), pick(p), unit) : '');
  if (f.posted === 0)
    return [section(`*${title}:* no MQLs were posted.${p ? ` The ${previous.label}: ${counted(p.posted, 'MQL')}.` : ''}`)];
  const claims = f.claims === f.leadsClaimed ? String(f.claims) : `${f.claims} on ${counted(f.leadsClaimed, 'lead')}`;
  const blocks: KnownBlock[] = [
    section(`*${title}*`),
    fields([
      ['MQLs posted', `${f.posted}${c((x) => x.posted)}`],
      ['Claims', `${claims}${f.assigned ? `, ${f.assigned} reassigned` : ''}${c((x) => x.claims)}`],
      ['Accepted by reps', `${f.accepted}${c((x) => x.accepted)} · ${pct(f.acceptRate)} of decided`],
      ['Rejected', `${f.rejected}${c((x) => x.rejected)}${f.rejected ? ` · ${reasonsText(f.rejectedByReason)}` : ''}`],
      ['Time to claim', `median ${time(f.timeToClaim.median)} · p90 ${time(f.timeToClaim.p90)}`],
      ['Time to decide', `median ${time(f.timeToDecide.median)} · p90 ${time(f.timeToDecide.p90)}`],
      ['Claimed within SLA', `${pct(f.claimWithinSla)}${c((x) => x.claimWithinSla, ' pts')}`],
      ['Decided within SLA', `${pct(f.decisionWithinSla)}${c((x) => x.decisionWithinSla, ' pts')}`],
      ['Decision SLA misses', `${f.decisionMisses}${c((x) => x.decisionMisses)}`],
    ]),
  ];
  if (f.reps.length) {
    const rows = limitList(f.reps.map(repLine), MAX_REPS, (n) => `and ${counted(n, 'more rep')}`);
    blocks.push(section(`*By rep*\n${rows.join('\n')}`));
  }
  if (previous) blocks.push(context(`▲▼ change against the ${previous.label}`));
  return blocks;
}

/** A period in one line, for the week under the day's full figures. */
export function periodLine(title: string, f: PeriodFigures, previous: { label: string; figures: PeriodFigures }): string {
  const p = previous.figures;
  const figures = [
    `*${title}:* ${counted(f.posted, 'MQL')} posted${change(f.posted, p.posted)}`,
    `${counted(f.claims, 'claim')}${change(f.claims, p.claims)}`,
    `${f.accepted} accepted${change(f.accepted, p.accepted)} (${pct(f.acceptRate)} of decided)`,
    `${f.rejected} rejected${change(f.rejected, p.rejected)}`,
    `claimed within SLA ${pct(f.claimWithinSla)}`,
    `decided within SLA ${pct(f.decisionWithinSla)}`,
    `${counted(f.decisionMisses, 'decision SLA miss', 'decision SLA misses')}${change(f.decisionMisses, p.decisionMisses)}`,
  ];
  return `${figures.join(' · ')} — ▲▼ against the ${previous.label}`;
}
