import { listReportHandoffs } from '../db/queries/handoffs-reports.js';
import { listOffersMade } from '../db/queries/offer-figures.js';
import { funnelBlocks } from '../src/funnel/blocks.js';
import { loadFunnel } from '../src/funnel/load.js';
import { routingFigures, routingStatsBlocks } from '../src/routing/figures.js';
import { counted } from '../src/sla/lead-lines.js';
import { periodBlocks } from '../src/sla/period-blocks.js';
import { periodFigures } from '../src/sla/report.js';
import { slaPolicyOf } from '../src/sla/policy.js';
import { FUNNEL_GROUPINGS } from '../src/funnel/funnel.js';
import { parseDaysAndGrouping } from './funnel.js';
import { privately, problem } from './reply.js';
import type { Subcommand } from './types.js';

const MAX_DAYS = 90;
const DAY = 24 * 3600_000;

export const stats: Subcommand = {
  words: ['stats'],
  usage: '/mql stats [days] [by version|source|rep|route]',
  example: '/mql stats 7 by source',
  summary:
    'MQLs posted, claims, accepted and rejected by reason, time to claim and decide, SLA misses by rep, offers per route and rep, the funnel by criteria version, source, rep or route (managers)',
  requires: 'manager',
  async run({ deps, args }) {
    const asked = parseDaysAndGrouping(args, 7, MAX_DAYS);
    if (!asked)
      return problem(`give the number of days (a whole number from 1 to ${MAX_DAYS}) and/or by ${FUNNEL_GROUPINGS.join('|')}`, stats);
    const { days, by } = asked;
    const now = deps.now();
    const since = new Date(now.getTime() - days * DAY);
    const end = new Date(now.getTime() + 1);
    const db = deps.database.db;
    const figures = periodFigures(await listReportHandoffs(db, since), since, end, slaPolicyOf(deps.config.sla));
    // Only an install that offers leads to reps has routing figures; without offers the reply is as it always was.
    const routing = routingFigures(await listOffersMade(db, since, end));
    // The MQLs of the same period, followed to today: does a criteria version (a source, a rep) send better leads?
    const funnel = await loadFunnel(db, since, end, by);
    const title = days === 1 ? 'Last 24 hours' : `Last ${days} days`;
    const offered = routing ? ` Routing: ${counted(routing.total.offers, 'offer')}, ${routing.total.accepted} accepted.` : '';
    const text = `${title}: ${counted(figures.posted, 'MQL')} posted, ${counted(figures.claims, 'claim')}, ${figures.accepted} accepted, ${figures.rejected} rejected.${offered}`;
    return privately(text, [
      ...periodBlocks(title, figures),
      ...(routing ? routingStatsBlocks(routing) : []),
      ...(funnel.total.mqls ? funnelBlocks(`Funnel, ${title.toLowerCase()}`, funnel) : []),
    ]);
  },
};
