/*
 * What every criteria change shares (add, remove, threshold, qualify, decay, revert): only marketers; a rule's
 * field must be one the stored leads have; the change is previewed over the stored leads first, and one that
 * moves more than CRITERIA_CONFIRM_SHARE of them across the line waits for Save (or `--confirm`); then a new
 * version, announced in the channel with the diff and the preview, and re-scoring in the background.
 */
import { findActiveCriteriaVersion, type CriteriaVersion } from '../db/queries/criteria.js';
import type { Db } from '../db/client.js';
import { startRescoring } from '../src/leads/rescore.js';
import type { BacktestReport } from '../src/scoring/backtest-report.js';
import { tryChange } from '../src/scoring/changes.js';
import { backtestReport, saveCriteriaChange } from '../src/scoring/criteria-service.js';
import { unknownFields } from '../src/scoring/field-service.js';
import type { Parsed, Token } from '../src/scoring/rule-tokens.js';
import type { Criteria, CriteriaChange } from '../src/scoring/types.js';
import { actions, button, LIMITS } from '../src/slack/blocks.js';
import { diffBlock, previewLine, storedDiffBlock } from './format.js';
import { tokenizeCommand } from './parse.js';
import { code, escapeMrkdwn, linesToBlocks, n, person, privately, problem, toChannel } from './reply.js';
import type { CommandContext, Reply, Subcommand, Usage } from './types.js';

/** The Save and Cancel buttons of a change waiting for confirmation (commands/criteria-confirm.ts answers them). */
export const CONFIRM_ACTIONS = { save: 'criteria_change_save', cancel: 'criteria_change_cancel' } as const;

/** What a Save button carries: the command as typed (without `--confirm`) and the version it was previewed on. */
export interface PreviewedChange {
  command: string;
  version: number;
}

type ChangeSpec = Usage & {
  words: readonly string[];
  parse(args: Token[], ctx: CommandContext): Parsed<CriteriaChange> | Promise<Parsed<CriteriaChange>>;
};

/** A change command; the Save button runs it again with the version that was previewed. */
export interface ChangeCommand extends Subcommand {
  saveConfirmed(ctx: CommandContext, previewedVersion: number): Promise<ChangeResult>;
}

export const isChangeCommand = (command: Subcommand): command is ChangeCommand => Object.hasOwn(command, 'saveConfirmed');

/** The reply, and the version saved when the change was saved. */
export interface ChangeResult {
  reply: Reply;
  saved?: CriteriaVersion;
}

/** A flag as typed; macOS turns `--` into an em dash as you type. */
const flagOf = (token: Token) => (token.quoted || token.op ? null : token.text.toLowerCase().replace(/^[\u2013\u2014]/, '--'));
const isFlag = (token: Token, flag: '--confirm' | '--new-field') => flagOf(token) === flag;

/** Another marketer's save between the preview and ours is previewed again on top of it; a race, so rarely more than once. */
const SAVE_ATTEMPTS = 3;

const NEW_FIELD_HINT = 'If leads will bring it later, add `--new-field` to the command to save the rule anyway.';

/** Why a rule's field is refused (no stored lead has it), with the closest names there are; null when a lead has it. */
async function unknownFieldProblem(db: Db, field: string): Promise<string | null> {
  const [why] = await unknownFields(db, [field]);
  return why ? `${why}${why.endsWith('?') ? '' : '.'} ${NEW_FIELD_HINT}` : null;
}

/** The share of stored leads the change moves across the line (either way). */
const movedShare = (report: BacktestReport) =>
  report.evaluated === 0 ? 0 : (report.moved.newlyQualified + report.moved.droppedOut) / report.evaluated;

/** A share as a person says it: 0.1 → "10%", 0.37 → "37%", 0.125 → "12.5%". */
const share = (value: number) => `${Number((value * 100).toFixed(1))}%`;

/** "+N newly qualify / −M drop out of K stored leads". */
const movedLine = (report: BacktestReport) =>
  `*+${n(report.moved.newlyQualified)}* newly qualify / *−${n(report.moved.droppedOut)}* drop out of ${n(report.evaluated)} stored leads.`;

/** Tokens as the user would type them, Slack-escaped like a slash command's text, so tokenizeCommand reads them back. */
const asTyped = (token: Token) => (token.quoted ? `"${token.text}"` : token.text);
const typed = (tokens: Token[]) => tokens.map((t) => escapeMrkdwn(asTyped(t))).join(' ');
const sameTokens = (a: Token[], b: Token[]) => JSON.stringify(a) === JSON.stringify(b);

/** The Save button's value, or null when the command cannot be carried by one (too long, or not read back the same). */
function saveButtonValue(words: readonly string[], args: Token[], version: number): string | null {
  const tokens = [...words.map((text) => ({ text, quoted: false, op: false })), ...args];
  const command = typed(tokens);
  const readBack = tokenizeCommand(command);
  const value = JSON.stringify({ command, version } satisfies PreviewedChange);
  return readBack.ok && sameTokens(readBack.value, tokens) && value.length <= LIMITS.buttonValue ? value : null;
}

