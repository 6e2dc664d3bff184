import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { appHomeOpenedBody } from '../../harness/slack-request.js';
import { eventually } from '../../harness/handoff.js';
import type { HomeHandoff, HomeOffer } from '../../db/queries/home.js';
import { setAway } from '../../db/queries/rep-away.js';
import type { OfferStatus } from '../../db/types.js';
import { homeView } from '../../src/home/blocks.js';
import { type HomeRouting, repHome, teamHome } from '../../src/home/model.js';
import { OFFER_ACTIONS } from '../../src/routing/types.js';
import type { SlaPolicy } from '../../src/sla/policy.js';
import { blockKitViolations } from '../helpers/block-kit.js';
import { seedHandoff, seedOffer } from '../helpers/seed.js';
import { useTestApp } from '../helpers/use-test-app.js';

/*
 * What routing adds to the App Home: a rep's open offers (Accept / Pass) and away spell, and the managers'
 * offers of the day and who is away; nothing of it on an install that offers no leads.
 */

const MIN = 60_000;
const NOW = new Date('2026-11-23T10:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * MIN);
const app = useTestApp({ now: () => NOW, resetBeforeEach: true });
const [ANA, BEN, CY, MANAGER] = ['UREP1', 'UREP2', 'UREP3', 'UMANAGER'];
type Block = Record<string, any>;

const publishesTo = (user: string) => app.fakeSlack.callsTo('views.publish').filter((c) => c.args.user_id === user);
async function openHome(user: string): Promise<Block[]> {
  const before = publishesTo(user).length;
  expect((await app.t.slack(appHomeOpenedBody(user, 'home'), 'application/json')).status).toBe(200);
  await eventually(
    () => publishesTo(user).length,
    (n) => n > before,
  );
  return (publishesTo(user).at(-1)!.args.view as { blocks: Block[] }).blocks;
}
const headers = (blocks: Block[]) => blocks.filter((b) => b.type === 'header').map((b) => b.text.text);
function part(blocks: Block[], title: string): Block[] {
  const start = blocks.findIndex((b) => b.type === 'header' && b.text.text === title);
  if (start < 0) return [];
  const end = blocks.findIndex((b, i) => i > start && b.type === 'header');
  return blocks.slice(start + 1, end < 0 ? undefined : end);
}
const date = (at: Date) =>
  `<!date^${at.getTime() / 1000}^{date_short_pretty} {time}|${at.toISOString().replace('T', ' ').slice(0, 16)} UTC>`;

async function offer(handoffId: number, userId: string, status: OfferStatus, offeredMinAgo: number, routeName: string | null = 'emea') {
  const offeredAt = minutesAgo(offeredMinAgo);
  const answeredAt = status === 'open' ? null : new Date(offeredAt.getTime() + MIN);
  return seedOffer(app.database, { handoffId, userId, routeName, status, offeredAt, answeredAt });
}

describe('a rep’s Home with routing', () => {
  let older: number;
  let newer: number;
  beforeEach(async () => {
    older = await seedHandoff(app.database, { name: 'Jana', postedAt: minutesAgo(10) });
    newer = await seedHandoff(app.database, { name: 'Sam', postedAt: minutesAgo(3) });
    await offer(older, BEN, 'passed', 9);
  });

  it('lists the leads offered to them, newest first, linked to the post, with the route, the deadline and Accept / Pass', async () => {
    const first = await offer(older, ANA, 'open', 2, null);
    const second = await offer(newer, ANA, 'open', 1);
    const blocks = await openHome(ANA);
    expect(headers(blocks)).toEqual(['Offered to you', 'My leads', 'Unclaimed now']);
    const offered = part(blocks, 'Offered to you');
    expect(offered.map((b) => b.type)).toEqual(['section', 'actions', 'section', 'actions', 'divider']);
    expect(offered[0]!.text.text).toMatch(
      new RegExp(
        `^\\*<https://slack\\.com/archives/CSALES/p\\d+\\|Sam>\\* · score 40 · route emea\\nAnswer by ${literally(date(minutesAgo(-4)))}$`,
      ),
    );
    expect(offered[2]!.text.text).toContain('|Jana>* · score 40 · route default\nAnswer by');
    const buttons = (actions: Block) => actions.elements.map((b: Block) => [b.text.text, b.action_id, b.value]);
    expect(buttons(offered[1]!)).toEqual([
      ['Accept', OFFER_ACTIONS.accept, String(second)],
      ['Pass', OFFER_ACTIONS.pass, String(second)],
    ]);
    expect(buttons(offered[3]!)).toEqual([
      ['Accept', OFFER_ACTIONS.accept, String(first)],
      ['Pass', OFFER_ACTIONS.pass, String(first)],
    ]);
    // Offered to them, so not also "unclaimed" with a Claim button.
    expect(part(blocks, 'Unclaimed now').map((b) => b.text?.text)).toEqual(['No lead is waiting for an owner.']);
  });

  it('shows another rep a lead under offer without Claim, saying who holds the offer and until when', async () => {
    await offer(newer, ANA, 'open', 1);
    const unclaimed = part(await openHome(BEN), 'Unclaimed now');
    const sam = unclaimed.find((b) => String(b.text?.text).includes('|Sam>'))!;
    expect(sam.text.text).toMatch(/\* · score 40 · waiting 3 min\nOffered to <@UREP1> until <!date\^/);
    expect(sam.accessory).toBeUndefined();
    const jana = unclaimed.find((b) => String(b.text?.text).includes('|Jana>'))!;
    expect(jana.accessory).toMatchObject({ action_id: 'mql_claim', value: String(older) });
  });

  it('shows a lead its team is being offered (between offers, or waiting for business hours) without Claim', async () => {
    await app.database.db.execute(sql`update handoffs set offer_mode = 'round-robin' where id = ${newer}`);
    const sam = part(await openHome(BEN), 'Unclaimed now').find((b) => String(b.text?.text).includes('|Sam>'))!;
    expect(sam.text.text).toMatch(/\nBeing offered to its team, one rep at a time$/);
    expect(sam.accessory).toBeUndefined();
  });

  it('says when they are away, until when, and how to come back', async () => {
    await setAway(app.database.db, { userId: ANA, awayUntil: new Date('2026-11-25T09:00:00Z'), since: minutesAgo(60), setBy: ANA });
    await setAway(app.database.db, { userId: BEN, awayUntil: null, since: minutesAgo(60), setBy: MANAGER });
    await setAway(app.database.db, { userId: CY, awayUntil: minutesAgo(1), since: minutesAgo(60), setBy: CY }); // back already
    expect((await openHome(ANA))[0]!.text.text).toBe(
      `:palm_tree: You're away until ${date(new Date('2026-11-25T09:00:00Z'))}: no leads are offered to you. \`/mql back\` when you return.`,
    );
    expect((await openHome(BEN))[0]!.text.text).toBe(":palm_tree: You're away: no leads are offered to you. `/mql back` when you return.");
    expect(headers(await openHome(CY))).toEqual(['My leads', 'Unclaimed now']);
  });
});

describe('a manager’s Home with routing', () => {
  it('adds the day’s offers per route ("default" for the default route) and per rep, and who is away now', async () => {
    const jana = await seedHandoff(app.database, { name: 'Jana', postedAt: minutesAgo(60) });
    await offer(jana, ANA, 'passed', 50);
    await offer(jana, BEN, 'timed_out', 40);
    await offer(jana, CY, 'accepted', 30, null);
    await offer(jana, ANA, 'accepted', 60 * 11); // yesterday (before midnight UTC): not today's
    await setAway(app.database.db, { userId: BEN, awayUntil: null, since: minutesAgo(5), setBy: MANAGER });
    const routing = part(await openHome(MANAGER), 'Routing today');
    expect(routing.map((b) => b.text.text)).toEqual([
      '*Offers today:* 3 offers · 1 accepted · 1 passed · 1 timed out · 0 withdrawn · 0 still open\n*By route*\n' +
        '• *emea* — 2 offers · 0 accepted · 1 passed · 1 timed out · 0 withdrawn · 0 still open\n' +
        '• *default* — 1 offer · 1 accepted · 0 passed · 0 timed out · 0 withdrawn · 0 still open',
      '*By rep*\n' +
        '• <@UREP1> — 1 offer · 0 accepted · 1 passed · 0 timed out · 0 withdrawn · 0 still open\n' +
        '• <@UREP2> — 1 offer · 0 accepted · 0 passed · 1 timed out · 0 withdrawn · 0 still open\n' +
        '• <@UREP3> — 1 offer · 1 accepted · 0 passed · 0 timed out · 0 withdrawn · 0 still open',
      '*Away now*\n• <@UREP2> until they say they are back',
    ]);
  });
});

describe('an install that offers no leads', () => {
  it('shows reps and managers no routing part at all', async () => {
    await seedHandoff(app.database, { name: 'Jana', postedAt: minutesAgo(10) });
    expect(headers(await openHome(ANA))).toEqual(['My leads', 'Unclaimed now']);
    expect(headers(await openHome(MANAGER))).toEqual(['My leads', 'Unclaimed now', 'Team: open leads by rep', 'SLA misses today']);
  });
});

describe('the Home’s size with routing', () => {
  const policy: SlaPolicy = {
    claimSlaMs: 15 * MIN,
    decisionSlaMs: 24 * 60 * MIN,
    calendar: { businessHours: null, timeZone: 'UTC' },
    autoRelease: false,
  };
  const lead = { name: 'x'.repeat(4000), email: null, company: null, externalId: 'x' };
  const handoff = (id: number, over: Partial<HomeHandoff> = {}): HomeHandoff => ({
    id,
    score: 40,
    postedAt: minutesAgo(60),
    claimableSince: null,
    claimedBy: null,
    claimedAt: null,
    decision: null,
    decidedAt: null,
    channel: 'CSALES',
    messageTs: `1700000000.${String(id).padStart(6, '0')}`,
    lead,
    ...over,
  });
  const homeOffer = (id: number, userId: string, status: OfferStatus): HomeOffer => ({
    id,
    handoffId: id,
    userId,
    routeName: `<${'r'.repeat(300)}> ${id % 30}`,
    status,
    offeredAt: minutesAgo(id % 50),
    expiresAt: minutesAgo(-5),
    answeredAt: null,
    score: 40,
    channel: 'CSALES',
    messageTs: `1700000000.${String(id).padStart(6, '0')}`,
    lead,
  });

  it('stays under 100 blocks and within Block Kit limits with every list full, ending lists with "and N more"', () => {
    const all = [
      ...Array.from({ length: 30 }, (_, i) => handoff(i + 1, { claimedBy: ANA, claimedAt: minutesAgo(26 * 60) })),
      ...Array.from({ length: 40 }, (_, i) => handoff(i + 100)),
    ];
    const routing: HomeRouting = {
      offers: [
        ...Array.from({ length: 20 }, (_, i) => homeOffer(i + 100, ANA, 'open')),
        ...Array.from({ length: 200 }, (_, i) => homeOffer(i + 1000, `U${i % 40}${'Z'.repeat(30)}`, 'timed_out')),
      ],
      away: [
        { userId: ANA, awayUntil: minutesAgo(-60), since: minutesAgo(5), setBy: ANA },
        ...Array.from({ length: 40 }, (_, i) => ({ userId: `UAWAY${i}`, awayUntil: null, since: minutesAgo(5), setBy: MANAGER })),
      ],
    };
    const { blocks } = homeView({
      now: NOW,
      rep: repHome(all, ANA, NOW, policy, routing),
      team: { ...teamHome(all, NOW, policy, routing), claimSlaMs: policy.claimSlaMs, decisionSlaMs: policy.decisionSlaMs },
    }) as { blocks: Block[] };
    expect(blocks.length).toBeLessThanOrEqual(100);
    expect(blockKitViolations(blocks).filter((v) => !v.endsWith('blocks > 50'))).toEqual([]);
    const text = JSON.stringify(blocks);
    expect(text).toContain('…and 15 more offered to you.');
    expect(text).not.toContain('<rrr');
    expect(part(blocks, 'Routing today').map((b) => b.text.text.split('\n').at(-1))).toEqual(['and 20 more', 'and 26 more', 'and 26 more']);
  });
});

/** A literal string in a RegExp. */
function literally(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
