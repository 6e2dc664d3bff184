import { beforeEach, describe, expect, it } from 'vitest';
import { appHomeOpenedBody, homeClickBody } from '../../harness/slack-request.js';
import { drain, eventually, handoffsOf, qualifyLead, rows } from '../../harness/handoff.js';
import { useTestApp } from '../helpers/use-test-app.js';

/*
 * The App Home, end to end: a signed `app_home_opened` event into the real app, the Home the fake Slack
 * receives through views.publish, and clicks made from it as Slack sends them (no response_url).
 */

const at = (minutes: number) => new Date(Date.parse('2026-11-23T10:00:00Z') + minutes * 60_000);
let clock = at(0);
const app = useTestApp({ now: () => clock, resetBeforeEach: true });
const { fakeSlack } = app;
beforeEach(() => {
  clock = at(0);
});

const [REP, OTHER, MANAGER, MARKETER] = ['UREP1', 'UREP2', 'UMANAGER', 'UMARKETER'];
type Block = Record<string, any>;

const publishesTo = (user: string) => fakeSlack.callsTo('views.publish').filter((c) => c.args.user_id === user);
/** Opens `user`'s Home and returns the view published for it. */
async function openHome(user: string, tab: 'home' | 'messages' = 'home') {
  const before = publishesTo(user).length;
  const res = await app.t.slack(appHomeOpenedBody(user, tab), 'application/json');
  expect(res.status).toBe(200);
  await eventually(
    () => publishesTo(user).length,
    (n) => n > before,
  );
  return publishesTo(user).at(-1)!.args.view as { type: string; blocks: Block[] };
}
const headers = (blocks: Block[]) => blocks.filter((b) => b.type === 'header').map((b) => b.text.text);
/** Texts of the blocks, a lead's link to its post reduced to its name (the links are checked on their own). */
const unlinked = (text: unknown) => (typeof text === 'string' ? text.replace(/<https:[^|>]+\|([^>]+)>/g, '$1') : text);
const texts = (blocks: Block[]) =>
  blocks.flatMap((b) => [b.text?.text, ...(b.elements ?? []).map((e: Block) => e.text?.text ?? e.text)]).map(unlinked);
/** The section naming `lead`, and the buttons that go with it (its accessory, or the actions block after it). */
function leadEntry(blocks: Block[], lead: string) {
  const index = blocks.findIndex((b) => b.type === 'section' && String(b.text?.text).includes(lead));
  if (index < 0) return null;
  const block = blocks[index]!;
  const next = blocks[index + 1];
  const buttons: Block[] = block.accessory ? [block.accessory] : next?.type === 'actions' ? next.elements : [];
  return {
    text: String(unlinked(block.text.text)),
    link: /<(https:[^|>]+)\|/.exec(String(block.text.text))?.[1] ?? null,
    buttons: buttons.map((b) => ({ text: b.text.text, action: b.action_id, value: b.value })),
  };
}
/** The part of the Home under a header, up to the next header. */
function part(blocks: Block[], title: string): Block[] {
  const start = blocks.findIndex((b) => b.type === 'header' && b.text.text === title);
  if (start < 0) return [];
  const end = blocks.findIndex((b, i) => i > start && b.type === 'header');
  return blocks.slice(start + 1, end < 0 ? undefined : end);
}

async function postedLead(externalId: string) {
  const lead = await qualifyLead(app.t, externalId);
  await drain(app.t, clock);
  const [handoff] = await handoffsOf(app.database, lead.id);
  return String(handoff!.id);
}
async function click(user: string, actionId: string, handoffId: string) {
  const res = await app.t.slack(homeClickBody(user, actionId, handoffId), 'application/x-www-form-urlencoded');
  expect(res.status).toBe(200);
}
const claimedBy = async (handoffId: string) =>
  (await rows(app.database, `select claimed_by from handoffs where id = ${handoffId}`))[0]?.claimed_by;

