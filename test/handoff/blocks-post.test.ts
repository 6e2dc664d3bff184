import { describe, expect, it } from 'vitest';
import { mqlFallbackText, mqlPostBlocks } from '../../src/handoff/blocks.js';
import { ACTIONS, REJECT_REASONS } from '../../src/handoff/types.js';
import { blockKitViolations } from '../helpers/block-kit.js';
import {
  type AnyBlock,
  at,
  buttons,
  byType,
  claimedView,
  contextTexts,
  CTX,
  ctxAt,
  fieldTexts,
  min,
  sectionTexts,
  slackDateOf,
  texts,
  view,
} from './block-fixtures.js';

const post = (v = view(), ctx = CTX) => mqlPostBlocks(v, ctx);
const headerText = (v = view()) => (post(v)[0] as AnyBlock).text.text as string;
const lastSection = (v: ReturnType<typeof view>, ctx = CTX) => sectionTexts(post(v, ctx)).at(-1);

describe('the MQL post: who, in three seconds', () => {
  it('has the name as its header and "title at company" under it', () => {
    expect(headerText()).toBe('Ada Lovelace');
    expect(sectionTexts(post())[0]).toBe('*CTO at Analytical Engines*');
  });

  it('names an imported lead with no name by its email, else its company, never a bare id', () => {
    expect(headerText(view({}, { name: null }))).toBe('ada@example.com');
    expect(headerText(view({}, { name: null, email: null }))).toBe('Analytical Engines');
    expect(sectionTexts(post(view({}, { name: null, email: null })))[0]).toBe('*CTO*');
    expect(headerText(view({}, { name: null, email: null, company: null }))).toBe('Unnamed lead ext-1');
  });

  it('shows the strongest reasons first, in plain words with when the signal came, not rule syntax', () => {
    expect(sectionTexts(post())[1]).toBe(
      [`• Submitted a form · ${slackDateOf(at(-min(120)))}`, '• Working Professional', '• Total Time Spent on Website: 1,532'].join('\n'),
    );
  });

  it('says which reasons count against the lead, after the others', () => {
    const v = view(
      {},
      { breakdown: [{ ruleId: 4, points: -20, reason: '-20 Opted out of email: Do Not Email Yes = Yes' }, ...view().lead.breakdown] },
    );
    expect(sectionTexts(post(v))[1]?.split('\n').at(-1)).toBe('• Opted out of email (−20)');
  });

  it('keeps a stored reason whose rule is unknown, without its points', () => {
    const v = view({ rules: [] }, { breakdown: [{ ruleId: 99, points: 5, reason: '+5 company contains "R&D" <@U123>' }] });
    expect(sectionTexts(post(v))[1]).toBe('• company contains "R&amp;D" &lt;@U123&gt;');
  });

  it('shows 8 reasons at most, then "and N more"', () => {
    const breakdown = Array.from({ length: 13 }, (_, i) => ({ ruleId: 100 + i, points: 13 - i, reason: `+${13 - i} reason ${i + 1}` }));
    const lines = sectionTexts(post(view({}, { breakdown })))[1]!.split('\n');
    expect(lines).toHaveLength(9);
    expect(lines[0]).toBe('• reason 1');
    expect(lines[8]).toBe('• and 5 more');
  });

  it('shows the key fields sales asked for; a CRM URL as a link; empty fields left out, never "—"', () => {
    expect(fieldTexts(post())).toEqual([
      '*Phone*\n+44 20 7946 0000',
      '*Company size*\n51-200',
      '*Country*\nUK',
      '*CRM URL*\n<https://crm.example.com/leads/1?tab=a&amp;b=c|Open in CRM>',
    ]);
    const sparse = view({}, { country: null, attributes: { phone: '  ', crm_url: 'javascript:alert(1)' } });
    expect(fieldTexts(post(sparse))).toEqual(['*CRM URL*\njavascript:alert(1)']);
    expect(texts(post(sparse)).join('\n')).not.toContain('—');
  });

  it('shows the score with its fit and engagement against the threshold, and when the last activity was', () => {
    expect(contextTexts(post())[0]).toBe(
      `Score *85* · fit 30 · engagement 55 (qualifies at 40) · criteria version 3 · Last activity: submitted a form · ${slackDateOf(at(-min(120)))}`,
    );
  });

  it('names both minimums when the criteria version qualified on fit and engagement', () => {
    const v = view({ minimums: { fit: 20, engagement: 30 } });
    expect(contextTexts(post(v))[0]).toMatch(/^Score \*85\* · fit 30 · engagement 55 \(qualifies at fit ≥ 20 and engagement ≥ 30\) · /);
    expect(mqlFallbackText(v, CTX)).toContain('· score 85 (qualifies at fit ≥ 20 and engagement ≥ 30) ·');
  });

  it('leaves the axes out rather than guess them when a stored reason’s rule is unknown', () => {
    const v = view({}, { breakdown: [...view().lead.breakdown, { ruleId: 99, points: 5, reason: '+5 Old rule' }] });
    expect(contextTexts(post(v))[0]).toMatch(/^Score \*85\* \(qualifies at 40\) · criteria version 3/);
  });

  it('says which reasons lost points to decay, with when their evidence happened, ranked by what they are worth now', () => {
    const formAt = at(-min(60 * 24 * 45));
    const activeAt = at(-min(60 * 24 * 40));
    const v = view(
      {},
      {
        breakdown: [
          {
            ruleId: 1,
            points: 12,
            reason: '+12 Submitted a form (decayed from +30)',
            axis: 'engagement',
            fullPoints: 30,
            evidenceAt: formAt.toISOString(),
          },
          { ruleId: 2, points: 30, reason: '+30 Working professional', axis: 'fit' },
          {
            ruleId: 3,
            points: 25,
            reason: '+25 Total Time Spent on Website: 26 min on site',
            axis: 'engagement',
            evidenceAt: activeAt.toISOString(),
          },
        ],
      },
    );
    expect(sectionTexts(post(v))[1]).toBe(
      [
        // Reasons stored with their axis are shown in their own words, as /mql score shows them.
        '• Working professional',
        '• Total Time Spent on Website: 26 min on site',
        `• Submitted a form · ${slackDateOf(formAt)} (decayed from 30)`,
      ].join('\n'),
    );
  });

  it('keeps the decay note of a stored reason whose rule is unknown once, after its time', () => {
    const evidenceAt = at(-min(60 * 24 * 45)).toISOString();
    const v = view(
      { rules: [] },
      { breakdown: [{ ruleId: 99, points: 10, reason: '+10 Webinar (decayed from +20)', fullPoints: 20, evidenceAt }] },
    );
    expect(sectionTexts(post(v))[1]).toBe(`• Webinar · ${slackDateOf(new Date(evidenceAt))} (decayed from 20)`);
  });

  it('escapes every user-supplied value it shows in mrkdwn', () => {
    const v = view({}, { title: 'VP <Sales>', company: 'R&D', attributes: { phone: '<!channel>' } });
    const all = texts(post(v)).join('\n');
    expect(all).toContain('*VP &lt;Sales&gt; at R&amp;D*');
    expect(all).toContain('*Phone*\n&lt;!channel&gt;');
    expect(all).not.toContain('<!channel>');
  });
});

