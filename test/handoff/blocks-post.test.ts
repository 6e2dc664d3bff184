import { describe, expect, it } from 'vitest';
import { mqlPostBlocks } from '../../src/handoff/blocks.js';
import { ACTIONS, REJECT_REASONS, type HandoffView } from '../../src/handoff/types.js';
import type { KnownBlock as Block } from '@slack/types';
import { blockKitViolations } from '../helpers/block-kit.js';
import { type AnyBlock, at, buttons, byType, claimedView, contextTexts, min, texts, view } from './block-fixtures.js';

const lastSectionText = (blocks: Block[]) => {
  const sections = byType(blocks, 'section').filter((b) => b.text);
  return sections[sections.length - 1]?.text.text as string | undefined;
};

describe('mqlPostBlocks: lead details', () => {
  it('starts with a header "name · company"', () => {
    const [first] = mqlPostBlocks(view()) as AnyBlock[];
    expect(first).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Ada Lovelace · Analytical Engines', emoji: true } });
  });

  it('falls back to the email, then the external id, when the name is missing', () => {
    expect((mqlPostBlocks(view({}, { name: null, company: null }))[0] as AnyBlock).text.text).toBe('ada@example.com');
    expect((mqlPostBlocks(view({}, { name: null, email: null, company: null }))[0] as AnyBlock).text.text).toBe('ext-1');
  });

  it('shows source, title, country, email, score vs threshold and criteria version as fields; missing ones as —', () => {
    const fieldsBlock = byType(mqlPostBlocks(view({}, { country: null })), 'section').find((b) => b.fields);
    expect(fieldsBlock?.fields.map((f: AnyBlock) => f.text)).toEqual([
      '*Source*\nwebsite',
      '*Title*\nCTO',
      '*Country*\n—',
      '*Email*\nada@example.com',
      '*Score*\n*55* (threshold 40)',
      '*Criteria*\nversion 3',
    ]);
  });

  it('names the qualification number on a re-qualification', () => {
    const fieldsBlock = byType(mqlPostBlocks(view({ qualification: 2 })), 'section').find((b) => b.fields);
    expect(fieldsBlock?.fields[5].text).toBe('*Criteria*\nversion 3 · qualification #2');
  });

  it('shows one context line per scoring reason, escaped', () => {
    expect(contextTexts(mqlPostBlocks(view()))).toEqual(['+30 Lead Source = website', '+25 Total Time Spent on Website 1,532 &gt; 600']);
  });

  it('shows exactly 8 reasons without a "more" line', () => {
    const breakdown = Array.from({ length: 8 }, (_, i) => ({ ruleId: i, points: 1, reason: `reason ${i + 1}` }));
    const lines = contextTexts(mqlPostBlocks(view({}, { breakdown })));
    expect(lines).toEqual(breakdown.map((r) => r.reason));
  });

  it('shows more than 8 reasons as the first 8 and "and N more"', () => {
    const breakdown = Array.from({ length: 13 }, (_, i) => ({ ruleId: i, points: 1, reason: `reason ${i + 1}` }));
    const lines = contextTexts(mqlPostBlocks(view({}, { breakdown })));
    expect(lines).toHaveLength(9);
    expect(lines.slice(0, 8)).toEqual(breakdown.slice(0, 8).map((r) => r.reason));
    expect(lines[8]).toBe('and 5 more');
  });

  it('escapes & < > in every user-supplied value it shows in mrkdwn', () => {
    const blocks = mqlPostBlocks(
      view(
        {},
        {
          source: 'a&b',
          title: 'VP <Sales>',
          country: 'T&T',
          email: 'x<y>@z.com',
          breakdown: [{ ruleId: 1, points: 5, reason: '+5 company contains "R&D" <@U123> <!channel>' }],
        },
      ),
    );
    const all = texts(blocks).join('\n');
    expect(all).toContain('*Source*\na&amp;b');
    expect(all).toContain('*Title*\nVP &lt;Sales&gt;');
    expect(all).toContain('*Country*\nT&amp;T');
    expect(all).toContain('*Email*\nx&lt;y&gt;@z.com');
    expect(contextTexts(blocks)[0]).toBe('+5 company contains "R&amp;D" &lt;@U123&gt; &lt;!channel&gt;');
    // No user text reaches Slack as live markup (a mention or @channel).
    expect(all).not.toContain('<@U123>');
    expect(all).not.toContain('<!channel>');
  });

  it('keeps the header as plain text, unescaped (plain_text is not markup)', () => {
    const header = mqlPostBlocks(view({}, { name: 'R&D <Team>', company: null }))[0] as AnyBlock;
    expect(header.text).toEqual({ type: 'plain_text', text: 'R&D <Team>', emoji: true });
  });
});

