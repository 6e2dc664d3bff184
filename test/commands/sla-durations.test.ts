/** Point 8 in the SLA texts: durations at the precision they were set, compared exactly (CLAIM_SLA=30s). */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../helpers/db.js';
import type { TestApp } from '../../harness/app.js';
import { useTestApp } from '../helpers/use-test-app.js';
import { seedHistory } from '../sla/history-seed.js';
import { ask, readable } from './helpers.js';

const NOW = new Date('2026-11-24T09:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const app = useTestApp({ now: () => NOW, env: { CLAIM_SLA: '30s' }, resetBeforeEach: true });
const { fakeSlack } = app;
let database: TestDatabase;
let t: TestApp;
beforeAll(() => {
  ({ database, t } = app);
});

describe('SLA durations with CLAIM_SLA=30s', () => {
  it('shows a 33 s claim as "p90 33 s" and the SLA as 30 s', async () => {
    for (const [name, claimAfter] of [
      ['Quick', 10_000],
      ['Slower', 33_000],
    ] as const) {
      await seedHistory(database, {
        name,
        postedAt: ago(3600_000),
        steps: [{ action: 'claim', by: 'UREP1', at: ago(3600_000 - claimAfter) }],
      });
    }
    const stats = await ask(t, fakeSlack, 'stats 1', 'UMANAGER');
    const json = JSON.stringify(stats.blocks);
    expect(json).toContain('*Time to claim*\\nmedian 10 s · p90 33 s');
    // 10 s met the 30 s SLA, 33 s missed it.
    expect(json).toContain('*Claimed within SLA*\\n50%');
  });

  it('lists a lead as past the 30 s claim SLA only once 30 s have run exactly', async () => {
    await seedHistory(database, { name: 'Almost', postedAt: ago(29_999) });
    expect((await ask(t, fakeSlack, 'stalled')).text).toContain('Nothing is stalled');
    await seedHistory(database, { name: 'Due', postedAt: ago(30_000) });
    const reply = await ask(t, fakeSlack, 'stalled');
    expect(reply.text).toBe('1 lead is past their SLA:');
    expect(readable(reply)).toContain('|Due> — owner: nobody · unclaimed for 30 s (claim SLA 30 s)');
  });
});
