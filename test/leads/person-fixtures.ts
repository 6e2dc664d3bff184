/** Shared by the one-person-one-handoff and owner-activity tests. */
import { expect } from 'vitest';
import { SALES_CHANNEL, type TestApp } from '../../harness/app.js';
import { eventually, rows } from '../../harness/handoff.js';
import type { TestDatabase } from '../helpers/db.js';
import type { FakeSlack } from '../helpers/fake-slack.js';

/** `minutes` after 2026-11-23 10:00 UTC, the tests' clock. */
export const at = (minutes: number) => new Date(Date.parse('2026-11-23T10:00:00Z') + minutes * 60_000);
export const iso = (minutes: number) => at(minutes).toISOString();

export const event = (type: string, minutes: number) => ({ type, occurredAt: iso(minutes) });

/** Sends one lead through the API and returns what the API answered for it. */
export async function sendLead(t: TestApp, lead: Record<string, unknown>) {
  const res = await t.api('/api/leads', lead);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.leads[0] as { id: number; stage: string; score: number; queuedForSales: boolean; samePersonAs?: unknown };
}

/** Ana from the web form: qualifies (a form is worth the threshold) and is posted. */
export const anaFromWeb = {
  source: 'web',
  externalId: 'ana-web',
  email: 'ana@dupe.example',
  name: 'Ana Lima',
  company: 'Dupe Co',
  events: [event('form_submit', -60)],
};

export const postsToSales = (fakeSlack: FakeSlack) => fakeSlack.callsTo('chat.postMessage').filter((c) => c.args.channel === SALES_CHANNEL);

/** Texts of the DMs a user got (a DM is a postMessage to the user id). */
export const dmsTo = (fakeSlack: FakeSlack, user: string) =>
  fakeSlack
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === user)
    .map((c) => String(c.args.text));

export async function handoffOf(database: TestDatabase, leadId: number) {
  const [handoff] = await rows(database, `select * from handoffs where lead_id = ${leadId} order by qualification desc limit 1`);
  return handoff!;
}

/** A signed Claim click, waited for until the claim is stored. */
export async function claim(t: TestApp, database: TestDatabase, handoffId: number, user: string) {
  await t.click('mql_claim', String(handoffId), user);
  await eventually(
    () => rows(database, `select claimed_by from handoffs where id = ${handoffId}`),
    (r) => r[0]?.claimed_by === user,
  );
}

/** The link to a handoff's post, as a DM shows it. */
export const postLinkOf = (handoff: Record<string, any>) =>
  `https://slack.com/archives/${handoff.channel}/p${String(handoff.message_ts).replace('.', '')}`;
