import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { actorOf, clickerOf, GENERIC_ERROR, tellPrivately } from '../handoff/listeners.js';
import { answerOffer } from './offer-answers.js';
import { OFFER_ACTIONS } from './types.js';
import { BUSY_MESSAGE, failureText, refusedAsBusy } from '../slack/work-queue.js';

const offerId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** Accept / Pass in an offer DM: ack at once, then answer the offer; refusals answer the rep privately. */
function onAnswer(app: App, deps: Deps, actionId: string, answer: 'accept' | 'pass') {
  app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond }) => {
    await ack();
    const clicker = clickerOf(body, action, respond);
    const id = offerId.safeParse(action.value);
    if (!id.success) return void (await tellPrivately(deps, clicker, null, 'This button is not from a lead offer.'));
    if (refusedAsBusy(deps, 'action')) return void (await tellPrivately(deps, clicker, null, BUSY_MESSAGE));
    try {
      const outcome = await deps.work.run(body.user.id, async () =>
        answerOffer(deps, { offerId: id.data, actor: await actorOf(deps, body.user.id), answer, now: deps.now() }),
      );
      if (!outcome.ok) await tellPrivately(deps, clicker, null, outcome.message);
    } catch (error) {
      const log = () =>
        deps.logger.error({ err: error, action: actionId, offerId: id.data, user: body.user.id }, 'answering an offer failed');
      await tellPrivately(deps, clicker, null, failureText(error, log, GENERIC_ERROR));
    }
  });
}

export function register(app: App, deps: Deps): void {
  onAnswer(app, deps, OFFER_ACTIONS.accept, 'accept');
  onAnswer(app, deps, OFFER_ACTIONS.pass, 'pass');
}
