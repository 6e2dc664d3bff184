import { beforeEach, describe, expect, it } from 'vitest';
import { drain, route } from '../../harness/handoff.js';
import { at, buttonsOf, EMEA, emeaRoute, t, textOf, useOfferFlow } from './offer-fixtures.js';

let clock = at(0);
const { fakeSlack, useRoutes, routedLead, offersOf, postNow } = useOfferFlow(() => clock, { BUSINESS_HOURS: 'Mon-Fri 09:00-18:00' });
beforeEach(() => {
  clock = at(0);
});

describe('routes with business hours', () => {
  it('make no offers outside them: the lead waits, unclaimable, and is offered when the hours open', async () => {
    await useRoutes(emeaRoute({ businessHours: true }));
    clock = at(9 * 60); // Monday 19:00 UTC
    const { handoffId } = await routedLead('h1');
    expect(await offersOf(handoffId)).toEqual([]);
    expect(textOf(postNow().blocks)).toContain('To be offered to its team, one rep at a time');
    expect(buttonsOf(postNow().blocks)).toEqual(['Reassign']);

    await t.click('mql_claim', String(handoffId), 'UDAN', EMEA);
    const [refusal] = await fakeSlack.waitForResponses(1);
    expect(refusal!.text).toBe(
      "This lead is being offered to its route's team one rep at a time; it opens to everyone if none of them takes it.",
    );

    clock = at(22 * 60 + 59); // Tuesday 08:59
    expect(await route(t, clock)).toMatchObject({ offered: 0, waiting: 1 });
    clock = at(23 * 60); // Tuesday 09:00
    expect(await route(t, clock)).toMatchObject({ offered: 1, waiting: 0 });
    await drain(t, clock);
    expect((await offersOf(handoffId)).map((o) => o.user_id)).toEqual(['UANA']);
    expect(textOf(postNow().blocks)).toContain('Offered to <@UANA>');
  });

  it('a route without them offers at any hour', async () => {
    await useRoutes(emeaRoute());
    clock = at(9 * 60);
    const { handoffId } = await routedLead('h2');
    expect((await offersOf(handoffId)).map((o) => o.user_id)).toEqual(['UANA']);
  });
});
