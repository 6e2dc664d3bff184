import { describe, expect, it } from 'vitest';
import { seedOffer } from '../helpers/seed.js';
import type { OfferStatus } from '../../db/types.js';
import { blockKitViolations } from '../helpers/block-kit.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { ask, readable } from '../commands/helpers.js';
import { seedHistory } from './history-seed.js';

/** The digest's routing part: the last 24 hours' offers per route and per rep, only when leads were offered to reps. */

const NOW = new Date('2026-11-24T09:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3600_000);
const app = useTestApp({ now: () => NOW, resetBeforeEach: true });

async function offered(handoffId: number, userId: string, status: OfferStatus, hours: number, routeName: string | null = 'emea') {
  const offeredAt = hoursAgo(hours);
  const answeredAt = status === 'open' ? null : new Date(offeredAt.getTime() + 60_000);
  await seedOffer(app.database, { handoffId, userId, routeName, status, offeredAt, answeredAt });
}
const preview = () => ask(app.t, app.fakeSlack, 'digest preview', 'UMANAGER');

describe('the digest with routing', () => {
  it('ends with the last 24 hours’ offers per route ("default" for the default route) and per rep', async () => {
    const lead = await seedHistory(app.database, { name: 'Jana', postedAt: hoursAgo(3) });
    const older = await seedHistory(app.database, { name: 'Old', postedAt: hoursAgo(30) });
    await offered(lead, 'UREP1', 'passed', 2.9);
    await offered(lead, 'UREP2', 'timed_out', 2.8);
    await offered(lead, 'UREP3', 'accepted', 2.7);
    await offered(lead, 'UREP1', 'withdrawn', 2.6, null);
    await offered(older, 'UREP1', 'accepted', 29); // the day before: not in the last 24 hours

    const reply = await preview();
    expect(reply.blocks!.slice(-2).map((b) => b.text!.text)).toEqual([
      '*Routing, last 24 hours:* 4 offers · 1 accepted · 1 passed · 1 timed out · 1 withdrawn · 0 still open\n*By route*\n' +
        '• *emea* — 3 offers · 1 accepted · 1 passed · 1 timed out · 0 withdrawn · 0 still open\n' +
        '• *default* — 1 offer · 0 accepted · 0 passed · 0 timed out · 1 withdrawn · 0 still open',
      '*By rep*\n' +
        '• <@UREP1> — 2 offers · 0 accepted · 1 passed · 0 timed out · 1 withdrawn · 0 still open\n' +
        '• <@UREP2> — 1 offer · 0 accepted · 0 passed · 1 timed out · 0 withdrawn · 0 still open\n' +
        '• <@UREP3> — 1 offer · 1 accepted · 0 passed · 0 timed out · 0 withdrawn · 0 still open',
    ]);
  });

  it('has no routing part on an install that offers no leads', async () => {
    await seedHistory(app.database, { name: 'Jana', postedAt: hoursAgo(3) });
    const reply = await preview();
    expect(readable(reply)).not.toMatch(/Routing|offer/i);
  });

  it('stays inside Slack’s limits with many stalled leads and offers on many routes to many reps', async () => {
    for (let i = 0; i < 40; i++) {
      const id = await seedHistory(app.database, { name: `Stalled ${i} ${'x'.repeat(60)}`, postedAt: hoursAgo(2 + i / 20) });
      const route = `route ${String(i).padStart(2, '0')} ${'r'.repeat(70)}`;
      await offered(id, `UREP${String(i).padStart(3, '0')}${'Z'.repeat(20)}`, 'timed_out', 1.9, route);
    }
    const blocks = (await preview()).blocks as Array<Record<string, any>>;
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(blockKitViolations(blocks)).toEqual([]);
    const [byRoute, byRep] = blocks.slice(-2).map((b) => b.text.text as string);
    expect(byRoute).toMatch(
      /^\*Routing, last 24 hours:\* 40 offers · 0 accepted · 0 passed · 40 timed out · 0 withdrawn · 0 still open\n\*By route\*\n/,
    );
    expect(byRoute).toMatch(/\nand 30 more$/);
    expect(byRep).toMatch(/^\*By rep\*\n/);
    expect(byRep).toMatch(/\nand 25 more$/);
  });
});