describe('mqlPostBlocks: status by state', () => {
  it('unclaimed: a single primary Claim button carrying the handoff id, no status line', () => {
    const blocks = mqlPostBlocks(view());
    expect(buttons(blocks)).toEqual([{ text: 'Claim', action: ACTIONS.claim, value: '42', style: 'primary' }]);
    expect(byType(blocks, 'actions')[0]?.block_id).toBe('handoff:42');
    expect(texts(blocks).join('\n')).not.toMatch(/Claimed by|Accepted|Rejected|Expired/);
    expect(blocks.at(-1)?.type).toBe('actions');
  });

  it('claimed: "Claimed by <@U> · 3 min after posting" and Accept / Reject / Release / Reassign', () => {
    const blocks = mqlPostBlocks(claimedView());
    expect(lastSectionText(blocks)).toBe(':raising_hand: Claimed by <@U_REP> · 3 min after posting');
    expect(buttons(blocks)).toEqual([
      { text: 'Accept', action: ACTIONS.accept, value: '42', style: 'primary' },
      { text: 'Reject', action: ACTIONS.reject, value: '42', style: 'danger' },
      { text: 'Release', action: ACTIONS.release, value: '42', style: undefined },
      { text: 'Reassign', action: ACTIONS.reassign, value: '42', style: undefined },
    ]);
    expect(byType(blocks, 'actions')[0]?.block_id).toBe('handoff:42');
    expect(buttons(blocks).map((b) => b.text)).not.toContain('Claim');
  });

  it('claimed after a release: the time counts from when it became claimable again', () => {
    const blocks = mqlPostBlocks(claimedView({ claimableSince: at(min(60)), claimedAt: at(min(62)) }));
    expect(lastSectionText(blocks)).toBe(':raising_hand: Claimed by <@U_REP> · 2 min after posting');
  });

  it('claimed with no claimableSince uses postedAt', () => {
    const blocks = mqlPostBlocks(claimedView({ claimableSince: null, claimedAt: at(min(125)) }));
    expect(lastSectionText(blocks)).toBe(':raising_hand: Claimed by <@U_REP> · 2 h 5 min after posting');
  });

  it('claimed without timestamps omits the duration', () => {
    const blocks = mqlPostBlocks(claimedView({ claimedAt: null }));
    expect(lastSectionText(blocks)).toBe(':raising_hand: Claimed by <@U_REP>');
  });

  it('accepted: who accepted, how long after claiming, no buttons', () => {
    const blocks = mqlPostBlocks(claimedView({ decision: 'accepted', decidedBy: 'U_REP', decidedAt: at(min(3) + min(120)) }));
    expect(lastSectionText(blocks)).toBe(':white_check_mark: Accepted by <@U_REP>, 2 h after claiming — now a sales-qualified lead');
    expect(buttons(blocks)).toEqual([]);
  });

  it.each(Object.entries(REJECT_REASONS))('rejected (%s): shows the reason label "%s"', (code, label) => {
    const blocks = mqlPostBlocks(claimedView({ decision: 'rejected', decidedBy: 'U_REP', decidedAt: at(min(8)), reasonCode: code }));
    expect(lastSectionText(blocks)).toBe(`:x: Rejected by <@U_REP>, 5 min after claiming: *${label}* — back to nurturing`);
    expect(buttons(blocks)).toEqual([]);
  });

  it('rejected with a note: the note is quoted and escaped', () => {
    const blocks = mqlPostBlocks(
      claimedView({
        decision: 'rejected',
        decidedBy: 'U_REP',
        decidedAt: at(min(8)),
        reasonCode: 'no_budget',
        note: 'Budget <10k & no <!here> sign-off',
      }),
    );
    expect(lastSectionText(blocks)).toBe(
      ':x: Rejected by <@U_REP>, 5 min after claiming: *No budget* — “Budget &lt;10k &amp; no &lt;!here&gt; sign-off” — back to nurturing',
    );
  });

  it('rejected with a 3,000-char note: the note is cut to 500 chars with "…" and the line still ends properly', () => {
    const note = 'x'.repeat(3000);
    const blocks = mqlPostBlocks(
      claimedView({ decision: 'rejected', decidedBy: 'U_REP', decidedAt: at(min(8)), reasonCode: 'other', note }),
    );
    const line = lastSectionText(blocks)!;
    expect(line).toContain(`“${'x'.repeat(499)}…”`);
    expect(line).not.toContain('x'.repeat(500));
    expect(line.endsWith(' — back to nurturing')).toBe(true);
    expect(blockKitViolations(blocks)).toEqual([]);
  });

  it('expired: an hourglass and a Slack date, no buttons', () => {
    const decidedAt = new Date('2026-03-03T10:15:00Z');
    const blocks = mqlPostBlocks(view({ decision: 'expired', decidedAt }));
    expect(lastSectionText(blocks)).toBe(
      `:hourglass: Expired <!date^${decidedAt.getTime() / 1000}^{date_short_pretty} {time}|2026-03-03 10:15 UTC>`,
    );
    expect(buttons(blocks)).toEqual([]);
  });

  it('expired without a date: just "Expired"', () => {
    expect(lastSectionText(mqlPostBlocks(view({ decision: 'expired' })))).toBe(':hourglass: Expired');
  });

  it('every state passes the Block Kit limits', () => {
    for (const v of [
      view(),
      claimedView(),
      claimedView({ decision: 'accepted', decidedBy: 'U_REP', decidedAt: at(min(10)) }),
      claimedView({ decision: 'rejected', decidedBy: 'U_REP', decidedAt: at(min(10)), reasonCode: 'duplicate', note: 'dupe' }),
      view({ decision: 'expired', decidedAt: at(min(60 * 25)) }),
    ]) {
      expect(blockKitViolations(mqlPostBlocks(v))).toEqual([]);
    }
  });
});

