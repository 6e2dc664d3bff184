/** Shared by the offer flow tests: an app with routes, a routed lead, and readers of what the reps and the channel got. */
import { beforeAll } from 'vitest';
import type { TestApp } from '../../harness/app.js';
import { drain, eventually, handoffsOf, qualifyLead, route, rows } from '../../harness/handoff.js';
import { routingVersions } from '../../db/schema.js';
import type { Route } from '../../db/types.js';
import { OFFER_ACTIONS } from '../../src/routing/types.js';
import type { TestDatabase } from '../helpers/db.js';
import { useTestApp } from '../helpers/use-test-app.js';

/** `minutes` after Monday 2026-11-23 10:00 UTC, where each test's clock starts. */
export const at = (minutes: number) => new Date(Date.parse('2026-11-23T10:00:00Z') + minutes * 60_000);

export const TEAM = ['UANA', 'UBEN', 'UCY'];
export const EMEA = 'CEMEA';

/** A round-robin route taking every lead to #emea and the team (offered in the order of their ids when all are equal). */
export const emeaRoute = (overrides: Partial<Route> = {}): Route => ({
  name: 'emea',
  conditions: [],
  channel: EMEA,
  team: { users: TEAM, groups: [], weights: {} },
  mode: 'round-robin',
  ...overrides,
});

export type Blocks = Array<Record<string, any>>;
export const buttonsOf = (blocks: Blocks) =>
  blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements.map((e: { text: { text: string } }) => e.text.text));
export const textOf = (blocks: unknown) => JSON.stringify(blocks);

/** The file's database and app (live bindings: read them inside tests and hooks). */
export let database: TestDatabase;
export let t: TestApp;

/** The file's app on the clock `now` reads, a clean database before each test, and the steps offer tests take. */
export function useOfferFlow(now: () => Date, env: Record<string, string> = {}) {
  const app = useTestApp({ now, resetBeforeEach: true, env });
  const { fakeSlack } = app;
  beforeAll(() => {
    ({ database, t } = app);
  });

  /** Stores the routes as routing version 1, as `/mql routes add` would. */
  async function useRoutes(...routes: Route[]) {
    await database.db.insert(routingVersions).values({ version: 1, routes, change: 'test routes', createdBy: 'UMANAGER' });
  }

  /** A lead handed over, routed (first offer made) and sent out: the post and the first offer DM. */
  async function routedLead(externalId: string, extra: Record<string, unknown> = {}) {
    const lead = await qualifyLead(t, externalId, extra);
    await route(t, now());
    await drain(t, now());
    const [handoff] = await handoffsOf(database, lead.id);
    return { leadId: lead.id, handoffId: Number(handoff!.id) };
  }

  const offersOf = (handoffId: number) =>
    rows(database, `select id, user_id, status, reason from offers where handoff_id = ${handoffId} order by id`);

  /** The open offer of a handoff (its id is the DM buttons' value). */
  async function openOffer(handoffId: number) {
    const open = (await offersOf(handoffId)).filter((o) => o.status === 'open');
    if (open.length !== 1) throw new Error(`expected one open offer, got ${JSON.stringify(open)}`);
    return { id: Number(open[0]!.id), user: String(open[0]!.user_id) };
  }

  /** A click on Accept or Pass in the rep's DM; waits until the offer changed, or the rep was answered privately. */
  async function answer(which: 'accept' | 'pass', offerId: number, user: string) {
    const answered = fakeSlack.responses.length;
    const statusOf = async () => (await rows(database, `select status from offers where id = ${offerId}`))[0]?.status;
    const before = await statusOf();
    await t.click(OFFER_ACTIONS[which], String(offerId), user, `D${user}`);
    await eventually(
      async () => ({ status: await statusOf(), replies: fakeSlack.responses.length }),
      (s) => s.status !== before || s.replies > answered,
    );
  }

  const dmsTo = (user: string) => fakeSlack.callsTo('chat.postMessage').filter((c) => c.args.channel === user);
  const dmUpdatesOf = (user: string) => fakeSlack.callsTo('chat.update').filter((c) => c.args.channel === user);
  /** The post as the channel shows it now: its last update, else the post itself. */
  const postNow = (channel = EMEA) =>
    (fakeSlack
      .callsTo('chat.update')
      .filter((c) => c.args.channel === channel)
      .at(-1) ??
      fakeSlack
        .callsTo('chat.postMessage')
        .filter((c) => c.args.channel === channel)
        .at(-1))!.args as { text: string; blocks: Blocks };

  /** Stops the app and starts another on the same database, as after a crash or a deploy. */
  async function restart() {
    t = await app.restart();
  }

  return { fakeSlack, useRoutes, routedLead, offersOf, openOffer, answer, dmsTo, dmUpdatesOf, postNow, restart };
}
