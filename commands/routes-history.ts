import { parseHowMany } from './parse.js';
import { listRoutingVersions, type RoutingVersionRow } from '../db/queries/routing.js';
import { versionHeading } from './format.js';
import { routesProblem } from './routes-format.js';
import { code, escapeMrkdwn, linesToBlocks, n, privately } from './reply.js';
import type { Subcommand } from './types.js';

const DEFAULT_SHOWN = 10;
const MAX_SHOWN = 50;
/** Route names listed per version; a version holds at most 30 routes, so the rest is counted. */
const MAX_NAMES = 10;

/** The routes a version holds, by name in order, so a manager can tell which one to go back to. */
function routeNames(version: RoutingVersionRow): string {
  const names = version.routes.map((r) => r.name);
  if (names.length === 0) return 'no routes (every lead takes the default route)';
  const shown = names.slice(0, MAX_NAMES).join(', ');
  const more = names.length > MAX_NAMES ? ` and ${n(names.length - MAX_NAMES)} more` : '';
  return `${n(names.length)} ${names.length === 1 ? 'route' : 'routes'}: ${escapeMrkdwn(shown)}${more}`;
}

/** One version: number, who and when, the change as it was saved, and the routes it holds. */
function versionEntry(version: RoutingVersionRow, active: boolean): string {
  return `${versionHeading(version, active)}: ${escapeMrkdwn(version.change)}\n      ${routeNames(version)}`;
}

export const routesHistory: Subcommand = {
  words: ['routes', 'history'],
  usage: '/mql routes history [n]',
  example: '/mql routes history 5',
  summary: `the routing versions, newest first, with who changed what and when (the last ${DEFAULT_SHOWN}, or n of them up to ${MAX_SHOWN}) (anyone)`,
  async run({ deps, args }) {
    const howMany = parseHowMany(args, DEFAULT_SHOWN, MAX_SHOWN);
    if (!howMany.ok) return routesProblem(howMany.error, this);
    const { versions, total } = await listRoutingVersions(deps.database.db, howMany.value);
    const newest = versions[0];
    if (!newest) {
      return privately(
        `*Routes history* — no versions yet: every lead takes the default route. Managers add routes with ${code('/mql routes add')}.`,
      );
    }
    const oldest = versions[versions.length - 1]!;
    const older = total - versions.length;
    const lines = [
      `*Routes history* — ${older === 0 ? `all ${n(total)} ${total === 1 ? 'version' : 'versions'}` : `the newest ${n(versions.length)} of ${n(total)} versions`}, newest first`,
      ...versions.map((v) => versionEntry(v, v.version === newest.version)),
      ...(older > 0 ? [`…and ${n(older)} older ${older === 1 ? 'version' : 'versions'} (before version ${oldest.version})`] : []),
      `_To go back: ${code('/mql routes revert <version>')} (managers) saves a new version with that version's routes._`,
    ];
    return privately(
      `Routes history: versions ${oldest.version} to ${newest.version} of ${total}, the active one is ${newest.version}`,
      linesToBlocks(lines),
    );
  },
};
