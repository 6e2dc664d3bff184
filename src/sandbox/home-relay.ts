import { TEAM_ID, dmIdOf } from './people.js';
import { blockActionsFrom, sendInteraction, sendToBot, type RelayOptions, type RelayResult } from './relay.js';

/*
 * The app's Home tab on the page, as Slack drives it: opening it sends a signed `app_home_opened` event
 * (the bot answers by publishing the view, which the stand-in Web API stores per user), and a button in it
 * becomes a `block_actions` payload from a view — container type "view", the view itself, and no
 * response_url, since Slack has no message to answer in.
 */

export function createHomeRelay(options: RelayOptions) {
  const { store } = options;
  let eventSequence = 0;
  const refused = (status: number): RelayResult => ({ ok: false, error: `the bot answered HTTP ${status}` });

  return {
    async open(user: string): Promise<RelayResult> {
      const now = Date.now();
      const event = {
        token: 'sandbox',
        team_id: TEAM_ID,
        api_app_id: 'A0SANDBOX',
        type: 'event_callback',
        event_id: `Ev0SB${now}${++eventSequence}`,
        event_time: Math.floor(now / 1000),
        event: {
          type: 'app_home_opened',
          user,
          channel: dmIdOf(user),
          tab: 'home',
          event_ts: `${Math.floor(now / 1000)}.${String(eventSequence).padStart(6, '0')}`,
          ...(store.homes.has(user) ? { view: { id: `VH${user}`, ...store.homes.get(user) } } : {}),
        },
      };
      const { status } = await sendToBot(options, JSON.stringify(event), 'application/json');
      return status === 200 ? { ok: true } : refused(status);
    },

    async click(input: { user: string; actionId: string; blockId: string; value: string }): Promise<RelayResult> {
      const view = store.homes.get(input.user);
      if (!view) return { ok: false, error: 'this Home has not been published yet' };
      const viewId = `VH${input.user}`;
      const { status } = await sendInteraction(options, {
        ...blockActionsFrom(store, input.user),
        container: { type: 'view', view_id: viewId },
        view: { ...view, id: viewId, team_id: TEAM_ID, hash: `${viewId}-${store.version}`, state: { values: {} } },
        actions: [
          { type: 'button', action_id: input.actionId, block_id: input.blockId, value: input.value, action_ts: String(Date.now() / 1000) },
        ],
      });
      return status === 200 ? { ok: true } : refused(status);
    },
  };
}

export type HomeRelay = ReturnType<typeof createHomeRelay>;
