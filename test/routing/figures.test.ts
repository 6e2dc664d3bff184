import { describe, expect, it } from 'vitest';
import type { OfferStatus } from '../../db/types.js';
import { type OfferOutcome, routingCountsBlocks, routingFigures, routingStatsBlocks } from '../../src/routing/figures.js';
import { blockKitViolations } from '../helpers/block-kit.js';

const MIN = 60_000;
const t0 = new Date('2026-11-23T10:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * MIN);

/** An offer made at `t0 + offeredMin`, answered `answerMin` later when it was accepted or passed. */
function offer(userId: string, routeName: string | null, status: OfferStatus, answerMin = 1, offeredMin = 0): OfferOutcome {
  const answered = status === 'open' ? null : at(offeredMin + answerMin);
  return { userId, routeName, status, offeredAt: at(offeredMin), answeredAt: answered };
}
type Block = Record<string, any>;
const textOf = (blocks: Block[]) => blocks.map((b) => b.text?.text ?? b.elements?.map((e: Block) => e.text).join(' ')).join('\n');

describe('routingFigures', () => {
  it('is null without offers, so a claim-only install shows no routing part', () => {
    expect(routingFigures([])).toBeNull();
  });

  it('counts each outcome per route and per rep, most offers first; the default route is named "default"', () => {
    const figures = routingFigures([
      offer('UANA', 'emea', 'accepted', 2),
      offer('UANA', 'emea', 'passed', 4),
      offer('UBEN', 'emea', 'timed_out', 5),
      offer('UBEN', 'emea', 'accepted', 6),
      offer('UBEN', null, 'withdrawn'),
      offer('UCY', 'us', 'open'),
    ])!;
    expect(figures.total).toEqual({
      offers: 6,
      accepted: 2,
      passed: 1,
      timedOut: 1,
      withdrawn: 1,
      open: 1,
      acceptRate: 50,
      medianAnswerMs: 4 * MIN,
    });
    expect(figures.byRoute.map((r) => [r.route, r.offers, r.accepted, r.passed, r.timedOut, r.withdrawn, r.open])).toEqual([
      ['emea', 4, 2, 1, 1, 0, 0],
      ['default', 1, 0, 0, 0, 1, 0],
      ['us', 1, 0, 0, 0, 0, 1],
    ]);
    expect(figures.byRep.map((r) => [r.rep, r.offers, r.acceptRate, r.medianAnswerMs])).toEqual([
      ['UBEN', 3, 50, 6 * MIN],
      ['UANA', 2, 50, 2 * MIN],
      ['UCY', 1, null, null],
    ]);
  });

  it('leaves withdrawn and open offers out of the accept rate, and time-outs out of the answer time', () => {
    const figures = routingFigures([
      offer('UANA', 'emea', 'withdrawn'),
      offer('UANA', 'emea', 'open'),
      offer('UANA', 'emea', 'timed_out', 5),
    ])!;
    expect(figures.total.acceptRate).toBe(0);
    expect(figures.total.medianAnswerMs).toBeNull();
    expect(routingFigures([offer('UANA', null, 'withdrawn')])!.total.acceptRate).toBeNull();
  });
});

describe('the routing blocks', () => {
  it('read per route then per rep in /mql stats, with accept rates and median answer times', () => {
    const figures = routingFigures([
      offer('UANA', 'emea', 'accepted', 2),
      offer('UBEN', 'emea', 'passed', 4),
      offer('UBEN', null, 'timed_out', 5),
    ])!;
    const text = textOf(routingStatsBlocks(figures));
    expect(text).toContain(
      '*Routing:* 3 offers · 1 accepted · 1 passed · 1 timed out · 0 withdrawn · 0 still open · accept rate 33% · median answer 2 min\n*By route*\n' +
        '• *emea* — 2 offers · 1 accepted · 1 passed · 0 timed out · 0 withdrawn · 0 still open · accept rate 50% · median answer 2 min\n' +
        '• *default* — 1 offer · 0 accepted · 0 passed · 1 timed out · 0 withdrawn · 0 still open · accept rate 0% · median answer —',
    );
    expect(text).toContain(
      '*By rep*\n• <@UBEN> — 2 offers · 0 accepted · 1 passed · 1 timed out · 0 withdrawn · 0 still open · accept rate 0% · median answer 4 min\n' +
        '• <@UANA> — 1 offer · 1 accepted · 0 passed · 0 timed out · 0 withdrawn · 0 still open · accept rate 100% · median answer 2 min',
    );
  });

  it('read per route then per rep for a day (digest, Home), every outcome on every line, zeros too', () => {
    const figures = routingFigures([
      offer('UANA', 'emea', 'accepted'),
      offer('UANA', 'emea', 'open'),
      offer('UBEN', null, 'withdrawn'),
      offer('UBEN', 'emea', 'passed'),
    ])!;
    expect(routingCountsBlocks('Routing, last 24 hours', figures)).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text:
            '*Routing, last 24 hours:* 4 offers · 1 accepted · 1 passed · 0 timed out · 1 withdrawn · 1 still open\n*By route*\n' +
            '• *emea* — 3 offers · 1 accepted · 1 passed · 0 timed out · 0 withdrawn · 1 still open\n' +
            '• *default* — 1 offer · 0 accepted · 0 passed · 0 timed out · 1 withdrawn · 0 still open',
        },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text:
            '*By rep*\n' +
            '• <@UANA> — 2 offers · 1 accepted · 0 passed · 0 timed out · 0 withdrawn · 1 still open\n' +
            '• <@UBEN> — 2 offers · 0 accepted · 1 passed · 0 timed out · 1 withdrawn · 0 still open',
        },
      },
    ]);
  });

  it('stay within Block Kit limits with many routes and reps, and escape route names', () => {
    const offers = Array.from({ length: 400 }, (_, i) => offer(`U${i % 40}`, `<b>${'r'.repeat(200)}${i % 30}`, 'accepted'));
    const stats = routingStatsBlocks(routingFigures(offers)!) as Block[];
    const day = routingCountsBlocks('Offers today', routingFigures(offers)!) as Block[];
    expect(blockKitViolations([...stats, ...day])).toEqual([]);
    for (const blocks of [stats, day]) {
      // 30 routes (10 at most, fewer when their long names fill the section), then 40 reps (15 at most).
      expect(blocks[0]!.text.text).toMatch(/\nand (2\d) more$/);
      expect(blocks[1]!.text.text).toMatch(/\nand 25 more$/);
      expect(textOf(blocks)).not.toContain('<b>');
    }
  });
});
