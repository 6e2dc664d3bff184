/** What add, remove and threshold share: only marketers, a new version, the diff and the preview, re-scoring. */
import { backtestReport, saveCriteriaChange } from '../src/scoring/criteria-service.js';
import type { Parsed, Token } from '../src/scoring/rule-tokens.js';
import type { CriteriaChange } from '../src/scoring/types.js';
import { diffBlock, previewLine } from './format.js';
import { startRescoring } from '../src/leads/rescore.js';
import { escapeMrkdwn, linesToBlocks, person, problem, toChannel } from './reply.js';
import type { CommandContext, Reply, Subcommand, Usage } from './types.js';

async function changeCriteria(ctx: CommandContext, usage: Usage, parsed: Parsed<CriteriaChange>): Promise<Reply> {
  const { deps, userId } = ctx;
  if (!parsed.ok) return problem(parsed.error, usage);

  const db = deps.database.db;
  const saved = await saveCriteriaChange(db, parsed.value, userId, deps.now());
  if (!saved.ok) return problem(`${saved.error}; nothing was changed`, usage);
  const { before, after } = saved;

  let preview: string;
  try {
    preview = previewLine(await backtestReport(db, { candidate: after, baseline: before, now: deps.now() }));
  } catch (error) {
    // The change is saved; only the preview is missing.
    deps.logger.error({ err: error, version: after.version }, 'criteria preview failed');
    preview = '_The preview could not be computed; the error has been logged._';
  }
  // After the preview, so the reply does not wait behind a re-scoring batch.
  startRescoring(deps);

  const lines = [
    `*${person(userId)} changed the scoring criteria: version ${before.version} → ${after.version}*`,
    diffBlock(before, after),
    preview,
    '_Stored leads are re-scored in the background. None is posted because of this change: a lead that now qualifies goes to sales with its next activity._',
  ];
  return toChannel(`Criteria version ${after.version}: ${escapeMrkdwn(after.change)}`, linesToBlocks(lines));
}

/** A subcommand that makes one criteria change from its arguments (read with the database when it must, e.g. a revert). */
export function criteriaChangeCommand(
  spec: Usage & {
    words: readonly string[];
    parse(args: Token[], ctx: CommandContext): Parsed<CriteriaChange> | Promise<Parsed<CriteriaChange>>;
  },
): Subcommand {
  const { parse, ...usage } = spec;
  return { ...usage, requires: 'marketer', run: async (ctx) => changeCriteria(ctx, usage, await parse(ctx.args, ctx)) };
}
