import { beforeEach, describe, expect, it } from 'vitest';
import { drain, route, rows } from '../../harness/handoff.js';
import { runSlaSweep } from '../../src/sla/sweep.js';
import { at, buttonsOf, database, emeaRoute, t, textOf, useOfferFlow } from './offer-fixtures.js';

let clock = at(0);
const { fakeSlack, useRoutes, routedLead, offersOf, openOffer, answer, postNow } = useOfferFlow(() => clock, {
  REASSIGN_ON_CLAIM_SLA: 'true',
});
beforeEach(() => {
  clock = at(0);
});

const threadReplies = () =>
  fakeSlack
    .callsTo('chat.postMessage')
    .filter((c) => c.args.thread_ts)
    .map((c) => String(c.args.text));
const sweep = async (minutes: number) => {
  clock = at(minutes);
  await runSlaSweep(t.app.deps, clock);
  await drain(t, clock);
};

describe('REASSIGN_ON_CLAIM_SLA', () => {
  it('offers a lead unclaimed past its claim SLA to the next rep of its route’s team, once per claim clock', async () => {
    await useRoutes(emeaRoute({ mode: 'claim' }));
    const { handoffId } = await routedLead('s1');
    expect(buttonsOf(postNow().blocks)).toEqual(['Claim']);
    await sweep(14);
    expect(await offersOf(handoffId)).toEqual([]);

    await sweep(15);
    expect((await offersOf(handoffId)).map((o) => [o.user_id, o.reason])).toEqual([['UANA', 'claim-sla']]);
    expect(threadReplies()).toEqual(['Unclaimed for 15 min: offered to the next rep.']);
    expect(textOf(postNow().blocks)).toContain('Offered to <@UANA> (unclaimed past the claim SLA)');
    expect(buttonsOf(postNow().blocks)).toEqual(['Reassign']);

    // The offer goes round the team as a round-robin route's would; then the lead is open to everyone again.
    for (const rep of ['UANA', 'UBEN', 'UCY']) {
      await answer('pass', (await openOffer(handoffId)).id, rep);
      await route(t, clock);
      await drain(t, clock);
    }
    expect((await offersOf(handoffId)).map((o) => o.status)).toEqual(['passed', 'passed', 'passed']);
    expect(buttonsOf(postNow().blocks)).toEqual(['Claim']);
    await sweep(16);
    await sweep(17);
    expect(await offersOf(handoffId)).toHaveLength(3);
    expect(threadReplies()).toEqual(['Unclaimed for 15 min: offered to the next rep.']);
  });

  it('pings the thread as before when nobody on the team can take it, or the route has no team', async () => {
    await useRoutes(emeaRoute({ mode: 'claim', conditions: [{ field: 'country', op: '=', value: 'Germany' }] }), {
      ...emeaRoute({ mode: 'claim', team: null }),
      name: 'rest',
    });
    for (const rep of ['UANA', 'UBEN', 'UCY']) await t.command('away', rep);
    const german = await routedLead('s2', { country: 'Germany' });
    const other = await routedLead('s3', { country: 'France' });
    await sweep(15);
    expect(await offersOf(german.handoffId)).toEqual([]);
    expect(await offersOf(other.handoffId)).toEqual([]);
    expect(threadReplies()).toEqual([
      '<!here> This lead has waited 15 min without an owner (claim SLA 15 min). Who can take it?',
      '<!here> This lead has waited 15 min without an owner (claim SLA 15 min). Who can take it?',
    ]);
    await sweep(16);
    expect(threadReplies()).toHaveLength(2);
  });

  it('does not ask the channel who can take a lead still going round its team; once it is open to all, it does', async () => {
    await useRoutes(emeaRoute());
    const { handoffId } = await routedLead('s4');
    clock = at(14);
    await route(t, clock); // UANA's offer ran out; UBEN's is open
    await drain(t, clock);
    await sweep(15);
    expect(threadReplies()).toEqual([]);
    for (const rep of ['UBEN', 'UCY']) {
      await answer('pass', (await openOffer(handoffId)).id, rep);
      await route(t, clock);
      await drain(t, clock);
    }
    expect((await rows(database, `select offer_mode from handoffs where id = ${handoffId}`))[0]!.offer_mode).toBeNull();
    await sweep(16);
    expect(threadReplies()).toEqual(['<!here> This lead has waited 16 min without an owner (claim SLA 15 min). Who can take it?']);
    expect(await offersOf(handoffId)).toHaveLength(3);
  });
});
