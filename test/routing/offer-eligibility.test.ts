import { beforeEach, describe, expect, it } from 'vitest';
import { drain, eventually, route, rows } from '../../harness/handoff.js';
import { at, buttonsOf, database, emeaRoute, EMEA, t, textOf, useOfferFlow, type Blocks } from './offer-fixtures.js';

let clock = at(0);
const { fakeSlack, useRoutes, routedLead, offersOf, openOffer, answer, dmUpdatesOf, postNow } = useOfferFlow(() => clock);
beforeEach(() => {
  clock = at(0);
});

const offeredTo = async (handoffId: number) => (await offersOf(handoffId)).map((o) => [o.user_id, o.status]);

describe('who is offered a lead', () => {
  it('skips a rep who is away, and passes on the offers of a rep who goes away mid-offer', async () => {
    await useRoutes(emeaRoute());
    expect((await t.command('away', 'UANA')).status).toBe(200);
    const first = await routedLead('a1');
    expect(await offeredTo(first.handoffId)).toEqual([['UBEN', 'open']]);

    const second = await routedLead('a2');
    expect(await offeredTo(second.handoffId)).toEqual([['UCY', 'open']]);
    clock = at(1);
    await t.command('away', 'UCY');
    await eventually(
      () => offeredTo(second.handoffId),
      (o) => o[0]?.[1] === 'withdrawn',
    );
    expect(await rows(database, `select actor, details->>'user' as user from audit_log where action = 'offer.withdrawn'`)).toEqual([
      { actor: 'UCY', user: 'UCY' },
    ]);
    await route(t, clock);
    await drain(t, clock);
    // UANA and UCY are away: UBEN gets it, though he has another lead on offer (no cap on this route).
    expect(await offeredTo(second.handoffId)).toEqual([
      ['UCY', 'withdrawn'],
      ['UBEN', 'open'],
    ]);
    expect(dmUpdatesOf('UCY').at(-1)!.args.text).toBe('Withdrawn: you went away; *Lead a2 · Acme*: it is offered to <@UBEN> now.');
    expect(textOf(postNow().blocks)).toContain('<@UCY> went away');
  });

  it('opens a lead to everyone when every rep is away or at their cap, and says so', async () => {
    await useRoutes(emeaRoute({ maxOpen: 1 }));
    await t.command('away', 'UCY');
    const first = await routedLead('c1');
    const second = await routedLead('c2');
    expect(await offeredTo(first.handoffId)).toEqual([['UANA', 'open']]);
    expect(await offeredTo(second.handoffId)).toEqual([['UBEN', 'open']]);
    // An open offer counts towards the cap as a claim does: the third lead finds nobody.
    const third = await routedLead('c3');
    expect(await offeredTo(third.handoffId)).toEqual([]);
    expect(textOf(postNow().blocks)).toContain('Nobody on the team could take it (1 away, 2 at their cap of open leads): open to everyone');
    expect(buttonsOf(postNow().blocks)).toEqual(['Claim']);

    // UANA passes: she is under her cap again, but was offered c1 already; c1 goes to nobody else either.
    await answer('pass', (await openOffer(first.handoffId)).id, 'UANA');
    await route(t, clock);
    expect(await offeredTo(first.handoffId)).toEqual([['UANA', 'passed']]);
    expect((await rows(database, `select offer_mode from handoffs where id = ${first.handoffId}`))[0]!.offer_mode).toBeNull();
  });

  it('a manager who assigns a lead on offer withdraws the offer and tells the rep', async () => {
    await useRoutes(emeaRoute());
    const { handoffId } = await routedLead('m1');
    // The post under offer keeps Reassign for managers; its modal says whose offer it withdraws.
    await t.click('mql_reassign', String(handoffId), 'UMANAGER', EMEA);
    const [opened] = await eventually(
      () => fakeSlack.callsTo('views.open'),
      (calls) => calls.length > 0,
    );
    expect(textOf(opened!.args.view)).toContain('is offered to <@UANA>; assigning it withdraws the offer.');
    const res = await t.submit('mql_reassign_modal', String(handoffId), { assignee: { assignee: { selected_user: 'UDAN' } } }, 'UMANAGER');
    expect(res.body).toBeNull();
    await drain(t, clock);
    expect(await offeredTo(handoffId)).toEqual([['UANA', 'withdrawn']]);
    expect((await rows(database, `select claimed_by, offer_mode from handoffs where id = ${handoffId}`))[0]).toEqual({
      claimed_by: 'UDAN',
      offer_mode: null,
    });
    const anaDm = dmUpdatesOf('UANA').at(-1)!.args;
    expect(anaDm.text).toBe('Withdrawn: a manager (<@UMANAGER>) assigned *Lead m1 · Acme* to <@UDAN>.');
    expect(buttonsOf(anaDm.blocks as Blocks)).toEqual([]);
    expect(textOf(postNow().blocks)).toContain('Assigned to <@UDAN> by <@UMANAGER>');
  });

  it('a released lead of a round-robin route goes to the next rep not offered it yet', async () => {
    await useRoutes(emeaRoute());
    const { handoffId } = await routedLead('r1');
    await answer('accept', (await openOffer(handoffId)).id, 'UANA');
    clock = at(30);
    await t.click('mql_release', String(handoffId), 'UANA', EMEA);
    await eventually(
      () => rows(database, `select claimed_by, offer_mode from handoffs where id = ${handoffId}`),
      (r) => r[0]?.claimed_by === null && r[0]?.offer_mode === 'round-robin',
    );
    await route(t, clock);
    await drain(t, clock);
    expect(await offeredTo(handoffId)).toEqual([
      ['UANA', 'accepted'],
      ['UBEN', 'open'],
    ]);
    expect(textOf(postNow().blocks)).toContain('Released by <@UANA> after 30 min');
    expect(textOf(postNow().blocks)).toContain('Offered to <@UBEN>');
    expect(dmUpdatesOf('UANA').at(-1)!.args.text).toBe('Lead r1 · Acme: released; it is offered to <@UBEN> now.');
  });

  it('a claim route leaves leads to the first click, with no offers', async () => {
    await useRoutes(emeaRoute({ mode: 'claim' }));
    const { handoffId } = await routedLead('cl1');
    expect(await offersOf(handoffId)).toEqual([]);
    expect(buttonsOf(postNow().blocks)).toEqual(['Claim']);
  });
});