function askToConfirm(
  spec: ChangeSpec,
  args: Token[],
  preview: { active: CriteriaVersion; candidate: Criteria; report: BacktestReport },
  limit: number,
): Reply {
  const { active, candidate, report } = preview;
  const value = saveButtonValue(spec.words, args, active.version);
  const withConfirm = ['/mql', ...spec.words, ...args.map(asTyped), '--confirm'].join(' ');
  const lines = [
    `*Not saved yet:* this change moves ${share(movedShare(report))} of the stored leads across the line, and a change that moves more than ${share(limit)} is saved only when you confirm it.`,
    diffBlock(active, candidate),
    movedLine(report),
    `Would qualify: ${n(report.baseline.qualified)} → *${n(report.qualified)}* of ${n(report.evaluated)} stored leads.`,
    value
      ? `_Save it with the button, or append ${code('--confirm')} to the same command to save it at once: ${code(withConfirm)}_`
      : `_This command is too long for a Save button: append ${code('--confirm')} to it to save it: ${code(withConfirm)}_`,
  ];
  const buttons = value
    ? [
        actions(
          [button('Save', CONFIRM_ACTIONS.save, value, 'primary'), button('Cancel', CONFIRM_ACTIONS.cancel, 'cancel')],
          'criteria-confirm',
        ),
      ]
    : [];
  return privately(
    `Not saved yet: this change moves ${n(report.moved.newlyQualified + report.moved.droppedOut)} of ${n(report.evaluated)} stored leads across the line. Save or cancel it.`,
    [...linesToBlocks(lines, LIMITS.blocks - 1), ...buttons],
  );
}

function changedSincePreview(active: CriteriaVersion, previewed: number): Reply {
  return privately(
    `:warning: The criteria changed since this preview of version ${previewed}: ${person(active.createdBy)} made version ${active.version} (${escapeMrkdwn(active.change)}). Nothing was saved; run the command again to preview your change on the criteria as they are now.`,
  );
}

function announcement(userId: string, before: CriteriaVersion, after: CriteriaVersion, report: BacktestReport): Reply {
  const lines = [
    `*${person(userId)} changed the scoring criteria: version ${before.version} → ${after.version}*`,
    // The stored change, so a revert says which version it went back to.
    storedDiffBlock(after.change),
    `${previewLine(report)} ${movedLine(report)}`,
    '_Stored leads are re-scored in the background. None is posted because of this change: a lead that now qualifies goes to sales with its next activity._',
  ];
  return toChannel(`Criteria version ${after.version}: ${escapeMrkdwn(after.change)}`, linesToBlocks(lines));
}

/**
 * Previews the change on the active criteria and saves it when it is small, confirmed (`--confirm`), or the
 * Save button of its preview (`previewedVersion`: saved only if those criteria are still the active ones).
 */
async function changeCriteria(ctx: CommandContext, spec: ChangeSpec, previewedVersion?: number): Promise<ChangeResult> {
  const { deps, userId } = ctx;
  const db = deps.database.db;
  const args = ctx.args.filter((t) => !isFlag(t, '--confirm'));
  const ruleArgs = args.filter((t) => !isFlag(t, '--new-field'));
  const parsed = await spec.parse(ruleArgs, { ...ctx, args: ruleArgs });
  if (!parsed.ok) return { reply: problem(parsed.error, spec) };
  const change = parsed.value;
  const confirmed = previewedVersion !== undefined || args.length < ctx.args.length;

  for (let attempt = 1; ; attempt++) {
    const active = await findActiveCriteriaVersion(db);
    if (!active) throw new Error('no criteria version exists');
    if (previewedVersion !== undefined && active.version !== previewedVersion)
      return { reply: changedSincePreview(active, previewedVersion) };
    const tried = tryChange(active, change, 0);
    if (!tried.ok) return { reply: problem(`${tried.error}; nothing was changed`, spec) };
    if (change.kind === 'add' && ruleArgs.length === args.length) {
      const unknown = await unknownFieldProblem(db, change.rule.field);
      if (unknown) return { reply: problem(unknown, spec) };
    }

    const now = deps.now();
    const report = await backtestReport(db, { candidate: tried.criteria, baseline: active, now });
    const limit = deps.config.criteria.confirmShare;
    if (!confirmed && movedShare(report) > limit) {
      return { reply: askToConfirm(spec, args, { active, candidate: tried.criteria, report }, limit) };
    }
    const saved = await saveCriteriaChange(db, change, userId, now, active.version);
    if (saved.ok) {
      startRescoring(deps);
      return { reply: announcement(userId, saved.before, saved.after, report), saved: saved.after };
    }
    if (previewedVersion !== undefined || attempt === SAVE_ATTEMPTS) return { reply: problem(`${saved.error}; nothing was changed`, spec) };
  }
}

/** A subcommand that makes one criteria change from its arguments (read with the database when it must, e.g. a revert). */
export function criteriaChangeCommand(spec: ChangeSpec): ChangeCommand {
  return {
    words: spec.words,
    usage: spec.usage,
    example: spec.example,
    summary: spec.summary,
    requires: 'marketer',
    run: async (ctx) => (await changeCriteria(ctx, spec)).reply,
    saveConfirmed: (ctx, previewedVersion) => changeCriteria(ctx, spec, previewedVersion),
  };
}