describe('the notification text', () => {
  it('reads "New MQL: name, title at company · score (qualifies at) · claim within <claim SLA>"', () => {
    expect(mqlFallbackText(view(), CTX)).toBe(
      'New MQL: Ada Lovelace, CTO at Analytical Engines · score 85 (qualifies at 40) · claim within 15 min',
    );
  });

  it('says "Re-qualified MQL" for a re-qualification, and who holds a claimed lead', () => {
    expect(mqlFallbackText(view({ qualification: 2 }), CTX)).toMatch(/^Re-qualified MQL: Ada Lovelace, /);
    expect(mqlFallbackText(claimedView(), CTX)).toMatch(/ · claimed by <@U_REP>$/);
    const reassigned = claimedView({
      history: [{ kind: 'reassigned', at: at(min(3)).toISOString(), by: 'U_LEE', from: 'U_ANA', to: 'U_REP' }],
    });
    expect(mqlFallbackText(reassigned, CTX)).toMatch(/ · reassigned to <@U_REP>$/);
  });
});

describe('the post by state', () => {
  it('unclaimed: when it was posted (a time, which stays true), the claim deadline, and a Claim button', () => {
    const blocks = post();
    expect(contextTexts(blocks).at(-1)).toBe(
      `:hourglass_flowing_sand: Posted ${slackDateOf(at(0))} · Claim by ${slackDateOf(at(min(15)))}`,
    );
    expect(buttons(blocks)).toEqual([{ text: 'Claim', action: ACTIONS.claim, value: '42', style: 'primary' }]);
    expect(byType(blocks, 'actions')[0]?.block_id).toBe('handoff:42');
  });

  it('unclaimed after a release: the wait counts from the first post, the claim clock from the release', () => {
    const v = view({
      claimableSince: at(min(240)),
      history: [{ kind: 'released', at: at(min(240)).toISOString(), by: 'U_ANA', holder: 'U_ANA', heldMs: min(180) }],
    });
    const lines = contextTexts(post(v, ctxAt(min(300))));
    expect(lines).toContain('Released by <@U_ANA> after 3 h');
    expect(lines.at(-1)).toBe(
      `:hourglass_flowing_sand: Waiting since ${slackDateOf(at(0))} · back in the channel since ${slackDateOf(at(min(240)))}, so the claim clock restarted · Claim by ${slackDateOf(at(min(255)))}`,
    );
    expect(buttons(post(v)).map((b) => b.text)).toEqual(['Claim']);
  });

  it('claimed: who and how soon after posting, the decision deadline, Accept / Reject / Release / Reassign', () => {
    const blocks = post(claimedView());
    expect(lastSection(claimedView())).toBe(':raising_hand: Claimed by <@U_REP> · 3 min after posting');
    expect(contextTexts(blocks).at(-1)).toBe(`Decide by ${slackDateOf(at(min(3 + 24 * 60)))}`);
    expect(buttons(blocks).map((b) => [b.text, b.action, b.value])).toEqual([
      ['Accept', ACTIONS.accept, '42'],
      ['Reject', ACTIONS.reject, '42'],
      ['Release', ACTIONS.release, '42'],
      ['Reassign', ACTIONS.reassign, '42'],
    ]);
  });

  it('claimed after a release: the time counts from the release, and says so', () => {
    const v = claimedView({ claimableSince: at(min(60)), claimedAt: at(min(62)) });
    expect(lastSection(v)).toBe(':raising_hand: Claimed by <@U_REP> · 2 min after it was released');
  });

  it('reassigned: "Reassigned to @new by @manager", keeping the history line', () => {
    const v = claimedView({
      claimedBy: 'U_BEN',
      claimedAt: at(min(10)),
      history: [
        { kind: 'released', at: at(min(8)).toISOString(), by: 'U_LEE', holder: 'U_ANA', heldMs: min(5) },
        { kind: 'reassigned', at: at(min(10)).toISOString(), by: 'U_LEE', from: null, to: 'U_BEN' },
      ],
    });
    expect(lastSection(v)).toBe(':raising_hand: Reassigned to <@U_BEN> by <@U_LEE>');
    expect(contextTexts(post(v))).toContain('Released by <@U_LEE> from <@U_ANA> after 5 min\nAssigned to <@U_BEN> by <@U_LEE>');
  });

  it('accepted: who accepted, how long after claiming, no buttons', () => {
    const v = claimedView({ decision: 'accepted', decidedBy: 'U_REP', decidedAt: at(min(123)) });
    expect(lastSection(v)).toBe(':white_check_mark: Accepted by <@U_REP>, 2 h after claiming — now a sales-qualified lead');
    expect(buttons(post(v))).toEqual([]);
  });

  it.each(Object.entries(REJECT_REASONS))('rejected (%s): shows the reason label "%s"', (code, label) => {
    const v = claimedView({ decision: 'rejected', decidedBy: 'U_REP', decidedAt: at(min(8)), reasonCode: code });
    expect(lastSection(v)).toBe(`:x: Rejected by <@U_REP>, 5 min after claiming: *${label}* — back to nurturing`);
  });

  it('rejected with a note: quoted, escaped and cut to 500 characters', () => {
    const v = claimedView({
      decision: 'rejected',
      decidedBy: 'U_REP',
      decidedAt: at(min(8)),
      reasonCode: 'other',
      note: `<b>${'x'.repeat(3000)}`,
    });
    const line = lastSection(v)!;
    expect(line).toContain('“&lt;b&gt;xxx');
    expect(line.endsWith('…” — back to nurturing')).toBe(true);
  });

  it('expired: an hourglass and a Slack date, no buttons', () => {
    const decidedAt = new Date('2026-03-03T10:15:00Z');
    expect(lastSection(view({ decision: 'expired', decidedAt }))).toBe(`:hourglass: Expired ${slackDateOf(decidedAt)}`);
  });

  it('every state passes the Block Kit limits', () => {
    for (const v of [
      view(),
      claimedView(),
      claimedView({ decision: 'accepted', decidedBy: 'U_REP', decidedAt: at(min(10)) }),
      claimedView({ decision: 'rejected', decidedBy: 'U_REP', decidedAt: at(min(10)), reasonCode: 'duplicate', note: 'dupe' }),
      view({ decision: 'expired', decidedAt: at(min(60 * 25)) }),
    ]) {
      expect(blockKitViolations(post(v))).toEqual([]);
    }
  });
});
