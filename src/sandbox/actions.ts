import type { CustomRoute } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { HttpError, readJson, sendJson } from '../http/respond.js';
import { route } from '../http/route.js';
import type { SandboxClock } from './clock.js';
import { loadDemoLeads } from './demo.js';
import { SANDBOX_CHANNELS, SANDBOX_USERS, dmIdOf } from './people.js';
import type { Relay } from './relay.js';
import type { WorkspaceStore } from './store.js';

/** What a person does on the page: each is checked, then sent to the bot the way Slack would send it. */

const userId = z.enum(SANDBOX_USERS.map((u) => u.id) as [string, ...string[]], { error: 'is not one of the sandbox people' });
const conversation = z.enum([...Object.values(SANDBOX_CHANNELS).map((c) => c.id), ...SANDBOX_USERS.map((u) => dmIdOf(u.id))] as [string, ...string[]], {
  error: 'is not a sandbox conversation',
});
const id = z.string().min(1).max(255);

const ACTIONS = {
  command: z.object({ user: userId, channel: conversation, text: z.string().max(4000, 'is longer than Slack allows (4,000)') }),
  click: z.object({ user: userId, channel: conversation, ts: id.optional(), ephemeralId: id.optional(), actionId: id, blockId: id, value: z.string().max(2000) }),
  submit: z.object({ user: userId, viewId: id, values: z.record(z.string(), z.record(z.string(), z.unknown())) }),
  close: z.object({ user: userId, viewId: id }),
  dismiss: z.object({ user: userId, ephemeralId: id }),
  advance: z.object({ minutes: z.number().int().min(1).max(7 * 24 * 60, 'at most a week at a time') }),
  demo: z.object({}),
} as const;

type ActionName = keyof typeof ACTIONS;

export interface ActionOptions {
  store: WorkspaceStore;
  relay: Relay;
  clock: SandboxClock;
  /** Runs the every-minute jobs (SLA sweep, digest catch-up) at once after the clock moved. */
  afterClockMoved: () => Promise<void>;
}

export function actionRoutes(deps: Deps, options: ActionOptions): CustomRoute[] {
  const { store, relay, clock } = options;
  const run: { [K in ActionName]: (input: z.output<(typeof ACTIONS)[K]>) => Promise<Record<string, unknown>> } = {
    command: ({ user, channel, text }) => relay.command(user, channel, text),
    click: (input) => relay.click(input),
    submit: ({ user, viewId, values }) => relay.submit(user, viewId, values),
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
      const name = String(req.params?.action ?? '');
      if (!Object.hasOwn(ACTIONS, name)) throw new HttpError(404, { ok: false, error: `no such action: ${name}` });
      const action = name as ActionName;
      const input = ACTIONS[action].safeParse(await readJson(req));
      if (!input.success) {
        const problems = input.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`);
        throw new HttpError(400, { ok: false, error: problems.join('; ') });
      }
      const result = await (run[action] as (i: unknown) => Promise<Record<string, unknown>>)(input.data);
      sendJson(res, result.ok === false ? 400 : 200, result);
    }),
  ];
}
