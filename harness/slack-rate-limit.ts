/*
 * Slack's per-channel posting limit as the tests' fake Slack and the benchmark's stub enforce it. Written from
 * the definition (at most `burst + ⌊W / intervalMs⌋` calls in any window of W ms), not from the bot's pacer, so
 * a test of the pacer can fail.
 */

export interface EnforcedRate {
  intervalMs: number;
  burst: number;
  /**
   * Forgiven per window, for a stub on a real clock: the bot reads its clock before a call and the stub when
   * the request arrives, and requests do not all take equally long to get there. 0 on a test's clock.
   */
  toleranceMs?: number;
}

export interface SlackRateLimit {
  /** Whether a call under `key` (e.g. a channel) at `now` (ms) keeps to the rate; an accepted call is counted. */
  accept(key: string, now: number): boolean;
  /** Calls refused so far (each answered 429). */
  refused(): number;
}

export function enforceRate({ intervalMs, burst, toleranceMs = 0 }: EnforcedRate): SlackRateLimit {
  const accepted = new Map<string, number[]>();
  let refused = 0;
  return {
    accept(key, now) {
      const times = accepted.get(key) ?? [];
      // Each window from an accepted call up to now must have room for one more.
      const fits = times.every((start, i) => times.length - i + 1 <= burst + Math.floor((now - start + toleranceMs) / intervalMs));
      if (!fits) {
        refused++;
        return false;
      }
      accepted.set(key, [...times, now]);
      return true;
    },
    refused: () => refused,
  };
}
