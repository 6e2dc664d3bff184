import { describe, expect, it } from 'vitest';
import { seedOffer } from '../helpers/seed.js';
import type { OfferStatus } from '../../db/types.js';
import { seedHistory } from '../sla/history-seed.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { ask } from './helpers.js';

/** `/mql stats` gains a routing part (per route, per rep) only when leads were offered to reps in the period. */

const NOW = new Date('2026-11-24T09:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3600_000);
const app = useTestApp({ now: () => NOW, resetBeforeEach: true });
const json = (value: unknown) => JSON.stringify(value);

async function offered(handoffId: number, userId: string, routeName: string | null, status: OfferStatus, hours: number, answerMin = 3) {
  const offeredAt = hoursAgo(hours);
  const answeredAt = status === 'open' || status === 'timed_out' ? null : new Date(offeredAt.getTime() + answerMin * 60_000);
  await seedOffer(app.database, { handoffId, userId, routeName, status, offeredAt, answeredAt });
}

describe('/mql stats with routing', () => {
  it('adds offers, accepts, passes, time-outs, accept rate and median answer time per route and per rep', async () => {
    const emea = await seedHistory(app.database, {
      name: 'Jana',
      postedAt: hoursAgo(30),
      steps: [{ action: 'claim', by: 'UREP2', at: hoursAgo(29.8) }],
    });
    const us = await seedHistory(app.database, { name: 'Sam', postedAt: hoursAgo(5) });
    await offered(emea, 'UREP1', 'emea', 'passed', 30, 2);
    await offered(emea, 'UREP3', 'emea', 'timed_out', 29.9);
    await offered(emea, 'UREP2', 'emea', 'accepted', 29.8, 4);
    await offered(us, 'UREP1', null, 'open', 0.05);
    // Before the period: not counted.
    await offered(us, 'UREP1', 'us', 'accepted', 24 * 8);

    const reply = await ask(app.t, app.fakeSlack, 'stats', 'UMANAGER');
    expect(reply.text).toBe('Last 7 days: 2 MQLs posted, 1 claim, 0 accepted, 0 rejected. Routing: 4 offers, 1 accepted.');
    const text = json(reply.blocks);
    expect(text).toContain(
      '*Routing:* 4 offers · 1 accepted · 1 passed · 1 timed out · 0 withdrawn · 1 still open · accept rate 33% · median answer 2 min\\n*By route*\\n' +
        '• *emea* — 3 offers · 1 accepted · 1 passed · 1 timed out · 0 withdrawn · 0 still open · accept rate 33% · median answer 2 min\\n' +
        '• *default* — 1 offer · 0 accepted · 0 passed · 0 timed out · 0 withdrawn · 1 still open · accept rate — · median answer —',
    );
    expect(text).toContain(
      '*By rep*\\n• <@UREP1> — 2 offers · 0 accepted · 1 passed · 0 timed out · 0 withdrawn · 1 still open · accept rate 0% · median answer 2 min\\n' +
        '• <@UREP2> — 1 offer · 1 accepted · 0 passed · 0 timed out · 0 withdrawn · 0 still open · accept rate 100% · median answer 4 min\\n' +
        '• <@UREP3> — 1 offer · 0 accepted · 0 passed · 1 timed out · 0 withdrawn · 0 still open · accept rate 0% · median answer —',
    );

    // The period asked for is the routing period too: the last 24 hours hold only the open offer.
    const day = await ask(app.t, app.fakeSlack, 'stats 1', 'UMANAGER');
    expect(day.text).toBe('Last 24 hours: 1 MQL posted, 0 claims, 0 accepted, 0 rejected. Routing: 1 offer, 0 accepted.');
    expect(json(day.blocks)).not.toContain('emea');
  });

  it('looks exactly as before on an install that offers no leads', async () => {
    await seedHistory(app.database, { name: 'Jana', postedAt: hoursAgo(3), steps: [{ action: 'claim', by: 'UREP1', at: hoursAgo(2.9) }] });
    const reply = await ask(app.t, app.fakeSlack, 'stats', 'UMANAGER');
    expect(reply.text).toBe('Last 7 days: 1 MQL posted, 1 claim, 0 accepted, 0 rejected.');
    expect(json(reply.blocks)).not.toMatch(/Routing|offer/i);
    expect(reply.blocks!.map((b) => b.type)).toEqual(['section', 'section', 'section']);
  });
});
