import { findActiveRouting } from '../db/queries/routing.js';
import { SPREAD_DAYS, spreadOfRecentLeads } from '../src/routing/routes-service.js';
import { showToken } from '../src/scoring/rule-tokens.js';
import { spreadLines, routesProblem } from './routes-format.js';
import { linesToBlocks, n, privately } from './reply.js';
import type { Subcommand } from './types.js';

export const routesTest: Subcommand = {
  words: ['routes', 'test'],
  usage: '/mql routes test',
  example: '/mql routes test',
  summary: `how the qualified leads of the last ${SPREAD_DAYS} days would have been spread over the routes and their reps (managers)`,
  requires: 'manager',
  async run({ deps, args }) {
    if (args.length) {
      const extra = args.map(showToken).join(' ');
      return routesProblem(`\`routes test\` tries the routes as they are and takes nothing after it, not \`${extra}\``, this);
    }
    const routing = await findActiveRouting(deps.database.db);
    const recent = await spreadOfRecentLeads(deps, routing.routes, deps.now());
    const version = routing.version ? `routing version ${routing.version}` : 'no routes yet';
    return privately(
      `Routes test (${version}): ${n(recent.spread.leads)} qualified leads of the last ${SPREAD_DAYS} days spread over ${n(routing.routes.length)} routes and the default`,
      linesToBlocks([`*Routes test* — ${version}`, ...spreadLines(recent)]),
    );
  },
};
