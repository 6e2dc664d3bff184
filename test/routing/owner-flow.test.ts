import { beforeEach, describe, expect, it } from 'vitest';
import { drain, eventually, route, rows } from '../../harness/handoff.js';
import { at, buttonsOf, database, emeaRoute, t, textOf, useOfferFlow, type Blocks } from './offer-fixtures.js';

let clock = at(0);
const { useRoutes, routedLead, offersOf, openOffer, answer, dmsTo, postNow } = useOfferFlow(() => clock);
beforeEach(() => {
  clock = at(0);
});

/** A lead of `email` that UCY holds: offered round the team, then assigned to UCY by a manager. */
async function heldByCy(externalId: string, email: string) {
  const { handoffId } = await routedLead(externalId, { email });
  await t.submit('mql_reassign_modal', String(handoffId), { assignee: { assignee: { selected_user: 'UCY' } } }, 'UMANAGER');
  return handoffId;
}

describe('owner routes', () => {
  it('offers a lead to the rep who already works that company first, then round the team when they pass', async () => {
    await useRoutes(emeaRoute({ mode: 'owner' }));
    await heldByCy('first', 'jane@acmecorp.example');
    clock = at(1);
    const { handoffId } = await routedLead('second', { email: 'bob@acmecorp.example' });

    const offer = await openOffer(handoffId);
    expect(offer.user).toBe('UCY');
    expect((await offersOf(handoffId))[0]!.reason).toBe('owner');
    expect(textOf(postNow().blocks)).toContain('Offered to <@UCY> (already works this person or company) — 5 min to accept');
    const dm = dmsTo('UCY').find((c) => String(c.args.text).startsWith('Offered to you'))!;
    expect((dm.args.blocks as Blocks)[0]!.text.text).toContain(
      'is offered to you first: you already work this person or company — route emea.',
    );

    await answer('pass', offer.id, 'UCY');
    await route(t, clock);
    // UANA was offered the first lead in the window, UBEN nothing: UBEN's turn.
    expect((await offersOf(handoffId)).map((o) => [o.user_id, o.status, o.reason])).toEqual([
      ['UCY', 'passed', 'owner'],
      ['UBEN', 'open', 'round-robin'],
    ]);
    expect((await rows(database, `select offer_mode from handoffs where id = ${handoffId}`))[0]!.offer_mode).toBe('round-robin');
  });

  it('does not treat a free-mail domain as a company: the team gets the lead in turn', async () => {
    await useRoutes(emeaRoute({ mode: 'owner' }));
    await heldByCy('first', 'jane@gmail.com');
    const { handoffId } = await routedLead('second', { email: 'bob@gmail.com' });
    expect((await offersOf(handoffId)).map((o) => [o.user_id, o.reason])).toEqual([['UBEN', 'round-robin']]);
  });

  it('without a team, an owner who passes opens the lead to everyone; with no owner it is open from the start', async () => {
    await useRoutes(emeaRoute({ mode: 'owner', team: null }));
    const first = await routedLead('first', { email: 'jane@acmecorp.example' });
    expect(await offersOf(first.handoffId)).toEqual([]);
    expect(buttonsOf(postNow().blocks)).toEqual(['Claim']);
    expect(textOf(postNow().blocks)).not.toContain('Nobody');
    await t.click('mql_claim', String(first.handoffId), 'UCY');
    await eventually(
      () => rows(database, `select claimed_by from handoffs where id = ${first.handoffId}`),
      (r) => r[0]?.claimed_by === 'UCY',
    );
    await drain(t, clock);

    const second = await routedLead('second', { email: 'bob@acmecorp.example' });
    const offer = await openOffer(second.handoffId);
    expect(offer.user).toBe('UCY');
    await answer('pass', offer.id, 'UCY');
    await route(t, clock);
    await drain(t, clock);
    expect(textOf(postNow().blocks)).toContain('Nobody on the team could take it (1 passed): open to everyone');
    expect(buttonsOf(postNow().blocks)).toEqual(['Claim']);
  });
});