describe('a rep opens the Home tab', () => {
  it('with nothing going on: says so in words, and shows no manager or marketer part', async () => {
    const view = await openHome(REP);
    expect(view.type).toBe('home');
    expect(headers(view.blocks)).toEqual(['My leads', 'Unclaimed now']);
    expect(texts(part(view.blocks, 'My leads'))).toContain('You hold no leads. Claim one below when you can take it.');
    expect(texts(part(view.blocks, 'Unclaimed now'))).toContain('No lead is waiting for an owner.');
  });

  it('shows the lead they hold with its decision deadline and Accept / Reject / Release, and unclaimed leads with Claim', async () => {
    const held = await postedLead('held');
    const waiting = await postedLead('waiting');
    // Opened once, REP's Home is re-published after the click too: wait for that one, so the Home opened
    // below is the one built at 10:20 (another test may have opened it before, which made this racy).
    await openHome(REP);
    const publishedBefore = publishesTo(REP).length;
    clock = at(5);
    await app.t.click('mql_claim', held, REP);
    await eventually(
      () => claimedBy(held),
      (u) => u === REP,
    );
    await eventually(
      () => publishesTo(REP).length,
      (n) => n > publishedBefore,
    );
    clock = at(20);

    const view = await openHome(REP);
    const mine = leadEntry(part(view.blocks, 'My leads'), 'Lead held');
    // Claimed at 10:05 with the default 24 h decision SLA.
    const deadline = Date.parse('2026-11-24T10:05:00Z') / 1000;
    // Its name links to its post, where the reasons are.
    expect(mine!.link).toMatch(/^https:\/\/slack\.com\/archives\/CSALES\/p\d+$/);
    expect(mine!.text).toBe(`*Lead held · Acme* · score 30\nDecide by <!date^${deadline}^{date_short_pretty} {time}|2026-11-24 10:05 UTC>`);
    expect(mine!.buttons).toEqual([
      { text: 'Accept', action: 'mql_accept', value: held },
      { text: 'Reject', action: 'mql_reject', value: held },
      { text: 'Release', action: 'mql_release', value: held },
    ]);
    expect(leadEntry(part(view.blocks, 'My leads'), 'Lead waiting')).toBeNull();
    const unclaimed = leadEntry(part(view.blocks, 'Unclaimed now'), 'Lead waiting');
    expect(unclaimed).toMatchObject({
      text: '*Lead waiting · Acme* · score 30 · waiting 20 min',
      buttons: [{ text: 'Claim', action: 'mql_claim', value: waiting }],
    });
    // Another rep's Home shows the held lead nowhere: it is not theirs and not unclaimed.
    const other = await openHome(OTHER);
    expect(JSON.stringify(other.blocks)).not.toContain('Lead held');
  });

  it('the Messages tab publishes nothing', async () => {
    const res = await app.t.slack(appHomeOpenedBody(REP, 'messages'), 'application/json');
    expect(res.status).toBe(200);
    await openHome(OTHER); // a later event, handled after the first one
    expect(publishesTo(REP)).toEqual([]);
  });
});

describe('acting from the Home tab', () => {
  it('Claim, then Accept: each takes effect and the clicker’s Home is published again, showing it', async () => {
    const id = await postedLead('from-home');
    await openHome(REP);
    const publishes = publishesTo(REP).length;

    await click(REP, 'mql_claim', id);
    await eventually(
      () => publishesTo(REP).length,
      (n) => n === publishes + 1,
    );
    expect(await claimedBy(id)).toBe(REP);
    const afterClaim = publishesTo(REP).at(-1)!.args.view as { blocks: Block[] };
    expect(leadEntry(part(afterClaim.blocks, 'My leads'), 'Lead from-home')!.buttons.map((b) => b.text)).toEqual([
      'Accept',
      'Reject',
      'Release',
    ]);
    expect(texts(part(afterClaim.blocks, 'Unclaimed now'))).toContain('No lead is waiting for an owner.');

    await click(REP, 'mql_accept', id);
    await eventually(
      () => publishesTo(REP).length,
      (n) => n === publishes + 2,
    );
    expect((await rows(app.database, `select decision from handoffs where id = ${id}`))[0]!.decision).toBe('accepted');
    const afterAccept = publishesTo(REP).at(-1)!.args.view as { blocks: Block[] };
    expect(texts(part(afterAccept.blocks, 'My leads'))).toContain('You hold no leads. Claim one below when you can take it.');
  });

  it('a click from someone who never opened Home publishes no Home for them', async () => {
    const id = await postedLead('no-home');
    const stranger = 'UNEVEROPENED';
    await click(stranger, 'mql_claim', id);
    await eventually(
      () => claimedBy(id),
      (u) => u === stranger,
    );
    await openHome(REP); // handled after the click's work
    expect(publishesTo(stranger)).toEqual([]);
  });

  it('a Home Slack refuses to publish never breaks the click', async () => {
    const id = await postedLead('refused-home');
    await openHome(REP);
    fakeSlack.respond('views.publish', () => ({ ok: false, error: 'internal_error' }));
    await click(REP, 'mql_claim', id);
    await eventually(
      () => claimedBy(id),
      (u) => u === REP,
    );
    await eventually(
      () => publishesTo(REP).length,
      (n) => n === 2,
    );
    await drain(app.t, clock);
    expect(fakeSlack.callsTo('chat.update').length).toBeGreaterThan(0);
  });
});

