import { parseVersionNumber } from './parse.js';
import { saveRoutesChange, WHERE_VERSIONS_LISTED } from '../src/routing/routes-service.js';
import { defaultRouteLine, nothingChanged, routeLine, routesProblem } from './routes-format.js';
import { escapeMrkdwn, linesToBlocks, privately } from './reply.js';
import type { Subcommand } from './types.js';

export const routesRevert: Subcommand = {
  words: ['routes', 'revert'],
  usage: '/mql routes revert <version>',
  example: '/mql routes revert 3',
  summary: "go back to an earlier routing version: saves a new version with that version's routes, in its order (managers)",
  requires: 'manager',
  async run({ deps, userId, args }) {
    const wanted = parseVersionNumber(args, WHERE_VERSIONS_LISTED);
    if (!wanted.ok) return routesProblem(wanted.error, this);
    const saved = await saveRoutesChange(deps.database.db, { kind: 'revert', version: wanted.value }, userId, deps.now());
    if (!saved.ok) return routesProblem(nothingChanged(saved.error), this);
    const { routes, version, change } = saved.after;
    const lines = [
      `:white_check_mark: Routing version ${version}: ${escapeMrkdwn(change)}. The routes now:`,
      ...(routes.length ? routes.map((route, i) => routeLine(route, i + 1)) : ['No routes: every lead takes the default route.']),
      defaultRouteLine(deps.config.slack.salesChannel),
      '_It applies to leads handed over from now on; leads already handed over keep their route._',
    ];
    return privately(`Routes: ${escapeMrkdwn(change)} — routing version ${version}`, linesToBlocks(lines));
  },
};
