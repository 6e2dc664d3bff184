import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowedIn, createPacer, SLACK_LIMITS, type PacedCall, type Rate, type SlackLimits } from '../../src/outbox/pacing.js';

const post = (channel: string): PacedCall => ({ method: 'chat.postMessage', channel });
const update: PacedCall = { method: 'chat.update' };
const LIMITS: SlackLimits = {
  perChannel: { 'chat.postMessage': { intervalMs: 1000, burst: 3 } },
  perMethod: { 'chat.update': { intervalMs: 1200, burst: 8 } },
};

/** Asks as the worker does, for messages of one call each: a message goes (its call is made: null) or waits until the time given. */
function ask(pacer: ReturnType<typeof createPacer>, now: number, messages: PacedCall[]) {
  const pass = pacer.pass(now);
  return messages.map((call) => {
    const calls = [call];
    const notBefore = pass.wait(calls, now);
    if (notBefore === null) pacer.spend(calls, now);
    return notBefore;
  });
}

describe('pacing to Slack', () => {
  it("keeps to Slack's documented limits: a message per second per channel with a short burst, chat.update at Tier 3", () => {
    expect(SLACK_LIMITS.perChannel['chat.postMessage']).toMatchObject({ intervalMs: 1000 });
    expect(SLACK_LIMITS.perChannel['chat.postMessage']!.burst).toBeGreaterThan(1);
    // Tier 3: 50 per minute.
    expect(allowedIn(SLACK_LIMITS.perMethod['chat.update']!, 60_000) - SLACK_LIMITS.perMethod['chat.update']!.burst).toBe(50);
  });

  it('sends a burst at once, then says when each of the rest may go, in the order asked', () => {
    const pacer = createPacer(LIMITS);
    const waits = ask(pacer, 0, [post('C1'), post('C1'), post('C1'), post('C1'), post('C1')]);
    expect(waits).toEqual([null, null, null, 1000, 2000]);
    // At its time the first that waited goes; the next is still not due.
    expect(ask(pacer, 1000, [post('C1'), post('C1')])).toEqual([null, 2000]);
  });

  it('paces each channel on its own: a busy channel holds up no other', () => {
    const pacer = createPacer(LIMITS);
    const waits = ask(pacer, 0, [post('C1'), post('C1'), post('C1'), post('C1'), post('C2'), post('U1')]);
    expect(waits).toEqual([null, null, null, 1000, null, null]);
  });

  it('paces chat.update across the workspace, whatever the channel', () => {
    const pacer = createPacer(LIMITS);
    const waits = ask(
      pacer,
      0,
      Array.from({ length: 10 }, () => update),
    );
    expect(waits).toEqual([null, null, null, null, null, null, null, null, 1200, 2400]);
  });

  it('counts every call a message made, so the claim DMs an update re-rendered make the next updates wait', () => {
    const pacer = createPacer(LIMITS);
    // An update of a post and of its two claim DMs: three chat.update calls.
    pacer.spend([update, update, update], 0);
    pacer.spend([update, update, update], 0);
    expect(ask(pacer, 0, [update, update, update])).toEqual([null, null, 1200]);
  });

  it('a clock that went back leaves a channel waiting a minute at most', () => {
    const pacer = createPacer(LIMITS);
    ask(pacer, 86_400_000, [post('C1'), post('C1'), post('C1')]);
    // The clock is set back a day: the channel's last posts seem a day ahead.
    expect(ask(pacer, 0, [post('C1')])).toEqual([60_000 - 2000]);
  });

  it('forgets buckets that are full again, so posting to many users does not grow its memory for good', () => {
    const pacer = createPacer(LIMITS);
    for (let i = 0; i < 1000; i++) pacer.spend([post(`U${i}`)], 0);
    // A minute later every bucket is full: a burst to any of them goes at once.
    expect(ask(pacer, 60_000, [post('U1'), post('U1'), post('U1')])).toEqual([null, null, null]);
  });
});

/** Every window from one call to a later one holds no more calls than the rate allows. */
function keepsTo(rate: Rate, times: number[]): boolean {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.every((start, i) => sorted.every((end, j) => j < i || j - i + 1 <= allowedIn(rate, end - start)));
}

const attempt = fc.record({
  // Time since the previous attempt: often none (a pass), sometimes a little, sometimes a lot.
  gapMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1500 }), fc.integer({ min: 0, max: 70_000 })),
  method: fc.constantFrom('chat.postMessage', 'chat.update'),
  channel: fc.constantFrom('C1', 'C2', 'U1'),
  calls: fc.integer({ min: 1, max: 3 }),
  newPass: fc.boolean(),
});

describe('pacing, for any sequence of messages', () => {
  it('never lets more calls through in any window than the limit allows, per channel and per method', () => {
    fc.assert(
      fc.property(fc.array(attempt, { maxLength: 120 }), (attempts) => {
        const pacer = createPacer(LIMITS);
        const made = new Map<string, number[]>();
        let now = 0;
        let pass = pacer.pass(now);
        for (const a of attempts) {
          now += a.gapMs;
          if (a.newPass || a.gapMs > 0) pass = pacer.pass(now);
          const calls = Array.from({ length: a.calls }, () => ({ method: a.method, channel: a.channel }));
          if (pass.wait(calls, now) !== null) continue;
          pacer.spend(calls, now);
          const key = a.method === 'chat.postMessage' ? `post ${a.channel}` : 'update';
          made.set(key, [...(made.get(key) ?? []), ...calls.map(() => now)]);
        }
        for (const [key, times] of made) {
          const rate = key === 'update' ? LIMITS.perMethod['chat.update']! : LIMITS.perChannel['chat.postMessage']!;
          if (!keepsTo(rate, times)) return false;
        }
        return true;
      }),
    );
  });

  it('a message told to wait may go at the time it was given, if nothing else was sent meanwhile', () => {
    fc.assert(
      fc.property(fc.array(attempt, { maxLength: 60 }), attempt, (before, last) => {
        const pacer = createPacer(LIMITS);
        let now = 0;
        for (const a of before) {
          now += a.gapMs;
          const calls = Array.from({ length: a.calls }, () => ({ method: a.method, channel: a.channel }));
          if (pacer.pass(now).wait(calls, now) === null) pacer.spend(calls, now);
        }
        const calls = Array.from({ length: last.calls }, () => ({ method: last.method, channel: last.channel }));
        const notBefore = pacer.pass(now).wait(calls, now);
        if (notBefore === null) return true;
        return notBefore > now && pacer.pass(notBefore).wait(calls, notBefore) === null;
      }),
    );
  });
});
