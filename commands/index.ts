import type { App } from '@slack/bolt';
import type { Deps } from '../src/deps.js';
import { away } from './away.js';
import { back } from './back.js';
import { criteriaAdd } from './criteria-add.js';
import { criteriaDecay } from './criteria-decay.js';
import { criteriaHistory } from './criteria-history.js';
import { criteriaInsights } from './criteria-insights.js';
import { criteriaList } from './criteria-list.js';
import { criteriaQualify } from './criteria-qualify.js';
import { criteriaRemove } from './criteria-remove.js';
import { criteriaRevert } from './criteria-revert.js';
import { criteriaTest } from './criteria-test.js';
import { criteriaThreshold } from './criteria-threshold.js';
import { digestNow, digestPreview } from './digest.js';
import { funnel } from './funnel.js';
import { help, helpReply } from './help.js';
import { tokenizeCommand } from './parse.js';
import { code, escapeMrkdwn, privately } from './reply.js';
import { refusalFor } from './refusal.js';
import { routesAdd } from './routes-add.js';
import { routesHistory } from './routes-history.js';
import { routesList } from './routes-list.js';
import { routesMove } from './routes-move.js';
import { routesRemove } from './routes-remove.js';
import { routesRevert } from './routes-revert.js';
import { routesTest } from './routes-test.js';
import { scoreCommand } from './score.js';
import { stalled } from './stalled.js';
import { stats } from './stats.js';
import type { Reply, Subcommand } from './types.js';
import { isWord, type Token } from '../src/scoring/rule-tokens.js';
import { unstorableCharacter } from '../src/text/storable.js';
import { BUSY_MESSAGE, refusedAsBusy, STOPPING_MESSAGE } from '../src/slack/work-queue.js';

/** Every `/mql` subcommand; a new one is a file under commands/ and a line here. */
export const SUBCOMMANDS: readonly Subcommand[] = [
  help,
  criteriaList,
  criteriaAdd,
  criteriaRemove,
  criteriaThreshold,
  criteriaQualify,
  criteriaDecay,
  criteriaTest,
  criteriaHistory,
  criteriaRevert,
  criteriaInsights,
  scoreCommand,
  routesList,
  routesAdd,
  routesRemove,
  routesMove,
  routesTest,
  routesHistory,
  routesRevert,
  stats,
  funnel,
  stalled,
  digestNow,
  digestPreview,
  away,
  back,
];

const startsWith = (tokens: Token[], words: readonly string[]) => words.every((w, i) => isWord(tokens[i], w));

/** The subcommand whose words begin the text (the longest such), and the tokens after them. */
export function route(tokens: Token[], commands: readonly Subcommand[]): { command: Subcommand; args: Token[] } | null {
  const matching = commands.filter((c) => startsWith(tokens, c.words)).sort((a, b) => b.words.length - a.words.length);
  const command = tokens.length === 0 ? commands.find((c) => c.words.join(' ') === 'help') : matching[0];
  return command ? { command, args: tokens.slice(command.words.length) } : null;
}

/** `/mql digest` alone: say which words may follow, rather than the whole help. */
function incomplete(tokens: Token[], commands: readonly Subcommand[]): Reply | null {
  const [first] = tokens;
  const family = commands.filter((c) => c.words.length > 1 && isWord(first, c.words[0]!));
  if (tokens.length !== 1 || family.length === 0) return null;
  const next = family.map((c) => code(c.words[1]!)).join(' or ');
  const forms = family.map((c) => `• ${code(c.usage)}: ${c.summary}`);
  return privately([`:warning: ${code(`/mql ${first!.text}`)} needs ${next}:`, ...forms].join('\n'));
}

function unknown(tokens: Token[], commands: readonly Subcommand[]): Reply {
  const words = tokens
    .map((t) => t.text)
    .slice(0, 2)
    .join(' ');
  return helpReply(commands, `unknown subcommand \`${words}\`; these are the ones there are:`);
}

/** The `/mql` router: acks at once, works, then replies privately unless the answer is meant for the channel. */
export function register(app: App, deps: Deps, commands: readonly Subcommand[] = SUBCOMMANDS): void {
  app.command('/mql', async ({ ack, command, respond }) => {
    const context = { user: command.user_id, channel: command.channel_id, text: command.text };
    const unstorable = unstorableCharacter(command.text ?? '');
    if (unstorable) {
      await ack(privately(`:warning: The command contains ${unstorable}, which the bot cannot store or match. Type it again without it.`));
      return;
    }
    const tokens = tokenizeCommand(command.text ?? '');
    if (!tokens.ok) {
      await ack(privately(`:warning: ${escapeMrkdwn(tokens.error)}. See ${code('/mql help')}.`));
      return;
    }
    const match = route(tokens.value, commands);
    if (!match) {
      await ack(incomplete(tokens.value, commands) ?? unknown(tokens.value, commands));
      return;
    }

    const name = `/mql ${match.command.words.join(' ')}`;
    const run = async (): Promise<Reply> => {
      try {
        const refusal = await refusalFor(match.command, deps, command.user_id);
        if (refusal) return refusal;
        return await match.command.run({ deps, userId: command.user_id, channelId: command.channel_id, args: match.args, commands });
      } catch (error) {
        deps.logger.error({ err: error, ...context }, `${name} failed`);
        return privately(`:warning: Sorry, ${code(name)} failed unexpectedly. The error has been logged; please try again later.`);
      }
    };

    if (match.command.instant) {
      await ack(await run());
      return;
    }
    if (refusedAsBusy(deps, 'command')) return void (await ack(privately(BUSY_MESSAGE)));
    // Queued before the ack, so no request arriving meanwhile (Socket Mode's ack waits for the socket) takes its place.
    // Refused only if the bot stops before its turn: then the user is told so.
    const reply = deps.work.run(command.user_id, run).catch(() => privately(STOPPING_MESSAGE));
    // Slack wants the ack within 3 seconds; the reply follows through the response_url, in the work's turn.
    await ack();
    try {
      await respond(await reply);
    } catch (error) {
      deps.logger.error({ err: error, ...context }, `could not send the reply to ${name}`);
    }
  });
}
