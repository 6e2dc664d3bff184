import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../harness/app.js';
import { drain, route, rows } from '../../harness/handoff.js';
import { at, database, emeaRoute, t, useOfferFlow } from './offer-fixtures.js';

const clock = at(0);
const { fakeSlack, useRoutes } = useOfferFlow(() => clock);
const REPS = ['UANA', 'UBEN', 'UCY', 'UDAN'];

/** A second app on the same database, as another replica of the bot. */
let replica: TestApp | undefined;
beforeAll(async () => {
  replica = await startTestApp(database, { now: () => clock });
});
afterAll(async () => {
  await replica?.stop();
});

/** `count` leads, each in its own request, all sent at once. */
async function arriveAtOnce(count: number) {
  const answers = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      (i % 2 ? replica! : t).api('/api/leads', {
        source: 'web',
        externalId: `c${i}`,
        name: `Lead ${i}`,
        events: [{ type: 'form_submit', occurredAt: '2026-11-23T09:00:00Z' }],
      }),
    ),
  );
  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
}

const openOffersPerRep = async () =>
  Object.fromEntries(
    (await rows(database, `select user_id, count(*)::int as n from offers where status = 'open' group by user_id`)).map((r) => [
      r.user_id,
      r.n,
    ]),
  );

describe('routing many leads at once, on two replicas', () => {
  it('never takes a rep past the cap, never offers a lead twice, and sends each offer DM once', async () => {
    await useRoutes(emeaRoute({ team: { users: REPS, groups: [], weights: {} }, maxOpen: 2 }));
    await arriveAtOnce(20);
    await Promise.all([route(t, clock), route(replica!, clock), route(t, clock), route(replica!, clock)]);

    expect(await openOffersPerRep()).toEqual({ UANA: 2, UBEN: 2, UCY: 2, UDAN: 2 });
    const handoffs = await rows(
      database,
      `select h.id, h.offer_mode, (select count(*)::int from offers o where o.handoff_id = h.id) as offers from handoffs h`,
    );
    expect(handoffs).toHaveLength(20);
    expect(handoffs.filter((h) => h.offers === 1 && h.offer_mode === 'round-robin')).toHaveLength(8);
    // The rest found everybody at the cap: open to everyone.
    expect(handoffs.filter((h) => h.offers === 0 && h.offer_mode === null)).toHaveLength(12);
    expect(await rows(database, `select count(*)::int as n from audit_log where action = 'offer.made'`)).toEqual([{ n: 8 }]);

    await Promise.all([drain(t, clock), drain(replica!, clock), drain(t, clock)]);
    // A DM leased before its post was out waits a few seconds for it (NotReady), then goes.
    const later = new Date(clock.getTime() + 10_000);
    await Promise.all([drain(t, later), drain(replica!, later)]);
    const offerDms = fakeSlack.callsTo('chat.postMessage').filter((c) => REPS.includes(String(c.args.channel)));
    expect(offerDms).toHaveLength(8);
    for (const rep of REPS) expect(offerDms.filter((c) => c.args.channel === rep)).toHaveLength(2);
  });

  it('spreads leads evenly among equal reps however they arrive', async () => {
    await useRoutes(emeaRoute({ team: { users: REPS, groups: [], weights: {} } }));
    await arriveAtOnce(24);
    await Promise.all([route(t, clock), route(replica!, clock)]);
    expect(await openOffersPerRep()).toEqual({ UANA: 6, UBEN: 6, UCY: 6, UDAN: 6 });
    expect(await rows(database, `select handoff_id from offers where status = 'open' group by handoff_id having count(*) > 1`)).toEqual([]);
  });
});
