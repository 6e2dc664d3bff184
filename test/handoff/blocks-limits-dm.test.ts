import { describe, expect, it } from 'vitest';
import { mqlFallbackText, mqlPostBlocks } from '../../src/handoff/blocks.js';
import { claimDmBlocks, claimDmText } from '../../src/handoff/dm-blocks.js';
import { ACTIONS } from '../../src/handoff/types.js';
import { blockKitViolations } from '../helpers/block-kit.js';
import {
  type AnyBlock,
  at,
  buttons,
  byType,
  claimedView,
  CTX,
  LONE_SURROGATE,
  min,
  sectionTexts,
  slackDateOf,
  texts,
  view,
} from './block-fixtures.js';

describe('the post with huge and emoji values stays within Slack limits', () => {
  const huge = 'A'.repeat(3500);
  const emoji = '😀'.repeat(2000); // 4,000 UTF-16 units
  const hugeLead = {
    ...view().lead,
    source: huge,
    externalId: huge,
    email: emoji,
    name: emoji,
    company: huge,
    title: `${'é'.repeat(10)}${emoji}`,
    country: huge,
    attributes: { phone: huge, company_size: emoji, crm_url: `https://x.example/${'a'.repeat(3000)}` },
    breakdown: Array.from({ length: 12 }, (_, i) => ({ ruleId: 1000 + i, points: 1, reason: i % 2 ? huge : emoji })),
  };

  it.each([
    ['unclaimed', view()],
    ['claimed', claimedView()],
    ['rejected', claimedView({ decision: 'rejected', decidedBy: 'U_REP', decidedAt: at(min(9)), reasonCode: 'other', note: emoji })],
  ] as const)('%s: no limit is exceeded and no emoji is split', (_state, base) => {
    const blocks = mqlPostBlocks({ ...base, lead: hugeLead }, CTX);
    expect(blockKitViolations(blocks)).toEqual([]);
    for (const text of [(blocks[0] as AnyBlock).text.text, ...texts(blocks)]) expect(text).not.toMatch(LONE_SURROGATE);
    expect(buttons(blocks)).toEqual(buttons(mqlPostBlocks(base, CTX)));
  });

  it('cuts the header to 150 units, marked with "…"', () => {
    const header = (mqlPostBlocks(view({}, hugeLead), CTX)[0] as AnyBlock).text.text as string;
    expect(header.length).toBeLessThanOrEqual(150);
    expect(header.endsWith('…')).toBe(true);
  });

  it('the notification text stays within 3,000 units without splitting an emoji, escaped', () => {
    const text = mqlFallbackText(view({}, { name: '😀'.repeat(2000) }), CTX);
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).not.toMatch(LONE_SURROGATE);
    expect(mqlFallbackText(view({}, { name: 'Tom <@U1> & Jerry', title: null, company: null }), CTX)).toBe(
      'New MQL: Tom &lt;@U1&gt; &amp; Jerry · score 85 (qualifies at 40) · claim within 15 min',
    );
  });
});

describe('the claim DM', () => {
  const LINK = 'https://slack.com/archives/C1/p1700000000000100';
  const decideBy = slackDateOf(at(min(3 + 24 * 60)));

  it('says what the rep owns and by when to decide, with a link to the post', () => {
    const blocks = claimDmBlocks(claimedView(), 'U_REP', LINK, CTX);
    expect(sectionTexts(blocks)[0]).toBe(`You own *Ada Lovelace · Analytical Engines* (<${LINK}|the post>). Decide by ${decideBy}.`);
    expect(claimDmText(claimedView(), 'U_REP', CTX)).toBe(`You own Ada Lovelace · Analytical Engines · decide by ${decideBy}`);
  });

  it('carries Accept / Reject / Release with the post’s action ids and values', () => {
    expect(buttons(claimDmBlocks(claimedView(), 'U_REP', LINK, CTX))).toEqual([
      { text: 'Accept', action: ACTIONS.accept, value: '42', style: 'primary' },
      { text: 'Reject', action: ACTIONS.reject, value: '42', style: 'danger' },
      { text: 'Release', action: ACTIONS.release, value: '42', style: undefined },
    ]);
  });

  it('after a reassign says who gave it to them', () => {
    const v = claimedView({
      claimedBy: 'U_BEN',
      claimedAt: at(min(3)),
      history: [{ kind: 'reassigned', at: at(min(3)).toISOString(), by: 'U_LEE', from: 'U_ANA', to: 'U_BEN' }],
    });
    expect(sectionTexts(claimDmBlocks(v, 'U_BEN', null, CTX))[0]).toBe(
      `Reassigned to you by <@U_LEE>: you own *Ada Lovelace · Analytical Engines*. Decide by ${decideBy}.`,
    );
    expect(claimDmText(v, 'U_BEN', CTX)).toMatch(/^Reassigned to you by <@U_LEE>: Ada Lovelace · Analytical Engines · decide by /);
  });

  it('once the rep no longer holds the lead, says what became of it and offers no buttons', () => {
    const cases = [
      [claimedView({ claimedBy: 'U_BEN' }), '<@U_BEN> holds it now; you no longer hold it.'],
      [view(), 'released; it is back in the channel for anyone to claim.'],
      [
        claimedView({ decision: 'accepted', decidedBy: 'U_REP', decidedAt: at(min(63)) }),
        ':white_check_mark: Accepted by you, 1 h after claiming — now a sales-qualified lead',
      ],
    ] as const;
    for (const [v, outcome] of cases) {
      const blocks = claimDmBlocks(v, 'U_REP', null, CTX);
      expect(sectionTexts(blocks)[0]).toBe(`*Ada Lovelace · Analytical Engines*: ${outcome}`);
      expect(byType(blocks, 'actions')).toEqual([]);
    }
  });

  it('escapes the lead and stays within Slack limits with huge values', () => {
    const blocks = claimDmBlocks(
      view({ claimedBy: 'U_REP', claimedAt: at(min(3)) }, { name: `<x>${'😀'.repeat(2000)}`, company: 'C'.repeat(3000) }),
      'U_REP',
      LINK,
      CTX,
    );
    expect(blockKitViolations(blocks)).toEqual([]);
    expect(sectionTexts(blocks)[0]).toMatch(/^You own \*&lt;x&gt;😀/);
    expect(sectionTexts(blocks)[0]).not.toMatch(LONE_SURROGATE);
  });
});
