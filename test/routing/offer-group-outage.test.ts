import { describe, expect, it } from 'vitest';
import { drain, route, rows } from '../../harness/handoff.js';
import { at, database, emeaRoute, t, useOfferFlow } from './offer-fixtures.js';

const clock = at(0);

describe('a team given as a user group, while Slack cannot list it', () => {
  const { fakeSlack, useRoutes, routedLead, offersOf } = useOfferFlow(() => clock);

  it('keeps the lead waiting for its team instead of opening it to everyone, and offers it once Slack answers', async () => {
    await useRoutes(emeaRoute({ team: { users: [], groups: ['S0REPS'], weights: {} } }));
    let slackDown = true;
    fakeSlack.respond('usergroups.users.list', () =>
      slackDown ? new Response('upstream error', { status: 503 }) : { ok: true, users: ['UANA', 'UBEN'] },
    );
    const { handoffId } = await routedLead('group-1');
    expect(await offersOf(handoffId)).toEqual([]);
    const [handoff] = await rows(database, `select offer_mode from handoffs where id = ${handoffId}`);
    expect(handoff!.offer_mode).toBe('round-robin');
    expect(await rows(database, `select 1 from audit_log where action = 'offer.opened'`)).toEqual([]);

    slackDown = false;
    await route(t, clock);
    await drain(t, clock);
    expect((await offersOf(handoffId)).map((o) => [o.user_id, o.status])).toEqual([['UANA', 'open']]);
  });

  it('opens the lead to everyone when the group is known to be empty', async () => {
    await useRoutes(emeaRoute({ team: { users: [], groups: ['S0EMPTY'], weights: {} } }));
    fakeSlack.respond('usergroups.users.list', () => ({ ok: true, users: [] }));
    const { handoffId } = await routedLead('group-2');
    const [handoff] = await rows(database, `select offer_mode from handoffs where id = ${handoffId}`);
    expect(handoff!.offer_mode).toBeNull();
  });
});
