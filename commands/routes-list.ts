import { listAwayReps } from '../db/queries/rep-away.js';
import { listRoutingVersions } from '../db/queries/routing.js';
import { SPREAD_DAYS } from '../src/routing/routes-service.js';
import { awayLine, defaultRouteLine, routeLine, versionLine } from './routes-format.js';
import { code, linesToBlocks, n, privately } from './reply.js';
import type { Subcommand } from './types.js';

export const routesList: Subcommand = {
  words: ['routes'],
  usage: '/mql routes',
  example: '/mql routes',
  summary: 'the routes in order (the first whose conditions hold takes a lead), the default route, and who is away now (anyone)',
  async run({ deps, args, commands }) {
    if (args.length) {
      const others = commands.filter((c) => c.words.length === 2 && c.words[0] === 'routes').map((c) => code(c.words[1]!));
      const some = `${others.slice(0, -1).join(', ')} or ${others.at(-1)}`;
      // Its own usage would only repeat `/mql routes`: the words that may follow say more.
      return privately(
        `:warning: There is no routes subcommand ${code(args[0]!.text)}: ${code('/mql routes')} alone lists the routes, or it is followed by ${some} (${code('/mql help')} says what each does).`,
      );
    }
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
      `_Managers (${deps.roles.describe('manager')}) change them with ${code('/mql routes add|remove|move|revert')} and try them on the last ${SPREAD_DAYS} days with ${code('/mql routes test')}; ${code('/mql routes history')} lists the versions._`,
    ];
    return privately(
      `Routes: ${routes.length ? `${n(routes.length)}, version ${active!.version}` : 'none'}; everything else goes to <#${salesChannel}>`,
      linesToBlocks(lines),
    );
  },
};
