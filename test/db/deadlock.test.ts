import { describe, expect, it } from 'vitest';
import { retryOnDeadlock } from '../../db/deadlock.js';

const deadlock = () => Object.assign(new Error('Failed query: insert into outbox …'), { cause: { code: '40P01' } });

describe('a transaction chosen as a deadlock victim', () => {
  it('runs again and returns what the retry returns', async () => {
    let runs = 0;
    const result = await retryOnDeadlock(async () => {
      runs++;
      if (runs < 3) throw deadlock();
      return 'claimed';
    });
    expect({ result, runs }).toEqual({ result: 'claimed', runs: 3 });
  });

  it('gives up after its retries, and never retries another error', async () => {
    let runs = 0;
    await expect(
      retryOnDeadlock(async () => {
        runs++;
        throw deadlock();
      }, 2),
    ).rejects.toMatchObject({ cause: { code: '40P01' } });
    expect(runs).toBe(3);
    runs = 0;
    await expect(
      retryOnDeadlock(async () => {
        runs++;
        throw Object.assign(new Error('unique violation'), { code: '23505' });
      }),
    ).rejects.toThrow('unique violation');
    expect(runs).toBe(1);
  });
});
