import { funnelBlocks, funnelFallbackText } from '../src/funnel/blocks.js';
import { FUNNEL_GROUPINGS, type FunnelGrouping } from '../src/funnel/funnel.js';
import { loadFunnel } from '../src/funnel/load.js';
import { isWord, parseInteger, type Token } from '../src/scoring/rule-tokens.js';
import { privately, problem } from './reply.js';
import type { Subcommand } from './types.js';

const DAY = 24 * 3600_000;
const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;

/** `[days] [by version|source|rep|route]`, both optional; null when anything else is there. Shared with /mql stats. */
export function parseDaysAndGrouping(args: Token[], defaultDays: number, maxDays: number): { days: number; by: FunnelGrouping } | null {
  const rest = [...args];
  const days = rest.length && !isWord(rest[0], 'by') ? parseInteger(rest.shift()) : defaultDays;
  if (days === null || days < 1 || days > maxDays) return null;
  if (rest.length === 0) return { days, by: 'version' };
  const by = FUNNEL_GROUPINGS.find((g) => isWord(rest[1], g));
  return rest.length === 2 && isWord(rest[0], 'by') && by ? { days, by } : null;
}

/** The funnel of the MQLs of the last N days by criteria version, source, rep or route: for marketers and managers. */
export const funnel: Subcommand = {
  words: ['funnel'],
  usage: '/mql funnel [days] [by version|source|rep|route]',
  example: '/mql funnel 30 by version',
  summary:
    'MQL → SQL → opportunity → won of the MQLs of the last N days (30 by default), with rates and median times, by criteria version, source, rep or route (marketers and managers)',
  requires: ['marketer', 'manager'],
  async run({ deps, args }) {
    const asked = parseDaysAndGrouping(args, DEFAULT_DAYS, MAX_DAYS);
    if (!asked) return problem(`give the number of days (1 to ${MAX_DAYS}) and/or by ${FUNNEL_GROUPINGS.join('|')}`, funnel);
    const now = deps.now();
    const from = new Date(now.getTime() - asked.days * DAY);
    const figures = await loadFunnel(deps.database.db, from, new Date(now.getTime() + 1), asked.by);
    const title = `Funnel, ${asked.days === 1 ? 'last 24 hours' : `last ${asked.days} days`}`;
    return privately(funnelFallbackText(title, figures), funnelBlocks(title, figures));
  },
};
