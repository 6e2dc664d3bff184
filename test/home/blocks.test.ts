import { describe, expect, it } from 'vitest';
import type { HomeHandoff } from '../../db/queries/home.js';
import { homeView, missLine, type HomeContent } from '../../src/home/blocks.js';
import { repHome, startOfDay, teamHome } from '../../src/home/model.js';
import type { SlaPolicy } from '../../src/sla/policy.js';
import { parseBusinessHours, type BusinessHours } from '../../src/sla/business-hours.js';
import { blockKitViolations } from '../helpers/block-kit.js';

const MIN = 60_000;
const now = new Date('2026-11-23T15:00:00Z'); // a Monday
const policy: SlaPolicy = {
  claimSlaMs: 15 * MIN,
  decisionSlaMs: 24 * 60 * MIN,
  calendar: { businessHours: null, timeZone: 'UTC' },
  autoRelease: false,
};
const ago = (minutes: number) => new Date(now.getTime() - minutes * MIN);

let nextId = 1;
function handoff(over: Partial<HomeHandoff> & { name?: string } = {}): HomeHandoff {
  const { name, ...rest } = over;
  const id = nextId++;
  return {
    id,
    score: 40,
    postedAt: ago(5),
    claimableSince: null,
    claimedBy: null,
    claimedAt: null,
    decision: null,
    decidedAt: null,
    channel: 'CSALES',
    messageTs: `1700000000.00000${id}`,
    lead: { name: name ?? `Lead ${id}`, email: null, company: null, externalId: `x${id}` },
    ...rest,
  };
}
type Block = Record<string, any>;
const allText = (blocks: Block[]) => JSON.stringify(blocks);
/** A lead's name links to its post; most checks read the text around it. */
const unlinked = (text: string) => text.replace(/<https:[^|>]+\|([^>]+)>/g, '$1');

describe('repHome', () => {
  it('holds the user’s undecided claims with their deadlines in business hours, and the unclaimed oldest first', () => {
    const hours = parseBusinessHours('Mon-Fri 09:00-18:00') as BusinessHours;
    const withHours = { ...policy, decisionSlaMs: 6 * 60 * MIN, calendar: { businessHours: hours, timeZone: 'UTC' } };
    const mine = handoff({ claimedBy: 'U1', claimedAt: ago(60) }); // Mon 14:00: 4 h left today, 2 h on Tuesday
    const theirs = handoff({ claimedBy: 'U2', claimedAt: ago(60) });
    const decided = handoff({ claimedBy: 'U1', claimedAt: ago(60), decision: 'accepted', decidedAt: ago(1) });
    const newer = handoff({ postedAt: ago(3) });
    const older = handoff({ postedAt: ago(90) });
    const home = repHome([mine, theirs, decided, newer, older], 'U1', now, withHours);
    expect(home.held).toEqual([
      {
        id: mine.id,
        name: mine.lead.name,
        link: `https://slack.com/archives/CSALES/p170000000000000${mine.id}`,
        score: 40,
        decideBy: new Date('2026-11-24T11:00:00Z'),
      },
    ]);
    expect(home.unclaimed.map((l) => [l.id, l.waitedMs])).toEqual([
      [older.id, 90 * MIN],
      [newer.id, 3 * MIN],
    ]);
  });
});

