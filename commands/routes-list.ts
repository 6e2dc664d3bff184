import { listAwayReps } from '../db/queries/rep-away.js';
import { listRoutingVersions } from '../db/queries/routing.js';
import { SPREAD_DAYS } from '../src/routing/routes-service.js';
import { awayLine, defaultRouteLine, routeLine, versionLine } from './routes-format.js';
import { code, linesToBlocks, n, privately, problem } from './reply.js';
import type { Subcommand } from './types.js';

export const routesList: Subcommand = {
  words: ['routes'],
  usage: '/mql routes',
  example: '/mql routes',
  summary: 'the routes in order (the first whose conditions hold takes a lead), the default route, and who is away now (anyone)',
  async run({ deps, args }) {
    if (args.length) return problem(`unknown routes subcommand \`${args[0]!.text}\`; use add, remove, move or test`, this);
    const db = deps.database.db;
    const [active] = (await listRoutingVersions(db, 1)).versions;
    const routes = active?.routes ?? [];
    const salesChannel = deps.config.slack.salesChannel;
    const lines = [
      `*Routes* — ${routes.length ? `${n(routes.length)} in order; the first whose conditions hold takes the lead` : 'none: every lead takes the default route'}`,
      ...(active ? [versionLine(active)] : []),
      ...routes.map((route, i) => routeLine(route, i + 1)),
      defaultRouteLine(salesChannel),
      awayLine(await listAwayReps(db, deps.now())),
      `_Managers (${deps.roles.describe('manager')}) change them with ${code('/mql routes add|remove|move')} and try them on the last ${SPREAD_DAYS} days with ${code('/mql routes test')}._`,
    ];
    return privately(
      `Routes: ${routes.length ? `${n(routes.length)}, version ${active!.version}` : 'none'}; everything else goes to <#${salesChannel}>`,
      linesToBlocks(lines),
    );
  },
};
