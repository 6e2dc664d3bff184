import { DEFAULT_ROUTE_NAME } from '../src/routing/route-syntax.js';
import { saveRoutesChange, type RoutesChange } from '../src/routing/routes-service.js';
import { fail, isWord, ok, parseInteger, showToken, type Parsed, type Token } from '../src/scoring/rule-tokens.js';
import { nothingChanged, routeLine, routesProblem } from './routes-format.js';
import { escapeMrkdwn, linesToBlocks, privately } from './reply.js';
import type { Subcommand } from './types.js';

const FORMS = '`<name> to <position>` or `<name> before <other route>`';

/** `<name> to <position>` (1 is first) or `<name> before <other route>`. */
export function parseMove(tokens: Token[]): Parsed<Extract<RoutesChange, { kind: 'move' }>> {
  const [name, word, target, ...extra] = tokens;
  if (!name || !word || !target) return fail(`say where the route goes: ${FORMS}`);
  if (extra.length) return fail(`unexpected \`${extra.map(showToken).join(' ')}\` after \`${showToken(target)}\`; write ${FORMS}`);
  if ([name, target].some((t) => t.text.toLowerCase() === DEFAULT_ROUTE_NAME)) {
    return fail('the default route is always last: it takes the leads no other route takes');
  }
  if (isWord(word, 'before')) return ok({ kind: 'move', name: name.text, to: { before: target.text } });
  if (!isWord(word, 'to')) return fail(`expected \`to\` or \`before\` after the name, not \`${showToken(word)}\`; write ${FORMS}`);
  const position = parseInteger({ ...target, text: target.text.replace(/^#/, '') });
  if (position === null) return fail(`the position is a number (1 is first), not \`${showToken(target)}\``);
  return ok({ kind: 'move', name: name.text, to: { position } });
}

export const routesMove: Subcommand = {
  words: ['routes', 'move'],
  usage: '/mql routes move <name> to <position> | before <other route>',
  example: '/mql routes move emea to 1',
  summary: 'change the order of the routes: the first whose conditions hold takes a lead (managers)',
  requires: 'manager',
  async run({ deps, userId, args }) {
    const move = parseMove(args);
    if (!move.ok) return routesProblem(move.error, this);
    const saved = await saveRoutesChange(deps.database.db, move.value, userId, deps.now());
    if (!saved.ok) return routesProblem(nothingChanged(saved.error), this);
    const lines = [
      `:white_check_mark: Routing version ${saved.after.version}: ${escapeMrkdwn(saved.after.change)}. The order now:`,
      ...saved.after.routes.map((route, i) => routeLine(route, i + 1)),
      '_Leads already handed over keep their route._',
    ];
    return privately(`Routes: ${escapeMrkdwn(saved.after.change)} — routing version ${saved.after.version}`, linesToBlocks(lines));
  },
};