describe('teamHome', () => {
  it('counts open leads per rep, and lists misses: still open past SLA first, then late today, never yesterday’s', () => {
    const sla = { claimSlaMs: policy.claimSlaMs, decisionSlaMs: policy.decisionSlaMs };
    const all = [
      handoff({ name: 'Waiting', postedAt: ago(20), claimableSince: ago(20) }),
      handoff({ name: 'Fresh', postedAt: ago(14), claimableSince: ago(14) }),
      handoff({ name: 'Stuck', claimedBy: 'U1', claimedAt: ago(25 * 60), postedAt: ago(26 * 60) }),
      handoff({ name: 'Slow claim', claimedBy: 'U2', claimedAt: ago(60), claimableSince: ago(100), postedAt: ago(100) }),
      handoff({ name: 'Slow yesterday', claimedBy: 'U2', claimedAt: ago(16 * 60), claimableSince: ago(17 * 60), postedAt: ago(17 * 60) }),
      handoff({
        name: 'Late decision',
        claimedBy: 'U1',
        claimedAt: ago(30 * 60),
        claimableSince: ago(30 * 60 + 1),
        decision: 'rejected',
        decidedAt: ago(10),
      }),
    ];
    const team = teamHome(all, now, policy);
    expect(team.byRep).toEqual([
      { rep: 'U2', leads: ['Slow claim', 'Slow yesterday'] },
      { rep: 'U1', leads: ['Stuck'] },
    ]);
    expect(team.unclaimed).toBe(2);
    expect(team.misses.map((m) => unlinked(missLine(m, sla)))).toEqual([
      '*Stuck* — <@U1> has not decided in 1 d 1 h (decision SLA 1 d)',
      '*Waiting* — unclaimed for 20 min (claim SLA 15 min)',
      '*Slow claim* — claimed late by <@U2>, after 40 min (claim SLA 15 min)',
      '*Late decision* — decided late by <@U1>, after 1 d 5 h (decision SLA 1 d)',
    ]);
  });

  it('starts "today" at midnight in the digest’s time zone', () => {
    expect(startOfDay(new Date('2026-11-23T03:00:00Z'), 'America/New_York')).toEqual(new Date('2026-11-22T05:00:00Z'));
    expect(startOfDay(new Date('2026-11-23T03:00:00Z'), 'UTC')).toEqual(new Date('2026-11-23T00:00:00Z'));
  });
});

describe('homeView', () => {
  const content = (all: HomeHandoff[], user = 'U1'): HomeContent => ({
    now,
    rep: repHome(all, user, now, policy),
    team: { ...teamHome(all, now, policy), claimSlaMs: policy.claimSlaMs, decisionSlaMs: policy.decisionSlaMs },
    criteria: {
      version: 3,
      qualifyingRule: 'total >= 30',
      decay: 'engagement points do not decay',
      rules: 1,
      changedLine: 'Version 3, changed by <@UM>: threshold 25 → 30',
      backtest: { error: 'the backtest failed' },
    },
  });

  it('stays within Slack’s limits for a Home (100 blocks) however many leads there are, ending lists with "and N more"', () => {
    const all = [
      ...Array.from({ length: 30 }, () => handoff({ claimedBy: 'U1', claimedAt: ago(26 * 60), name: 'x'.repeat(4000) })),
      ...Array.from({ length: 40 }, () => handoff({ postedAt: ago(60), name: '&<>'.repeat(1500) })),
    ];
    const { blocks } = homeView(content(all)) as { blocks: Block[] };
    expect(blocks.length).toBeLessThanOrEqual(100);
    expect(blockKitViolations(blocks).filter((v) => !v.endsWith('blocks > 50'))).toEqual([]);
    const text = allText(blocks);
    expect(text).toContain('…and 20 more that you hold.');
    expect(text).toContain('…and 25 more unclaimed.');
    expect(text).toContain('…and 60 more misses.');
    expect(text).toContain('<@U1> — 30 leads: ');
    expect(text).toContain(' and 25 more\\nUnclaimed: 40 leads');
  });

  it('escapes what leads are called, says "1 lead" and "1 rule", and says why a backtest is missing', () => {
    const all = [handoff({ claimedBy: 'U1', claimedAt: ago(1), name: '<!channel> & co' })];
    const text = allText(homeView(content(all)).blocks as Block[]);
    expect(text).toMatch(/\*<https:\/\/slack\.com\/archives\/CSALES\/p\d+\|&lt;!channel&gt; &amp; co>\* · score 40/);
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('<@U1> — 1 lead: &lt;!channel&gt; &amp; co\\nUnclaimed: 0 leads');
    expect(text).toContain(
      '*Version 3* · qualifies at total &gt;= 30 · 1 rule · engagement points do not decay\\nVersion 3, changed by <@UM>: threshold 25 → 30',
    );
    expect(text).toContain('Backtest unavailable: the backtest failed');
  });

  it('marks a lead past its decision deadline as overdue', () => {
    const all = [handoff({ claimedBy: 'U1', claimedAt: ago(25 * 60) })];
    expect(allText(homeView(content(all)).blocks as Block[])).toContain(' · :warning: overdue');
  });
});
