/*
 * The Save and Cancel buttons under a criteria change that waits for confirmation (commands/criteria-change.ts).
 * Save reads the command it carries exactly as `/mql` would, checks the clicker's role again, and saves only if
 * the criteria are still the version that was previewed. A forged or garbled value is answered, never thrown.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../src/deps.js';
import { LIMITS } from '../src/slack/blocks.js';
import { unstorableCharacter } from '../src/text/storable.js';
import { CONFIRM_ACTIONS, isChangeCommand } from './criteria-change.js';
import { route, SUBCOMMANDS } from './index.js';
import { tokenizeCommand } from './parse.js';
import { refusalFor } from './refusal.js';
import { code, privately } from './reply.js';
import type { Reply } from './types.js';
import { BUSY_MESSAGE, refusedAsBusy, STOPPING_MESSAGE, WorkQueueClosed } from '../src/slack/work-queue.js';

const previewed = z
  .string()
  .max(LIMITS.buttonValue)
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.object({ command: z.string().min(1).max(LIMITS.buttonValue), version: z.number().int().positive() }));

const NOT_A_PREVIEW = privately(':warning: This button is not from a criteria change waiting for confirmation. Nothing was changed.');
const FAILED = privately(':warning: Sorry, saving the change failed unexpectedly. The error has been logged; nothing was changed.');

/** What the Save click answers: a new private note (`replace: false`) or the preview replaced by the outcome. */
type Answer = { reply: Reply; replace: boolean; announce?: Reply };

async function save(deps: Deps, userId: string, channelId: string, value: unknown): Promise<Answer> {
  const change = previewed.safeParse(value);
  if (!change.success || unstorableCharacter(change.data.command)) return { reply: NOT_A_PREVIEW, replace: false };
  const tokens = tokenizeCommand(change.data.command);
  const match = tokens.ok ? route(tokens.value, SUBCOMMANDS) : null;
  if (!match || !isChangeCommand(match.command)) return { reply: NOT_A_PREVIEW, replace: false };
  const refusal = await refusalFor(match.command, deps, userId);
  if (refusal) return { reply: refusal, replace: false };

  const ctx = { deps, userId, channelId, args: match.args, commands: SUBCOMMANDS };
  const result = await match.command.saveConfirmed(ctx, change.data.version);
  if (!result.saved) return { reply: result.reply, replace: false };
  const saved = privately(
    `:white_check_mark: Saved as criteria version ${result.saved.version}; the change is announced in the channel. Undo it with ${code(`/mql criteria revert ${change.data.version}`)}.`,
  );
  return { reply: saved, replace: true, announce: result.reply };
}

export function register(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(CONFIRM_ACTIONS.save, async ({ ack, body, action, respond }) => {
    await ack();
    // Only an ephemeral preview carries these buttons, and its click always has somewhere to answer.
    if (!body.response_url) return;
    const channelId = body.channel?.id ?? '';
    if (refusedAsBusy(deps, 'action')) return void (await respond({ ...privately(BUSY_MESSAGE), replace_original: false }));
    let answer: Answer;
    try {
      answer = await deps.work.run(body.user.id, () => save(deps, body.user.id, channelId, action.value));
    } catch (error) {
      if (error instanceof WorkQueueClosed) answer = { reply: privately(STOPPING_MESSAGE), replace: false };
      else {
        deps.logger.error({ err: error, action: CONFIRM_ACTIONS.save, user: body.user.id }, 'saving a confirmed criteria change failed');
        answer = { reply: FAILED, replace: false };
      }
    }
    try {
      await respond({ ...answer.reply, replace_original: answer.replace });
      if (answer.announce) await respond({ ...answer.announce, replace_original: false });
    } catch (error) {
      deps.logger.error({ err: error, action: CONFIRM_ACTIONS.save, user: body.user.id }, 'could not answer a criteria Save click');
    }
  });

  app.action<BlockAction<ButtonAction>>(CONFIRM_ACTIONS.cancel, async ({ ack, body, respond }) => {
    await ack();
    if (body.response_url) await respond({ ...privately('Cancelled: nothing was changed.'), replace_original: true });
  });
}
