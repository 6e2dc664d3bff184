import { openOfferOf } from './blocks.js';
import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import { z } from 'zod';
import { loadHandoffView } from '../../db/queries/handoffs.js';
import type { Deps } from '../deps.js';
import { dm, queueMessages } from '../outbox/messages.js';
import { noticeModal, reassignModal, rejectModal, REASSIGN_TITLE, REJECT_TITLE, WAITING_TEXT } from './modals.js';
import { judge, type Actor } from './rules.js';
import { applyHandoffAction, type HandoffCommand } from './service.js';
import { ACTIONS } from './types.js';
import { leadDisplayName } from '../leads/display-name.js';
import { BUSY_MESSAGE, failureText, refusedAsBusy } from '../slack/work-queue.js';

export const handoffId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const GENERIC_ERROR = 'Something went wrong on our side; it has been logged. Please try again.';

/** Who clicked, and the click itself: where an answer meant for them alone can go. */
export interface Clicker {
  userId: string;
  /** Slack's response_url answer; absent for buttons outside messages (the Home tab). */
  respond: RespondFn | undefined;
  /** Unique per click (its action_ts), so a DM'd answer is queued once. */
  clickId: string;
}

/**
 * Answers the clicker privately: an ephemeral where the click came from, or, where Slack gives nowhere to
 * answer (the Home tab sends no response_url), a DM, so a refusal is never dropped.
 */
export async function tellPrivately(deps: Deps, clicker: Clicker, handoff: number | null, text: string): Promise<void> {
  if (clicker.respond) return void (await clicker.respond({ response_type: 'ephemeral', replace_original: false, text }));
  await queueMessages(deps.database.db, [dm(handoff, clicker.userId, text, `answer:${clicker.clickId}`)], deps.now());
  deps.wakeOutbox();
}

export const clickerOf = (body: BlockAction, action: ButtonAction, respond: RespondFn | undefined): Clicker => ({
  userId: body.user.id,
  respond: body.response_url ? respond : undefined,
  clickId: `${body.user.id}:${action.action_id}:${action.action_ts}`,
});

/** The clicker as the rules see them; the managers are named in refusals that send someone to them. */
export async function actorOf(deps: Deps, userId: string): Promise<Actor> {
  const managers = await deps.roles.members('manager');
  return { userId, isManager: managers.includes(userId), managers };
}

/**
 * Applies a user's action and lets the outbox send the resulting updates straight away; the router too, since a
 * release of a routed lead offers it on to the team's next rep.
 */
export async function act(deps: Deps, id: number, userId: string, command: HandoffCommand) {
  const outcome = await applyHandoffAction(deps, { handoffId: id, actor: await actorOf(deps, userId), command, now: deps.now() });
  deps.wakeOutbox();
  if (outcome.ok && command.action === 'release') deps.wakeRouter();
  return outcome;
}

/** The Claim / Accept / Release buttons: ack at once, then change state; refusals answer privately. */
function onButton(app: App, deps: Deps, actionId: string, command: HandoffCommand) {
  app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond }) => {
    await ack();
    const clicker = clickerOf(body, action, respond);
    const id = handoffId.safeParse(action.value);
    if (!id.success) return void (await tellPrivately(deps, clicker, null, 'This button is not from a lead post.'));
    if (refusedAsBusy(deps, 'action')) return void (await tellPrivately(deps, clicker, id.data, BUSY_MESSAGE));
    try {
      const outcome = await deps.work.run(body.user.id, () => act(deps, id.data, body.user.id, command));
      if (!outcome.ok) await tellPrivately(deps, clicker, id.data, outcome.message);
    } catch (error) {
      const log = () =>
        deps.logger.error({ err: error, action: actionId, handoffId: id.data, user: body.user.id }, 'handoff action failed');
      await tellPrivately(deps, clicker, id.data, failureText(error, log, GENERIC_ERROR));
    }
  });
}

/**
 * Reject and Reassign open a modal; who may do it is checked first so nobody fills in a form for nothing. The check
 * takes its turn; Slack's trigger lasts 3 seconds, so when others' work waits the modal opens at once saying so,
 * and is filled in (the form, or why not) in the check's turn.
 */
function onModalButton(app: App, deps: Deps, actionId: string, kind: 'reject' | 'reassign') {
  app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond, client }) => {
    await ack();
    const clicker = clickerOf(body, action, respond);
    const id = handoffId.safeParse(action.value);
    if (!id.success) return void (await tellPrivately(deps, clicker, null, 'This button is not from a lead post.'));
    if (refusedAsBusy(deps, 'action')) return void (await tellPrivately(deps, clicker, id.data, BUSY_MESSAGE));
    const title = kind === 'reject' ? REJECT_TITLE : REASSIGN_TITLE;
    const waits = deps.work.othersWait();
    try {
      const check = deps.work.run(body.user.id, async () => {
        const view = await loadHandoffView(deps.database.db, id.data);
        if (!view) return { refusal: 'This lead is no longer known to the bot.', handoff: null };
        const verdict = judge(view, kind, await actorOf(deps, body.user.id));
        if (!verdict.ok) return { refusal: verdict.message, handoff: view.id };
        const name = leadDisplayName(view.lead);
        return kind === 'reject'
          ? rejectModal(view.id, name)
          : reassignModal(view.id, name, view.claimedBy, openOfferOf(view)?.userId ?? null);
      });
      if (waits) {
        // Settled below in every case but a failed open, where the error is already answered.
        check.catch(() => undefined);
        const opened = await client.views.open({ trigger_id: body.trigger_id, view: noticeModal(title, WAITING_TEXT) });
        const viewId = opened.view?.id;
        if (!viewId) throw new Error('views.open answered without the view id');
        const modal = await check.catch((error: unknown) => {
          const log = () =>
            deps.logger.error({ err: error, action: actionId, handoffId: id.data, user: body.user.id }, 'checking a modal failed');
          return { refusal: failureText(error, log, GENERIC_ERROR) };
        });
        const view = 'refusal' in modal ? noticeModal(title, `:no_entry: ${modal.refusal}`) : modal;
        return void (await client.views.update({ view_id: viewId, view }));
      }
      const modal = await check;
      if ('refusal' in modal) return void (await tellPrivately(deps, clicker, modal.handoff, modal.refusal));
      await client.views.open({ trigger_id: body.trigger_id, view: modal });
    } catch (error) {
      const log = () =>
        deps.logger.error({ err: error, action: actionId, handoffId: id.data, user: body.user.id }, 'opening a modal failed');
      await tellPrivately(deps, clicker, id.data, failureText(error, log, GENERIC_ERROR));
    }
  });
}

export function register(app: App, deps: Deps): void {
  onButton(app, deps, ACTIONS.claim, { action: 'claim' });
  onButton(app, deps, ACTIONS.accept, { action: 'accept' });
  onButton(app, deps, ACTIONS.release, { action: 'release' });
  onModalButton(app, deps, ACTIONS.reject, 'reject');
  onModalButton(app, deps, ACTIONS.reassign, 'reassign');
}
