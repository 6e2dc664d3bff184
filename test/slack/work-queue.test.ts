import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkQueue, WorkQueueClosed, WorkQueueFull } from '../../src/slack/work-queue.js';

/** A piece of work that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
async function settle() {
  for (let i = 0; i < 10; i++) await tick();
}

describe('the work queue after acks', () => {
  it('runs at most `concurrency` pieces at once, and a failure does not stop the next', async () => {
    const queue = createWorkQueue({ concurrency: 2, limit: 10 });
    let running = 0;
    let most = 0;
    const piece = (fail: boolean) =>
      queue.run('U1', async () => {
        running++;
        most = Math.max(most, running);
        await tick();
        running--;
        if (fail) throw new Error('boom');
        return 'done';
      });
    const results = await Promise.allSettled([piece(false), piece(true), piece(false), piece(false)]);
    expect(most).toBe(2);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  });

  it("takes turns between users: a second user's click is not queued behind the first user's burst", async () => {
    const queue = createWorkQueue({ concurrency: 1, limit: 100 });
    const started: string[] = [];
    const blocker = gate();
    const first = queue.run('ANA', async () => {
      started.push('ana-0');
      await blocker.opened;
    });
    const rest = [
      ...[1, 2, 3].map((i) => queue.run('ANA', async () => void started.push(`ana-${i}`))),
      queue.run('BEN', async () => void started.push('ben-0')),
    ];
    blocker.open();
    await Promise.all([first, ...rest]);
    expect(started).toEqual(['ana-0', 'ana-1', 'ben-0', 'ana-2', 'ana-3']);
  });

  it('refuses past its limit (and says it is full beforehand), then takes work again once pieces start', async () => {
    const waitingCounts: number[] = [];
    const queue = createWorkQueue({ concurrency: 1, limit: 2, onWaitingChange: (n) => waitingCounts.push(n) });
    const blocker = gate();
    const running = queue.run('U1', () => blocker.opened);
    expect(queue.startsAtOnce()).toBe(false);
    expect(queue.othersWait()).toBe(false);
    const waiting = [queue.run('U2', async () => 'a'), queue.run('U3', async () => 'b')];
    expect(queue.full()).toBe(true);
    expect(queue.othersWait()).toBe(true);
    await expect(queue.run('U4', async () => 'c')).rejects.toBeInstanceOf(WorkQueueFull);
    blocker.open();
    await Promise.all([running, ...waiting]);
    expect(queue.full()).toBe(false);
    expect(queue.startsAtOnce()).toBe(true);
    expect(await queue.run('U4', async () => 'c')).toBe('c');
    expect(waitingCounts.at(-1)).toBe(0);
  });

  it('whatever the arrivals: every accepted piece runs once, never more than `concurrency` at once, each user in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.constantFrom('A', 'B', 'C', 'D'), { maxLength: 30 }),
        async (concurrency, limit, users) => {
          let waiting = 0;
          const queue = createWorkQueue({ concurrency, limit, onWaitingChange: (n) => (waiting = n) });
          let running = 0;
          let most = 0;
          const ran: string[] = [];
          const accepted: string[] = [];
          const runs = users.map((user, i) => {
            const name = `${user}${i}`;
            return queue
              .run(user, async () => {
                running++;
                most = Math.max(most, running);
                await tick();
                ran.push(name);
                running--;
              })
              .then(
                () => accepted.push(name),
                (error: unknown) => expect(error).toBeInstanceOf(WorkQueueFull),
              );
          });
          await Promise.all(runs);
          await settle();
          expect(most).toBeLessThanOrEqual(concurrency);
          expect([...ran].sort()).toEqual([...accepted].sort());
          for (const user of 'ABCD') {
            const mine = ran.filter((n) => n.startsWith(user)).map((n) => Number(n.slice(1)));
            expect(mine).toEqual([...mine].sort((a, b) => a - b));
          }
          expect(waiting).toBe(0);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('closing the work queue (shutdown)', () => {
  it('refuses what waits and what comes, and lets what runs finish', async () => {
    const queue = createWorkQueue({ concurrency: 1, limit: 10 });
    const blocker = gate();
    const running = queue.run('U1', async () => {
      await blocker.opened;
      return 'finished';
    });
    const waiting = queue.run('U2', async () => 'never');
    queue.close();
    await expect(waiting).rejects.toBeInstanceOf(WorkQueueClosed);
    await expect(queue.run('U3', async () => 'never')).rejects.toBeInstanceOf(WorkQueueClosed);
    blocker.open();
    expect(await running).toBe('finished');
  });
});
