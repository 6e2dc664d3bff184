import { describe, expect, it } from 'vitest';
import { createAfterAck } from '../../src/slack/after-ack.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('work after an ack', () => {
  it('on PGlite runs one piece at a time, in arrival order, and a failure does not stop the next', async () => {
    const afterAck = createAfterAck('pglite');
    const log: string[] = [];
    let running = 0;
    const job = (name: string, fail = false) =>
      afterAck(async () => {
        running++;
        log.push(`${name}:${running}`);
        await sleep(5);
        running--;
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([job('a'), job('b', true), job('c')]);
    expect(log).toEqual(['a:1', 'b:1', 'c:1']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('on Postgres lets pieces run side by side', async () => {
    const afterAck = createAfterAck('postgres');
    let running = 0;
    let most = 0;
    await Promise.all(
      [1, 2, 3].map(() =>
        afterAck(async () => {
          running++;
          most = Math.max(most, running);
          await sleep(5);
          running--;
        }),
      ),
    );
    expect(most).toBe(3);
  });
});
