import { describe, expect, it } from 'vitest';
import { funnelBlocks, funnelText } from '../../src/funnel/blocks.js';
import type { Funnel, FunnelFigures } from '../../src/funnel/funnel.js';

const HOUR = 3600_000;
const figures = (
  mqls: number,
  accepted: number,
  opportunities: number,
  won: number,
  medianMs: Partial<FunnelFigures['medianMs']> = {},
): FunnelFigures => {
  const pct = (a: number, b: number) => (b ? Math.round((100 * a) / b) : null);
  return {
    mqls,
    accepted,
    opportunities,
    won,
    rates: {
      mqlToSql: pct(accepted, mqls),
      sqlToOpportunity: pct(opportunities, accepted),
      opportunityToWon: pct(won, opportunities),
      mqlToWon: pct(won, mqls),
    },
    medianMs: { mqlToSql: null, sqlToOpportunity: null, opportunityToWon: null, ...medianMs },
  };
};

describe('the funnel as a marketer reads it', () => {
  it('says each step with its rate, the overall rate and the median times', () => {
    expect(
      funnelText(figures(40, 22, 9, 4, { mqlToSql: 2 * HOUR, sqlToOpportunity: 3 * 24 * HOUR, opportunityToWon: 12 * 24 * HOUR })),
    ).toBe('40 MQLs → 22 SQL (55%) → 9 opp (41%) → 4 won (44%) · 10% overall · median 2 h to SQL, 3 d to opp, 12 d to won');
    expect(funnelText(figures(1, 0, 0, 0))).toBe('1 MQL → 0 SQL (0%) → 0 opp (—) → 0 won (—) · 0% overall');
  });

  it('labels versions, reps and sources, escaped, and says what it counts', () => {
    const funnel: Funnel = {
      by: 'rep',
      total: figures(3, 1, 0, 0),
      groups: [
        { key: 'UANA', ...figures(2, 1, 0, 0) },
        { key: 'nobody', ...figures(1, 0, 0, 0) },
      ],
    };
    const text = JSON.stringify(funnelBlocks('Funnel, last 30 days', funnel));
    expect(text).toContain('*Funnel, last 30 days, by rep*\\n*All*: 3 MQLs → 1 SQL (33%)');
    expect(text).toContain('• *<@UANA>*: 2 MQLs');
    expect(text).toContain('• *nobody*: 1 MQL');
    expect(text).toContain('followed to today');
    const sources = JSON.stringify(
      funnelBlocks('F', { by: 'source', total: figures(1, 0, 0, 0), groups: [{ key: '<b>&', ...figures(1, 0, 0, 0) }] }),
    );
    expect(sources).toContain('• *&lt;b&gt;&amp;*');
    expect(JSON.stringify(funnelBlocks('F', { ...funnel, by: 'version', groups: [{ key: '5', ...figures(3, 1, 0, 0) }] }))).toContain(
      '• *v5*: 3 MQLs',
    );
  });

  it('stays within Slack limits with hundreds of groups, and counts the rest', () => {
    const groups = Array.from({ length: 300 }, (_, i) => ({ key: `source-${i}-${'x'.repeat(150)}`, ...figures(300 - i, 1, 1, 1) }));
    const blocks = funnelBlocks('Funnel', { by: 'source', total: figures(45150, 300, 300, 300), groups });
    expect(blocks.length).toBeLessThanOrEqual(50);
    const section = blocks[0] as { text: { text: string } };
    expect(section.text.text.length).toBeLessThanOrEqual(3000);
    expect(section.text.text).toMatch(/\nand \d+ more$/);
  });

  it('says so in one line when no MQL qualified', () => {
    const blocks = funnelBlocks('Funnel, last 7 days', { by: 'version', total: figures(0, 0, 0, 0), groups: [] });
    expect(blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*Funnel, last 7 days:* no MQLs qualified in this period.' } },
    ]);
  });
});
