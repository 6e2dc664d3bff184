import type { CustomRoute } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { HttpError, readJson, sendJson } from '../http/respond.js';
import { route } from '../http/route.js';
import type { SandboxClock } from './clock.js';
import { loadDemoLeads } from './demo.js';
import { SANDBOX_CHANNELS, SANDBOX_USERS, dmIdOf } from './people.js';
import type { Relay } from './relay.js';
import type { HomeRelay } from './home-relay.js';
import type { WorkspaceStore } from './store.js';
import { refuseCrossSite } from './same-origin.js';
import { unstorableCharacter } from '../text/storable.js';

/** What a person does on the page: each is checked, then sent to the bot the way Slack would send it. */

const userId = z.enum(SANDBOX_USERS.map((u) => u.id) as [string, ...string[]], { error: 'is not one of the sandbox people' });
const conversation = z.enum(
  [...Object.values(SANDBOX_CHANNELS).map((c) => c.id), ...SANDBOX_USERS.map((u) => dmIdOf(u.id))] as [string, ...string[]],
  {
    error: 'is not a sandbox conversation',
  },
);
/** Text the bot can store: what Slack's own client would send (never NUL, never half an emoji). */
const text = (max: number) =>
  z
    .string({ error: 'must be text' })
    .max(max, `is longer than ${max} characters`)
    .superRefine((value, ctx) => {
      const bad = unstorableCharacter(value);
      if (bad) ctx.addIssue({ code: 'custom', message: `contains ${bad}` });
    });
const id = z.string({ error: 'must be text' }).min(1, 'is required').max(255, 'is too long');
/** What Slack puts in view.state.values for the inputs the bot's modals use; anything else is dropped. */
const inputState = z.object({
  type: z.string().max(50),
  value: text(3000).nullish(),
  selected_option: z.object({ value: text(150) }).nullish(),
  selected_user: z.string().max(255).nullish(),
});
/** People type in channels and in their own DM with the bot, not in someone else's. */
const ownConversation = <T extends { user: string; channel: string }>(input: T) =>
  !input.channel.startsWith('D') || input.channel === dmIdOf(input.user);
const NOT_YOURS = { message: "is another person's DM with the bot", path: ['channel'] };

const ACTIONS = {
  command: z.object({ user: userId, channel: conversation, text: text(4000) }).refine(ownConversation, NOT_YOURS),
  click: z
    .object({
      user: userId,
      channel: conversation,
      ts: id.optional(),
      ephemeralId: id.optional(),
      actionId: id,
      blockId: id,
      value: text(2000),
    })
    .refine(ownConversation, NOT_YOURS),
  submit: z.object({ user: userId, viewId: id, values: z.record(id, z.record(id, inputState)) }),
  close: z.object({ user: userId, viewId: id }),
  home: z.object({ user: userId }),
  homeClick: z.object({ user: userId, actionId: id, blockId: id, value: text(2000) }),
  dismiss: z.object({ user: userId, ephemeralId: id }),
  advance: z.object({
    minutes: z
      .number({ error: 'must be a number of minutes' })
      .int('must be whole minutes')
      .min(1, 'must be at least 1')
      .max(7 * 24 * 60, 'must be at most a week (10080)'),
  }),
  demo: z.object({}),
} as const;

type ActionName = keyof typeof ACTIONS;

export interface ActionOptions {
  store: WorkspaceStore;
  relay: Relay;
  home: HomeRelay;
  clock: SandboxClock;
  /** Runs the every-minute jobs (SLA sweep, digest catch-up) at once after the clock moved. */
  afterClockMoved: () => Promise<void>;
}

export function actionRoutes(deps: Deps, options: ActionOptions): CustomRoute[] {
  const { store, relay, home, clock } = options;
  const run: { [K in ActionName]: (input: z.output<(typeof ACTIONS)[K]>) => Promise<Record<string, unknown>> } = {
    command: ({ user, channel, text }) => relay.command(user, channel, text),
    click: (input) => relay.click(input),
    submit: ({ user, viewId, values }) => relay.submit(user, viewId, values),
    home: ({ user }) => home.open(user),
    homeClick: (input) => home.click(input),
    close: async ({ user, viewId }) => {
      relay.close(user, viewId);
      return { ok: true };
    },
    dismiss: async ({ user, ephemeralId }) => {
      store.ephemerals = store.ephemerals.filter((e) => !(e.id === ephemeralId && e.user === user));
      store.changed();
      return { ok: true };
    },
    advance: async ({ minutes }) => {
      clock.advance(minutes * 60_000);
      await options.afterClockMoved();
      deps.wakeOutbox();
      return { ok: true, now: clock.now().toISOString() };
    },
    demo: async () => {
      const result = await loadDemoLeads(deps.database.db, deps.now());
      deps.wakeOutbox();
      return { ok: true, ...result };
    },
  };

  return [
    route(deps, 'POST', '/sandbox/do/:action', async (req, res) => {
      refuseCrossSite(req);
      const name = String(req.params?.action ?? '');
      if (!Object.hasOwn(ACTIONS, name)) throw new HttpError(404, { ok: false, error: `no such action: ${name}` });
      const action = name as ActionName;
      const input = ACTIONS[action].safeParse(await readJson(req));
      if (!input.success) {
        // One problem per field, named as the page calls it.
        const problems = [
          ...new Map(input.error.issues.map((i) => [i.path.join('.'), `${i.path.join('.') || 'the body'} ${i.message}`])).values(),
        ];
        throw new HttpError(400, { ok: false, error: problems.join('; ') });
      }
      const result = await (run[action] as (i: unknown) => Promise<Record<string, unknown>>)(input.data);
      sendJson(res, result.ok === false ? 400 : 200, result);
    }),
  ];
}
