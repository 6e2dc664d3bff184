import { beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../harness/app.js';
import { drain, eventually, rows } from '../../harness/handoff.js';
import type { TestDatabase } from '../helpers/db.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { anaFromWeb, at, claim, dmsTo, event, handoffOf, postLinkOf, sendLead } from './person-fixtures.js';

const app = useTestApp({ now: () => at(0), resetBeforeEach: true });
const { fakeSlack } = app;
let t: TestApp;
let database: TestDatabase;
beforeAll(() => {
  ({ t, database } = app);
});

const moreEvents = (events: unknown[]) => t.api('/api/leads/ana-web/events?source=web', { events });

/** Ana posted and claimed by UREP1; returns her handoff and how many DMs UREP1 had by then. */
async function claimedAna() {
  const lead = await sendLead(t, { ...anaFromWeb, title: 'VP Engineering' });
  await drain(t, at(0));
  const handoff = await handoffOf(database, lead.id);
  await claim(t, database, handoff.id, 'UREP1');
  await drain(t, at(1));
  return { handoff, dmsBefore: dmsTo(fakeSlack, 'UREP1').length };
}

describe("the owner hears of a lead's new activity (issue 12, point 12)", () => {
  it('DMs the rep holding a lead once per arrival, with the score change and a link to the post', async () => {
    const { handoff, dmsBefore } = await claimedAna();
    expect((await moreEvents([event('webinar_attended', -10)])).status).toBe(200);
    // A retry of the same request, and the same event again: one event, no second DM.
    expect((await moreEvents([event('webinar_attended', -10)])).status).toBe(200);
    await drain(t, at(2));
    expect((await moreEvents([event('email_click', -5), event('email_click', -4)])).status).toBe(200);
    await drain(t, at(3));

    expect(dmsTo(fakeSlack, 'UREP1').slice(dmsBefore)).toEqual([
      `Ana Lima · Dupe Co attended the webinar; score 45 → 60 · <${postLinkOf(handoff)}|Open the post>`,
      `Ana Lima · Dupe Co clicked an email; score 60 → 70 · <${postLinkOf(handoff)}|Open the post>`,
    ]);
  });

  it('DMs the rep who accepted the lead, and nobody while the lead is unclaimed', async () => {
    const lead = await sendLead(t, anaFromWeb);
    await drain(t, at(0));
    await moreEvents([event('page_view', -30)]);
    await drain(t, at(1));
    expect(fakeSlack.callsTo('chat.postMessage').filter((c) => String(c.args.channel).startsWith('U'))).toEqual([]);

    const handoff = await handoffOf(database, lead.id);
    await claim(t, database, handoff.id, 'UREP2');
    await t.click('mql_accept', String(handoff.id), 'UREP2');
    await eventually(
      () => rows(database, `select decision from handoffs where id = ${handoff.id}`),
      (r) => r[0]?.decision === 'accepted',
    );
    await drain(t, at(2));
    const dmsBefore = dmsTo(fakeSlack, 'UREP2').length;
    await moreEvents([event('trial_started', -1)]);
    await drain(t, at(3));
    expect(dmsTo(fakeSlack, 'UREP2').slice(dmsBefore)).toEqual([
      `Ana Lima · Dupe Co trial started; score 30 · <${postLinkOf(handoff)}|Open the post>`,
    ]);
  });
});
