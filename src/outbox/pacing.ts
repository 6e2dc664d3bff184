/*
 * Pacing: the outbox keeps to Slack's published rate limits before sending, rather than learning of them from
 * 429s. Pure: it is given the time and does no I/O.
 *
 * Slack's limits (https://docs.slack.dev/apis/web-api/rate-limits) apply "per API method per workspace per app":
 * Tier 1 1+ per minute, Tier 2 20+ per minute, Tier 3 50+ per minute ("sporadic bursts are welcome"), Tier 4
 * 100+ per minute ("generous burst behavior"). chat.postMessage has a special tier: "one message per second per
 * channel", "short bursts >1 allowed", plus a workspace-wide limit whose number Slack does not publish (its 429s
 * still pause the outbox). chat.update is Tier 3 (https://api.slack.com/methods/chat.update). The outbox calls
 * only these two, and conversations.history (Tier 3) when it looks for a post that may already be in the channel.
 * Calls made straight from listeners, such as views.publish (Tier 4) or views.open, do not go through the outbox.
 */

/** A Slack Web API call: its method, and the channel it goes to (a user id for a DM). */
export interface PacedCall {
  method: string;
  channel?: string;
}

/**
 * A rate: `burst` calls at once, then one each `intervalMs`. It allows at most burst + ⌊W / intervalMs⌋ calls
 * in any window of W ms (a closed interval), which is what `allowedIn` says and the tests hold the pacer to.
 */
export interface Rate {
  intervalMs: number;
  burst: number;
}

export interface SlackLimits {
  /** Limits per method and channel. */
  perChannel: Record<string, Rate>;
  /** Limits per method across the workspace. */
  perMethod: Record<string, Rate>;
}

/** Slack's floor of a tier, with a burst of ten seconds' worth of calls. */
function tier(perMinute: number): Rate {
  return { intervalMs: 60_000 / perMinute, burst: Math.max(1, Math.floor(perMinute / 6)) };
}

/** Each limit at the low end of what Slack documents, so the outbox stays under it. */
export const SLACK_LIMITS: SlackLimits = {
  perChannel: { 'chat.postMessage': { intervalMs: 1000, burst: 3 } },
  perMethod: { 'chat.update': tier(50) },
};

/** How many calls `rate` allows in a window of `windowMs` (see Rate). */
export function allowedIn(rate: Rate, windowMs: number): number {
  return rate.burst + Math.floor(windowMs / rate.intervalMs);
}

export interface Pacer {
  /**
   * Starts a drain pass at `now`. Within a pass, a message that has to wait queues behind the ones that waited
   * before it on the same limits, so each gets its own later time and they go out in the order they were asked.
   */
  pass(now: number): PacingPass;
  /** Counts calls that were made (the outbox reports every call a sender made, once it has made them). */
  spend(calls: readonly PacedCall[], now: number): void;
}

export interface PacingPass {
  /** Whether `calls` may be made at `now` (null), or the time (ms) before which they may not. Takes nothing. */
  wait(calls: readonly PacedCall[], now: number): number | null;
}

/** Far longer than any limit here takes to refill (chat.update: 8 calls' burst, 1.2 s each). */
const MAX_WAIT_MS = 60_000;

interface Bucket {
  key: string;
  rate: Rate;
}

/**
 * Token buckets kept as the time each is next full (the "theoretical arrival time" of GCRA), which makes the
 * answer to "not before when?" exact arithmetic rather than a polling loop.
 */
export function createPacer(limits: SlackLimits = SLACK_LIMITS): Pacer {
  /** Per bucket: when it will be full again; a bucket missing or due in the past is full. */
  const fullAt = new Map<string, number>();
  /** When a bucket is full again as seen at `now`; a clock that went back (a test's, NTP) stalls it a minute at most. */
  const fullAgain = (key: string, now: number) => Math.min(Math.max(fullAt.get(key) ?? now, now), now + MAX_WAIT_MS);

  const bucketsOf = (call: PacedCall): Bucket[] => {
    const buckets: Bucket[] = [];
    const perChannel = limits.perChannel[call.method];
    if (perChannel && call.channel) buckets.push({ key: `${call.method} ${call.channel}`, rate: perChannel });
    const perMethod = limits.perMethod[call.method];
    if (perMethod) buckets.push({ key: call.method, rate: perMethod });
    return buckets;
  };

  /** Calls per bucket: several calls of one message to the same limit are taken together. */
  const demand = (calls: readonly PacedCall[]) => {
    const counted = new Map<string, { rate: Rate; count: number }>();
    for (const bucket of calls.flatMap(bucketsOf)) {
      const entry = counted.get(bucket.key) ?? { rate: bucket.rate, count: 0 };
      entry.count++;
      counted.set(bucket.key, entry);
    }
    return counted;
  };

  return {
    pass(now) {
      // Full buckets need no memory: forgetting them keeps the map to the channels recently posted to.
      for (const [key, at] of fullAt) if (at <= now) fullAt.delete(key);
      /** Calls (per bucket) of messages that waited earlier in this pass. */
      const queued = new Map<string, number>();
      return {
        wait(calls, at) {
          let notBefore = at;
          const wanted = demand(calls);
          for (const [key, { rate, count }] of wanted) {
            // A message needing more calls than the burst waits for a full bucket, then goes (and the ones after it wait longer).
            const needed = Math.min(count, rate.burst) + (queued.get(key) ?? 0);
            const full = fullAgain(key, at);
            notBefore = Math.max(notBefore, full - (rate.burst - needed) * rate.intervalMs);
          }
          if (notBefore <= at) return null;
          for (const [key, { count }] of wanted) queued.set(key, (queued.get(key) ?? 0) + count);
          return notBefore;
        },
      };
    },
    spend(calls, now) {
      for (const [key, { rate, count }] of demand(calls)) {
        fullAt.set(key, fullAgain(key, now) + count * rate.intervalMs);
      }
    },
  };
}
