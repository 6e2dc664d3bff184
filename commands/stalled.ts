import { listReportHandoffs, listUnpostedLeads } from '../db/queries/handoffs-reports.js';
import { counted, stalledLine, unpostedLine } from '../src/sla/lead-lines.js';
import { stalledLeads } from '../src/sla/report.js';
import { slaPolicyOf } from '../src/sla/policy.js';
import { linesToBlocks, privately } from './reply.js';
import type { Subcommand } from './types.js';

export const stalled: Subcommand = {
  words: ['stalled'],
  usage: '/mql stalled',
  example: '/mql stalled',
  summary: 'leads past their claim or decision SLA right now, and leads that could not be posted, with links to their posts',
  async run({ deps }) {
    const now = deps.now();
    const policy = slaPolicyOf(deps.config.sla);
    // Open handoffs of any age are included whatever `since` is; decided ones can't be stalled.
    const leads = stalledLeads(await listReportHandoffs(deps.database.db, now), now, policy);
    const unposted = await listUnpostedLeads(deps.database.db);
    if (leads.length === 0 && unposted.length === 0) {
      return privately(':tada: Nothing is stalled: every lead is within its claim and decision SLA.');
    }
    const late = leads.length ? `${counted(leads.length, 'lead is', 'leads are')} past their SLA:` : '';
    const lost = unposted.length ? `${counted(unposted.length, 'lead')} could not be posted:` : '';
    const lines = [
      ...(late ? [`*${late}*`, ...leads.map((s) => stalledLine(s, policy))] : []),
      ...(lost ? [`*${lost}*`, ...unposted.map(unpostedLine)] : []),
    ];
    return privately([late, lost].filter(Boolean).join(' '), linesToBlocks(lines));
  },
};