describe('mqlPostBlocks: re-qualification line', () => {
  const contextAfterReasons = (v: HandoffView) => contextTexts(mqlPostBlocks(v)).at(-1);

  it('names the earlier rejection, who made it and the reason', () => {
    const v = view({
      qualification: 2,
      previous: { qualification: 1, decision: 'rejected', reasonCode: 'no_timing', decidedBy: 'U_OLD' },
    });
    expect(contextAfterReasons(v)).toBe(':recycle: Re-qualified. Qualification #1 was rejected by <@U_OLD> (No timing).');
  });

  it('omits "by" when the rejecter is unknown', () => {
    const v = view({ qualification: 3, previous: { qualification: 2, decision: 'rejected', reasonCode: 'not_a_fit', decidedBy: null } });
    expect(contextAfterReasons(v)).toBe(':recycle: Re-qualified. Qualification #2 was rejected (Not a fit).');
  });

  it.each(['accepted', 'released', 'expired'] as const)('shows an earlier %s outcome as is', (decision) => {
    const v = view({ qualification: 2, previous: { qualification: 1, decision, reasonCode: null, decidedBy: 'U_OLD' } });
    expect(contextAfterReasons(v)).toBe(`:recycle: Re-qualified. Qualification #1 was ${decision}.`);
  });

  it('shows an earlier handoff without a decision as undecided', () => {
    const v = view({ qualification: 2, previous: { qualification: 1, decision: null, reasonCode: null, decidedBy: null } });
    expect(contextAfterReasons(v)).toBe(':recycle: Re-qualified. Qualification #1 was undecided.');
  });

  it('is absent on a first qualification', () => {
    expect(contextTexts(mqlPostBlocks(view())).join('\n')).not.toContain('Re-qualified');
  });
});
