import { DEFAULT_ROUTE_NAME } from '../src/routing/route-syntax.js';
import { routeIndex, saveRoutesChange } from '../src/routing/routes-service.js';
import { showToken } from '../src/scoring/rule-tokens.js';
import { nothingChanged, routeLine, routesProblem } from './routes-format.js';
import { code, escapeMrkdwn, linesToBlocks, n, privately } from './reply.js';
import type { Subcommand } from './types.js';

export const routesRemove: Subcommand = {
  words: ['routes', 'remove'],
  usage: '/mql routes remove <name>',
  example: '/mql routes remove emea',
  summary:
    'remove a route by name; leads handed over from then on go to the next route that matches, leads already handed over keep theirs (managers)',
  requires: 'manager',
  async run({ deps, userId, args }) {
    const [name, ...extra] = args;
    if (!name) return routesProblem('missing the name of the route to remove (`/mql routes` lists them)', this);
    if (extra.length) return routesProblem(`expected only the route name, not \`${args.map(showToken).join(' ')}\``, this);
    if (name.text.toLowerCase() === DEFAULT_ROUTE_NAME) {
      return routesProblem('the default route cannot be removed: it takes every lead no other route takes', this);
    }
    const saved = await saveRoutesChange(deps.database.db, { kind: 'remove', name: name.text }, userId, deps.now());
    if (!saved.ok) return routesProblem(nothingChanged(saved.error), this);
    const index = routeIndex(saved.before.routes, name.text);
    const left = saved.after.routes.length;
    const rest = left
      ? `${n(left)} ${left === 1 ? 'route is' : 'routes are'} left`
      : 'No routes are left: every lead takes the default route';
    const lines = [
      `:white_check_mark: Removed this route — routing version ${saved.after.version}:`,
      routeLine(saved.before.routes[index]!, index + 1),
      `${rest} (${code('/mql routes')}). Leads already handed over keep their route.`,
    ];
    return privately(
      `Removed route ${escapeMrkdwn(saved.before.routes[index]!.name)} — routing version ${saved.after.version}`,
      linesToBlocks(lines),
    );
  },
};
