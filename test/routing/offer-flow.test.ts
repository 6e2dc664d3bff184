import { beforeEach, describe, expect, it } from 'vitest';
import { drain, eventually, route, rows } from '../../harness/handoff.js';
import { blockKitViolations } from '../helpers/block-kit.js';
import { at, buttonsOf, database, emeaRoute, EMEA, t, textOf, useOfferFlow, type Blocks } from './offer-fixtures.js';

let clock = at(0);
const { fakeSlack, useRoutes, routedLead, offersOf, openOffer, answer, dmsTo, dmUpdatesOf, postNow } = useOfferFlow(() => clock);
beforeEach(async () => {
  clock = at(0);
  await useRoutes(emeaRoute());
});

/** How posts and DMs write a time: a Slack date with a UTC fallback. */
const date = (minutes: number) => {
  const d = at(minutes);
  return `<!date^${d.getTime() / 1000}^{date_short_pretty} {time}|${d.toISOString().replace('T', ' ').slice(0, 16)} UTC>`;
};

describe('round-robin offers', () => {
  it('offers to one rep, who passes; the next rep accepts: the lead is theirs, and the post and DMs say so', async () => {
    const { leadId, handoffId } = await routedLead('rr1', { title: 'VP Eng' });

    // The post goes to the route's channel, says who holds the offer until when, and has no Claim button.
    const post = postNow();
    expect(post.text).toBe('New MQL: Lead rr1, VP Eng at Acme · score 45 (qualifies at 30) · offered to <@UANA>');
    expect(textOf(post.blocks)).toContain(`Offered to <@UANA> — 5 min to accept (until ${date(5)})`);
    expect(buttonsOf(post.blocks)).toEqual(['Reassign']);
    expect(blockKitViolations(post.blocks)).toEqual([]);

    const [offerDm] = dmsTo('UANA');
    expect(offerDm!.args.text).toBe('Offered to you: Lead rr1 · Acme · accept within 5 min');
    const dmBlocks = offerDm!.args.blocks as Blocks;
    expect(blockKitViolations(dmBlocks)).toEqual([]);
    expect(dmBlocks[0]!.text.text).toMatch(
      /^\*Lead rr1 · Acme\* \(<https:\/\/slack\.com\/archives\/CEMEA\/p\d+\|the post>\) is offered to you — route emea\. Accept within 5 min \(by <!date\^\d+\^\{date_short_pretty\} \{time\}\|2026-11-23 10:05 UTC>\) or Pass to let it go on\.$/,
    );
    expect(textOf(dmBlocks)).toContain('Submitted a form');
    expect(buttonsOf(dmBlocks)).toEqual(['Accept', 'Pass']);
    expect(dmsTo('UBEN')).toEqual([]);

    const first = await openOffer(handoffId);
    expect(first.user).toBe('UANA');
    clock = at(1);
    await answer('pass', first.id, 'UANA');
    await route(t, clock);
    await drain(t, clock);

    expect(dmUpdatesOf('UANA').at(-1)!.args.text).toBe('You passed on *Lead rr1 · Acme*; it is offered to <@UBEN> now.');
    expect(buttonsOf(dmUpdatesOf('UANA').at(-1)!.args.blocks as Blocks)).toEqual([]);
    const second = await openOffer(handoffId);
    expect(second.user).toBe('UBEN');
    expect(textOf(postNow().blocks)).toContain('<@UANA> passed');
    expect(textOf(postNow().blocks)).toContain('Offered to <@UBEN>');

    clock = at(3);
    await answer('accept', second.id, 'UBEN');
    await drain(t, clock);
    expect((await rows(database, `select claimed_by, offer_mode from handoffs where id = ${handoffId}`))[0]).toEqual({
      claimed_by: 'UBEN',
      offer_mode: null,
    });
    expect((await rows(database, `select stage from leads where id = ${leadId}`))[0]!.stage).toBe('claimed');
    expect((await offersOf(handoffId)).map((o) => [o.user_id, o.status, o.reason])).toEqual([
      ['UANA', 'passed', 'round-robin'],
      ['UBEN', 'accepted', 'round-robin'],
    ]);
    const audit = await rows(database, `select actor, action from audit_log where entity = 'handoff' order by id`);
    expect(audit).toEqual([
      { actor: 'system:router', action: 'offer.made' },
      { actor: 'UANA', action: 'offer.passed' },
      { actor: 'system:router', action: 'offer.made' },
      { actor: 'UBEN', action: 'offer.accepted' },
      { actor: 'UBEN', action: 'handoff.claim' },
    ]);

    expect(textOf(postNow().blocks)).toContain('Claimed by <@UBEN> · accepted the offer after 2 min');
    expect(buttonsOf(postNow().blocks)).toEqual(['Accept', 'Reject', 'Release', 'Reassign']);
    // The offer DM became the claim DM: no second DM.
    expect(dmsTo('UBEN')).toHaveLength(1);
    const benDm = dmUpdatesOf('UBEN').at(-1)!.args;
    expect(benDm.text).toMatch(/^You own Lead rr1 · Acme · decide by /);
    expect(buttonsOf(benDm.blocks as Blocks)).toEqual(['Accept', 'Reject', 'Release']);
  });

  it('moves on when the rep does not answer in time, and tells them', async () => {
    const { handoffId } = await routedLead('rr2');
    const first = await openOffer(handoffId);
    clock = at(4);
    expect((await route(t, clock)).timedOut).toBe(0);
    clock = at(5);
    expect(await route(t, clock)).toMatchObject({ timedOut: 1, offered: 1 });
    await drain(t, clock);
    expect((await offersOf(handoffId)).map((o) => [o.user_id, o.status])).toEqual([
      ['UANA', 'timed_out'],
      ['UBEN', 'open'],
    ]);
    expect(dmUpdatesOf('UANA').at(-1)!.args.text).toBe('You did not answer within 5 min; *Lead rr2 · Acme*: it is offered to <@UBEN> now.');
    expect(textOf(postNow().blocks)).toContain('<@UANA> did not answer in 5 min');

    // Too late: the offer ran out, and the rep hears where the lead went.
    await answer('accept', first.id, 'UANA');
    const [reply] = await fakeSlack.waitForResponses(1);
    expect(reply).toMatchObject({ response_type: 'ephemeral', text: `This offer ran out at ${date(5)}; it is offered to <@UBEN> now.` });
    expect((await rows(database, `select claimed_by from handoffs where id = ${handoffId}`))[0]!.claimed_by).toBeNull();
  });

  it('opens the lead to everyone once the whole team passed or did not answer; then anyone may claim it', async () => {
    const { handoffId } = await routedLead('rr3');
    await answer('pass', (await openOffer(handoffId)).id, 'UANA');
    await route(t, clock);
    await drain(t, clock);
    clock = at(10);
    await route(t, clock);
    await drain(t, clock);
    await answer('pass', (await openOffer(handoffId)).id, 'UCY');
    await route(t, clock);
    await drain(t, clock);

    expect((await offersOf(handoffId)).map((o) => [o.user_id, o.status])).toEqual([
      ['UANA', 'passed'],
      ['UBEN', 'timed_out'],
      ['UCY', 'passed'],
    ]);
    const post = postNow();
    expect(textOf(post.blocks)).toContain('Nobody on the team could take it (2 passed, 1 did not answer): open to everyone');
    expect(buttonsOf(post.blocks)).toEqual(['Claim']);
    expect(await rows(database, `select action from audit_log where action = 'offer.opened'`)).toHaveLength(1);
    // The last rep's DM says where the lead went, not "to the next rep": there was none.
    expect(dmUpdatesOf('UCY').at(-1)!.args.text).toBe(
      'You passed on *Lead rr3 · Acme*; nobody else on the team could take it, so it is open to everyone in the channel.',
    );

    await t.click('mql_claim', String(handoffId), 'UDAN', EMEA);
    await eventually(
      () => rows(database, `select claimed_by from handoffs where id = ${handoffId}`),
      (r) => r[0]?.claimed_by === 'UDAN',
    );
  });

  it('refuses a Claim click during an offer, naming who holds it; the offered rep’s own Claim click accepts', async () => {
    const { handoffId } = await routedLead('rr4');
    const offer = await openOffer(handoffId);
    await t.click('mql_claim', String(handoffId), 'UDAN', EMEA);
    const [refusal] = await fakeSlack.waitForResponses(1);
    expect(refusal).toMatchObject({
      response_type: 'ephemeral',
      text: `Offered to <@UANA> until ${date(5)}; if they pass or don't answer, it goes on to the next rep, or to everyone when nobody else on the team can take it.`,
    });

    clock = at(1);
    await t.click('mql_claim', String(handoffId), 'UANA', EMEA);
    await eventually(
      () => rows(database, `select claimed_by from handoffs where id = ${handoffId}`),
      (r) => r[0]?.claimed_by === 'UANA',
    );
    expect((await rows(database, `select status from offers where id = ${offer.id}`))[0]!.status).toBe('accepted');
    await drain(t, clock);
    expect(dmsTo('UANA')).toHaveLength(1);
    expect(textOf(postNow().blocks)).toContain('Claimed by <@UANA> · accepted the offer after 1 min');
  });

  it('answers only the rep it was offered to, once, and refuses a malformed button privately', async () => {
    const { handoffId } = await routedLead('rr5');
    const offer = await openOffer(handoffId);
    await answer('accept', offer.id, 'UBEN');
    await answer('pass', offer.id, 'UANA');
    await answer('pass', offer.id, 'UANA');
    await t.click('mql_offer_accept', 'not-an-id', 'UANA', 'DUANA');
    const replies = await fakeSlack.waitForResponses(3);
    expect(replies.map((r) => r.text)).toEqual([
      'This lead was offered to <@UANA>, not to you.',
      'You passed on this lead already; it goes to the next rep.',
      'This button is not from a lead offer.',
    ]);
    expect((await offersOf(handoffId)).map((o) => o.status)).toEqual(['passed']);
  });
});
