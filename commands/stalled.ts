import { listReportHandoffs } from '../db/queries/handoffs-reports.js';
import { stalledLine } from '../src/sla/digest-blocks.js';
import { stalledLeads } from '../src/sla/report.js';
import { slaPolicyOf } from '../src/sla/policy.js';
import { linesToBlocks, privately } from './reply.js';
import type { Subcommand } from './types.js';

export const stalled: Subcommand = {
  words: ['stalled'],
  usage: '/mql stalled',
  example: '/mql stalled',
  summary: 'leads past their claim or decision SLA right now, with links to their posts',
  async run({ deps }) {
    const now = deps.now();
    const policy = slaPolicyOf(deps.config.sla);
    // Open handoffs of any age are included whatever `since` is; decided ones can't be stalled.
    const leads = stalledLeads(await listReportHandoffs(deps.database.db, now), now, policy);
    if (leads.length === 0) return privately(':tada: Nothing is stalled: every lead is within its claim and decision SLA.');
    const sla = { claimSlaMs: policy.claimSlaMs, decisionSlaMs: policy.decisionSlaMs };
    const text = `${leads.length} lead${leads.length === 1 ? ' is' : 's are'} past their SLA:`;
    return privately(text, linesToBlocks([`*${text}*`, ...leads.map((s) => stalledLine(s, sla))]));
  },
};