describe('a manager’s Home', () => {
  it('shows open leads by rep and the SLA misses of the day, with Assign on those still waiting', async () => {
    const a = await postedLead('a');
    const b = await postedLead('b');
    const c = await postedLead('c');
    await app.t.click('mql_claim', a, REP);
    await app.t.click('mql_claim', b, REP);
    await eventually(
      async () => [await claimedBy(a), await claimedBy(b)],
      (u) => u[0] === REP && u[1] === REP,
    );
    clock = at(40); // c has waited 40 min unclaimed: past the 15 min claim SLA

    const view = await openHome(MANAGER);
    expect(headers(view.blocks)).toEqual(['My leads', 'Unclaimed now', 'Team: open leads by rep', 'SLA misses today']);
    expect(texts(part(view.blocks, 'Team: open leads by rep'))).toContain(
      `<@${REP}> — 2 leads: Lead a · Acme, Lead b · Acme\nUnclaimed: 1 lead`,
    );
    const misses = part(view.blocks, 'SLA misses today');
    expect(leadEntry(misses, 'Lead c')).toMatchObject({
      text: '*Lead c · Acme* — unclaimed for 40 min (claim SLA 15 min)',
      buttons: [{ text: 'Assign', action: 'mql_reassign', value: c }],
    });
    expect(misses).toHaveLength(1);
  });

  it('says when no SLA was missed', async () => {
    await postedLead('fresh');
    const view = await openHome(MANAGER);
    expect(texts(part(view.blocks, 'SLA misses today'))).toEqual(['No SLA was missed today.']);
  });
});

describe('a marketer’s Home', () => {
  it('shows the active criteria version and its backtest, kept until the version changes', async () => {
    await postedLead('m1');
    const first = await openHome(MARKETER);
    const criteria = texts(part(first.blocks, 'Scoring criteria')).join('\n');
    expect(criteria).toMatch(
      /^\*Version 1\* · qualifies at total &gt;= 30 · \d+ rules · engagement points do not decay\nVersion 1, changed by /,
    );
    expect(criteria).toContain('*Backtest of this version*\nWould qualify: *1* of 1 (100.0%) at threshold 30');

    // More leads arrive: the same version's backtest is not run again on every open.
    await postedLead('m2');
    const second = await openHome(MARKETER);
    expect(texts(part(second.blocks, 'Scoring criteria')).join('\n')).toContain('Would qualify: *1* of 1 ');

    const changed = await app.t.command('criteria threshold 40 --confirm', MARKETER);
    expect(changed.status).toBe(200);
    // The change is made after the command is acknowledged.
    await eventually(
      async () => (await rows(app.database, 'select max(version)::int as v from criteria_versions'))[0]!.v,
      (v) => v === 2,
    );
    const third = await openHome(MARKETER);
    const after = texts(part(third.blocks, 'Scoring criteria')).join('\n');
    expect(after).toMatch(/^\*Version 2\* · qualifies at total &gt;= 40 /);
    expect(after).toContain('Would qualify: *0* of 2 (0.0%) at threshold 40');
  });
});
