import { HttpResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { drain, qualifyLead, route, rows } from '../../harness/handoff.js';
import { slackDate } from '../../src/slack/mrkdwn.js';
import { at, buttonsOf, database, emeaRoute, t, textOf, useOfferFlow, type Blocks } from './offer-fixtures.js';

let clock = at(0);
const { fakeSlack, useRoutes, offersOf, dmsTo, postNow, restart } = useOfferFlow(() => clock);
beforeEach(async () => {
  clock = at(0);
  await useRoutes(emeaRoute());
});

const offerRows = () => rows(database, `select user_id, status, expires_at from offers order by id`);

describe('offers through Slack failures and restarts', () => {
  it('a rate-limited, then failing offer DM is sent once, late, and the rep gets the whole time to answer from then', async () => {
    let refusals = 0;
    fakeSlack.respond('chat.postMessage', (args) => {
      if (args.channel !== 'UANA' || refusals >= 3) return undefined;
      refusals++;
      return refusals === 1
        ? new HttpResponse(JSON.stringify({ ok: false, error: 'ratelimited' }), { status: 429, headers: { 'Retry-After': '60' } })
        : new HttpResponse('upstream broke', { status: 503 });
    });
    await qualifyLead(t, 'o1');
    await route(t, clock);
    await drain(t, clock);
    expect(dmsTo('UANA')).toHaveLength(1);

    // Long past the offer's deadline, but the rep has not seen it: it does not run out.
    clock = at(10);
    expect(await route(t, clock)).toMatchObject({ timedOut: 0, offered: 0 });
    for (let minute = 10; minute <= 20 && fakeSlack.delivered('UANA').length === 0; minute++) {
      clock = at(minute);
      await drain(t, clock);
    }
    const delivered = fakeSlack.delivered('UANA');
    expect(delivered).toHaveLength(1);
    const [offer] = await offerRows();
    const expiresAt = new Date(offer!.expires_at);
    expect(offer!.status).toBe('open');
    expect(expiresAt.getTime()).toBe(clock.getTime() + 5 * 60_000);
    const dm = dmsTo('UANA').at(-1)!.args;
    expect((dm.blocks as Blocks)[0]!.text.text).toContain(`Accept within 5 min (by ${slackDate(expiresAt)})`);
    expect(buttonsOf(dm.blocks as Blocks)).toEqual(['Accept', 'Pass']);
    await drain(t, clock);
    expect(textOf(postNow().blocks)).toContain(`(until ${slackDate(expiresAt)})`);

    expect(await route(t, new Date(expiresAt.getTime() - 1000))).toMatchObject({ timedOut: 0 });
    clock = expiresAt;
    expect(await route(t, clock)).toMatchObject({ timedOut: 1, offered: 1 });
    expect((await offersOf(1)).map((o) => [o.user_id, o.status])).toEqual([
      ['UANA', 'timed_out'],
      ['UBEN', 'open'],
    ]);
    expect(fakeSlack.delivered('UANA')).toHaveLength(1);
  });

  it('an offer made just before a restart is sent once by the next process', async () => {
    await qualifyLead(t, 'o2');
    await route(t, clock);
    await restart();
    await route(t, clock);
    await drain(t, clock);
    await drain(t, at(1));
    expect(fakeSlack.delivered('UANA')).toHaveLength(1);
    expect(await offerRows()).toHaveLength(1);
  });
});
