/** The escalation a manager gets from one SLA sweep: every lead newly past twice its SLA, in one message. Pure. */
import type { KnownBlock } from '@slack/types';
import { context, section } from '../slack/blocks.js';
import { counted, stalledSection, type SlaSettings } from './lead-lines.js';
import type { StalledLead } from './report.js';

/** Per kind; two kinds of at most 1 + 20 + 1 blocks stay well inside Slack's 50. */
const MAX_LEADS_PER_KIND = 20;

const HEADINGS = { unclaimed: 'unclaimed past SLA', undecided: 'undecided past SLA' } as const;

export function escalationMessage(leads: StalledLead[], sla: SlaSettings): { text: string; blocks: KnownBlock[] } {
  const byKind = (['unclaimed', 'undecided'] as const)
    .map((kind) => ({ kind, leads: leads.filter((s) => s.kind === kind).sort((a, b) => b.totalWaitedMs - a.totalWaitedMs) }))
    .filter((group) => group.leads.length > 0);
  const blocks = byKind.flatMap(({ kind, leads: group }): KnownBlock[] => {
    const more = group.length - MAX_LEADS_PER_KIND;
    return [
      section(`:rotating_light: *${counted(group.length, 'lead')} ${HEADINGS[kind]}:*`),
      ...group.slice(0, MAX_LEADS_PER_KIND).map((s) => stalledSection(s, sla)),
      ...(more > 0 ? [context(`and ${more} more: \`/mql stalled\` lists them all`)] : []),
    ];
  });
  const text = byKind.map(({ kind, leads: group }) => `${counted(group.length, 'lead')} ${HEADINGS[kind]}`).join(', ');
  return { text, blocks };
}
