/** The post keeps what happened before its current state: releases, reassignments, merged activity, an earlier qualification. */
import { describe, expect, it } from 'vitest';
import { mqlPostBlocks } from '../../src/handoff/blocks.js';
import { at, contextTexts, CTX, min, slackDateOf, view } from './block-fixtures.js';

const post = (v = view(), ctx = CTX) => mqlPostBlocks(v, ctx);

describe('history on the post', () => {
  const released = (i: number) =>
    ({ kind: 'released', at: at(min(i)).toISOString(), by: 'U_ANA', holder: 'U_ANA', heldMs: min(i) }) as const;

  it('shows how many earlier entries are left out, then the last 3, oldest first', () => {
    const v = view({ history: [1, 2, 3, 4, 5].map(released) });
    expect(contextTexts(post(v))).toContain(
      '2 earlier not shown\nReleased by <@U_ANA> after 3 min\nReleased by <@U_ANA> after 4 min\nReleased by <@U_ANA> after 5 min',
    );
  });

  it('an auto-release reads "Released automatically after 3 d (no decision)"', () => {
    const v = view({
      history: [{ kind: 'released', at: at(0).toISOString(), by: 'system:auto-release', holder: 'U_ANA', heldMs: min(3 * 24 * 60) }],
    });
    expect(contextTexts(post(v))).toContain('Released automatically after 3 d (no decision)');
  });

  it('merged activity shows what happened, where from and when, and is the last activity', () => {
    const v = view({
      history: [
        {
          kind: 'activity',
          at: at(0).toISOString(),
          leadId: 7,
          source: 'webinar-tool',
          summary: 'attended the webinar',
          scoreBefore: 75,
          scoreAfter: 90,
        },
      ],
    });
    const texts = contextTexts(post(v));
    expect(texts).toContain(`New activity: attended the webinar (same person, via webinar-tool) · ${slackDateOf(at(0))}`);
    expect(texts.join('\n')).toContain(`Last activity: attended the webinar · ${slackDateOf(at(0))}`);
  });
});

describe('re-qualification', () => {
  it('names the previous owner, reason and note', () => {
    const v = view({
      qualification: 2,
      previous: {
        qualification: 1,
        decision: 'rejected',
        reasonCode: 'no_budget',
        note: 'Student project, no budget until Q3',
        decidedBy: 'U_ANA',
      },
    });
    expect(contextTexts(post(v))).toContain(
      ':recycle: Re-qualified. Previously rejected by <@U_ANA>: No budget — “Student project, no budget until Q3”',
    );
    expect(contextTexts(post(v))[0]).toContain('criteria version 3 · qualification #2');
  });

  it('an earlier acceptance or a rejection without a note', () => {
    const base = { qualification: 1, reasonCode: null, note: null, decidedBy: 'U_ANA' };
    expect(contextTexts(post(view({ qualification: 2, previous: { ...base, decision: 'accepted' } })))).toContain(
      ':recycle: Re-qualified. Previously accepted by <@U_ANA>.',
    );
    expect(contextTexts(post(view({ qualification: 2, previous: { ...base, decision: 'rejected', reasonCode: 'not_a_fit' } })))).toContain(
      ':recycle: Re-qualified. Previously rejected by <@U_ANA>: Not a fit',
    );
  });
});
