import { beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../harness/app.js';
import { drain, rows } from '../../harness/handoff.js';
import { ask, readable } from '../commands/helpers.js';
import type { TestDatabase } from '../helpers/db.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { anaFromWeb, at, claim, dmsTo, event, handoffOf, iso, postLinkOf, postsToSales, sendLead } from './person-fixtures.js';

const app = useTestApp({ now: () => at(0), resetBeforeEach: true });
const { fakeSlack } = app;
let t: TestApp;
let database: TestDatabase;
beforeAll(() => {
  ({ t, database } = app);
});

/** The same Ana, typed differently by the webinar tool, who attended the webinar and filled in its form. */
const anaFromWebinar = {
  source: 'webinar-tool',
  externalId: 'wt-81',
  email: 'ANA@dupe.example ',
  events: [event('webinar_attended', -30), event('form_submit', -20)],
};

describe('one person, one handoff (issue 12, point 3)', () => {
  it('adds the activity of the same person from another source to the open handoff instead of posting her twice', async () => {
    const web = await sendLead(t, anaFromWeb);
    expect(web.queuedForSales).toBe(true);
    await drain(t, at(0));
    expect(postsToSales(fakeSlack)).toHaveLength(1);

    const webinar = await sendLead(t, anaFromWebinar);
    // Stored and scored as its own lead, but not handed over: Ana is with sales already.
    // The caller is told where its activity went.
    expect(webinar).toMatchObject({
      score: 45,
      stage: 'lead',
      queuedForSales: false,
      samePersonAs: { source: 'web', externalId: 'ana-web' },
    });
    await drain(t, at(1));

    expect(postsToSales(fakeSlack)).toHaveLength(1);
    const handoff = await handoffOf(database, web.id);
    expect(fakeSlack.callsTo('chat.update').map((c) => c.args.ts)).toContain(handoff.message_ts);
    expect(await rows(database, 'select count(*)::int as n from handoffs')).toEqual([{ n: 1 }]);
    expect(handoff.version).toBe(1);
    expect(handoff.history).toEqual([
      {
        kind: 'activity',
        at: iso(-20),
        leadId: webinar.id,
        source: 'webinar-tool',
        summary: 'submitted a form and attended the webinar',
        scoreBefore: 0,
        scoreAfter: 45,
      },
    ]);
    const [audit] = await rows(database, `select * from audit_log where action = 'lead.merged'`);
    expect(audit).toMatchObject({
      entity: 'lead',
      entity_id: String(webinar.id),
      actor: 'api',
      details: {
        lead: { id: webinar.id, source: 'webinar-tool', externalId: 'wt-81' },
        into: { id: web.id, source: 'web', externalId: 'ana-web', handoffId: Number(handoff.id) },
      },
    });
    // The stored email is trimmed; the person key ignores case.
    const [stored] = await rows(database, `select email, email_key from leads where id = ${webinar.id}`);
    expect(stored).toEqual({ email: 'ANA@dupe.example', email_key: 'ana@dupe.example' });
  });

  it('opens one handoff when both leads of the person arrive in one batch', async () => {
    const res = await t.api('/api/leads', { leads: [anaFromWeb, anaFromWebinar] });
    expect(res.status).toBe(200);
    expect(res.body.leads.map((l: { queuedForSales: boolean }) => l.queuedForSales)).toEqual([true, false]);
    expect(res.body.leads[0].samePersonAs).toBeUndefined();
    expect(res.body.leads[1].samePersonAs).toEqual({ source: 'web', externalId: 'ana-web' });
    await drain(t, at(0));
    expect(postsToSales(fakeSlack)).toHaveLength(1);
    const handoff = await handoffOf(database, res.body.leads[0].id);
    expect(handoff.history).toMatchObject([{ kind: 'activity', source: 'webinar-tool', leadId: res.body.leads[1].id }]);
  });

  it('tells the rep holding the person about the other source, once per arrival, with a link to the post', async () => {
    const web = await sendLead(t, anaFromWeb);
    await drain(t, at(0));
    const handoff = await handoffOf(database, web.id);
    await claim(t, database, handoff.id, 'UREP1');
    await drain(t, at(1));
    const dmsBefore = dmsTo(fakeSlack, 'UREP1').length;

    await sendLead(t, { ...anaFromWebinar, events: [event('webinar_attended', -30)] });
    // The same request again (a retry): the event is stored once, so nobody hears of it twice.
    await sendLead(t, { ...anaFromWebinar, events: [event('webinar_attended', -30)] });
    await drain(t, at(2));

    expect(dmsTo(fakeSlack, 'UREP1').slice(dmsBefore)).toEqual([
      `Ana Lima · Dupe Co attended the webinar (same person, via webinar-tool) · <${postLinkOf(handoff)}|Open the post>`,
    ]);
    // A second rep finds nothing of Ana's to claim: her one handoff is held.
    expect(await rows(database, 'select count(*)::int as n from handoffs')).toEqual([{ n: 1 }]);
  });

  it('/mql score by the email in any case says the lead is the same person as the one with the open handoff', async () => {
    await sendLead(t, anaFromWeb);
    await sendLead(t, anaFromWebinar);
    const reply = readable(await ask(t, fakeSlack, 'score ANA@dupe.example'));
    expect(reply).toContain('(source `webinar-tool`, id `wt-81`)');
    expect(reply).toContain(
      "Same person as *Ana Lima · Dupe Co* (source `web`, id `ana-web`): its activity goes to that lead's open handoff.",
    );
    expect(reply).toContain('_1 more lead matches `ANA@dupe.example`: `web`/`ana-web`_');

    // Asked by the other source's id, the lead holding the handoff says activity is merged into it.
    const holder = readable(await ask(t, fakeSlack, 'score ana-web'));
    expect(holder).toContain('(source `web`, id `ana-web`)');
    expect(holder).toContain('_This lead holds the person’s open handoff: activity of the same person from other sources is added to it._');
  });

  it('treats a plus address as another person by default (MERGE_PLUS_ADDRESSES off)', async () => {
    await sendLead(t, anaFromWeb);
    const plus = await sendLead(t, { ...anaFromWebinar, email: 'ana+events@dupe.example' });
    expect(plus.queuedForSales).toBe(true);
    await drain(t, at(0));
    expect(postsToSales(fakeSlack)).toHaveLength(2);
  });

  it('follows a lead with sales to its new email within the batch that changes it', async () => {
    const web = await sendLead(t, anaFromWeb);
    const res = await t.api('/api/leads', {
      leads: [
        // Ana's lead is with sales and now has another address: her person is found there, not at the old one.
        { ...anaFromWeb, email: 'ana.lima@new.example', events: [event('email_click', -10)] },
        { source: 'crm', externalId: 'c-1', email: 'Ana.Lima@new.example', events: [event('form_submit', -5)] },
        { source: 'crm', externalId: 'c-2', email: 'ana@dupe.example', events: [event('form_submit', -5)] },
      ],
    });
    expect(res.status).toBe(200);
    const [, sameAsAna, oldAddress] = res.body.leads;
    expect(sameAsAna).toMatchObject({ queuedForSales: false, samePersonAs: { source: 'web', externalId: 'ana-web' } });
    expect(oldAddress.queuedForSales).toBe(true);
    expect(oldAddress.samePersonAs).toBeUndefined();
    const [stored] = await rows(database, `select email_key, stage from leads where id = ${web.id}`);
    expect(stored).toEqual({ email_key: 'ana.lima@new.example', stage: 'mql' });
  });

  it('hands the person over again once her handoff is decided', async () => {
    const web = await sendLead(t, anaFromWeb);
    await drain(t, at(0));
    const handoff = await handoffOf(database, web.id);
    await claim(t, database, handoff.id, 'UREP1');
    await t.submit('mql_reject_modal', String(handoff.id), rejectValues('not_a_fit'), 'UREP1');
    const webinar = await sendLead(t, anaFromWebinar);
    expect(webinar.queuedForSales).toBe(true);
  });
});

const rejectValues = (reason: string) => ({
  reason: { reason: { type: 'static_select', selected_option: { value: reason } } },
  note: { note: { type: 'plain_text_input', value: null } },
});
