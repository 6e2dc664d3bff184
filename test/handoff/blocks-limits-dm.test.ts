import { describe, expect, it } from 'vitest';
import { claimDmBlocks, mqlFallbackText, mqlPostBlocks } from '../../src/handoff/blocks.js';
import { blockKitViolations } from '../helpers/block-kit.js';
import { type AnyBlock, at, buttons, byType, claimedView, contextTexts, LONE_SURROGATE, min, texts, view } from './block-fixtures.js';

describe('mqlPostBlocks: huge and emoji values stay within Slack limits', () => {
  const huge = 'A'.repeat(3500);
  const emoji = '😀'.repeat(2000); // 4,000 UTF-16 units
  const hugeLead = {
    source: huge,
    externalId: huge,
    email: emoji,
    name: emoji,
    company: huge,
    title: `${'é'.repeat(10)}${emoji}`,
    country: huge,
    breakdown: Array.from({ length: 12 }, (_, i) => ({ ruleId: i, points: 1, reason: i % 2 ? huge : emoji })),
  };

  it.each([
    ['unclaimed', view({}, hugeLead)],
    ['claimed', claimedView({ claimedBy: 'U_REP' })],
    ['rejected', claimedView({ decision: 'rejected', decidedBy: 'U_REP', decidedAt: at(min(9)), reasonCode: 'other', note: emoji })],
  ] as const)('%s: no limit is exceeded and no emoji is split', (_state, base) => {
    const blocks = mqlPostBlocks({ ...base, lead: hugeLead });
    expect(blockKitViolations(blocks)).toEqual([]);
    for (const text of [(blocks[0] as AnyBlock).text.text, ...texts(blocks)]) expect(text).not.toMatch(LONE_SURROGATE);
  });

  it('cuts the header to 150 units, marked with "…"', () => {
    const header = (mqlPostBlocks(view({}, hugeLead))[0] as AnyBlock).text.text as string;
    expect(header.length).toBeLessThanOrEqual(150);
    expect(header.endsWith('…')).toBe(true);
    expect(header.startsWith('😀😀')).toBe(true);
  });

  it('cuts long fields to 2,000 units, marked with "…"', () => {
    const fieldsBlock = byType(mqlPostBlocks(view({}, hugeLead)), 'section').find((b) => b.fields);
    const source = fieldsBlock?.fields[0].text as string;
    expect(source.length).toBe(2000);
    expect(source).toMatch(/^\*Source\*\nAAAA.*A…$/s);
  });

  it('still shows the status and buttons after huge reasons', () => {
    const blocks = mqlPostBlocks(claimedView({}));
    const withHuge = mqlPostBlocks({ ...claimedView(), lead: hugeLead });
    expect(buttons(withHuge)).toEqual(buttons(blocks));
    expect(contextTexts(withHuge).at(-1)).toBe('and 4 more');
  });

  it('cuts a long escaped field at whole entities (never "&lt…")', () => {
    const title = '<'.repeat(500); // escaped: 2,000 chars, so "*Title*\n" + it must be cut to 2,000
    const fieldsBlock = byType(mqlPostBlocks(view({}, { title })), 'section').find((b) => b.fields);
    const text = fieldsBlock?.fields[1].text as string;
    expect(text.length).toBeLessThanOrEqual(2000);
    // Escaped mrkdwn may contain "&" only as the start of &amp; &lt; &gt;.
    expect(text.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
  });
});

describe('mqlFallbackText', () => {
  it.each([
    ['unclaimed', view(), 'unclaimed'],
    ['claimed', claimedView(), 'claimed by <@U_REP>'],
    ['accepted', claimedView({ decision: 'accepted', decidedBy: 'U_REP' }), 'accepted'],
    ['rejected', claimedView({ decision: 'rejected', decidedBy: 'U_REP', reasonCode: 'other' }), 'rejected'],
    ['expired', view({ decision: 'expired' }), 'expired'],
  ] as const)('%s', (_state, v, status) => {
    expect(mqlFallbackText(v)).toBe(`New MQL: Ada Lovelace · Analytical Engines — score 55/40 — ${status}`);
  });

  it('escapes the lead title', () => {
    expect(mqlFallbackText(view({}, { name: 'Tom <@U1> & Jerry', company: null }))).toBe(
      'New MQL: Tom &lt;@U1&gt; &amp; Jerry — score 55/40 — unclaimed',
    );
  });

  it('stays within 3,000 units without splitting an emoji', () => {
    const text = mqlFallbackText(view({}, { name: '😀'.repeat(2000) }));
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text.endsWith('…')).toBe(true);
    expect(text).not.toMatch(LONE_SURROGATE);
  });
});

describe('claimDmBlocks', () => {
  it('opens with what was claimed and a link to the post', () => {
    const blocks = claimDmBlocks(claimedView(), 'https://acme.slack.com/archives/C1/p1700000000000100');
    expect(blocks[0]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: 'You claimed *Ada Lovelace · Analytical Engines* (<https://acme.slack.com/archives/C1/p1700000000000100|the post>). Accept or reject it from the post in the sales channel.',
      },
    });
  });

  it('without a permalink, leaves out the link', () => {
    expect((claimDmBlocks(claimedView(), null)[0] as AnyBlock).text.text).toBe(
      'You claimed *Ada Lovelace · Analytical Engines*. Accept or reject it from the post in the sales channel.',
    );
  });

  it('escapes the lead title', () => {
    const text = (claimDmBlocks(view({ claimedBy: 'U_REP' }, { name: 'A&B <x>', company: null }), null)[0] as AnyBlock).text.text;
    expect(text).toContain('*A&amp;B &lt;x&gt;*');
  });

  it('repeats the lead details but has no buttons and no status line', () => {
    const blocks = claimDmBlocks(claimedView(), null);
    expect(buttons(blocks)).toEqual([]);
    expect(byType(blocks, 'actions')).toEqual([]);
    expect(texts(blocks).join('\n')).not.toContain('Claimed by');
    expect(blocks[1]).toEqual(mqlPostBlocks(view())[0]); // the header
    expect(contextTexts(blocks)).toEqual(['+30 Lead Source = website', '+25 Total Time Spent on Website 1,532 &gt; 600']);
  });

  it('stays within Slack limits with huge values', () => {
    const blocks = claimDmBlocks(
      view({ claimedBy: 'U_REP' }, { name: '😀'.repeat(2000), company: 'C'.repeat(3000) }),
      'https://x.slack.com/p1',
    );
    expect(blockKitViolations(blocks)).toEqual([]);
    expect((blocks[0] as AnyBlock).text.text).not.toMatch(LONE_SURROGATE);
  });
});
