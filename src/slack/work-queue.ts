import type { RequestKind } from './payload-shape.js';

/**
 * The work that follows a Slack ack (a command's answer, a click's change, a submission's decision, an event's
 * Home refresh). Run as it arrived, fifty clicks' work would compete with the acks of requests still coming in;
 * here at most `concurrency` pieces run at once, each started after pending I/O (new requests) had its turn.
 * Turns go round the keys (the Slack user): one user's burst waits behind itself, not in front of everyone.
 * Bounded: past `limit` waiting pieces a request is told the bot is busy instead of queued (`full()`), so a flood
 * cannot grow memory without end or leave answers minutes late.
 */
export interface WorkQueue {
  /** Runs `work` in its turn and settles as it does. Throws `WorkQueueFull` when `full()`: check that before acking. */
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** No room for more work now. */
  full(): boolean;
  /** A piece given now would start at once: nothing waits and a place is free. */
  startsAtOnce(): boolean;
  /** Other pieces wait for a place (not merely run): a piece given now may wait for seconds. */
  othersWait(): boolean;
  /**
   * For shutdown: pieces still waiting are refused with `WorkQueueClosed` (their listeners tell the user to try
   * again) and no more are taken; those running finish.
   */
  close(): void;
}

export class WorkQueueFull extends Error {
  constructor() {
    super('too much work is waiting');
  }
}

/** Work refused because the bot is stopping (a deploy, a restart): it was not done. */
export class WorkQueueClosed extends Error {
  constructor() {
    super('the bot is stopping');
  }
}

/** What a user is told when their work was refused as the bot stopped. */
export const STOPPING_MESSAGE = ':arrows_counterclockwise: The bot is restarting and did not do that. Please try again in a minute.';

/**
 * What the user is told when `run` failed with `error`: why, if the queue refused it; otherwise `otherwise`, after
 * `logUnexpected` (a refusal as the bot stops is expected, and not logged).
 */
export function failureText(error: unknown, logUnexpected: () => void, otherwise: string): string {
  if (error instanceof WorkQueueClosed) return STOPPING_MESSAGE;
  if (error instanceof WorkQueueFull) return BUSY_MESSAGE;
  logUnexpected();
  return otherwise;
}

/** What a user is told when the queue is full: nothing was done, and trying again will work. */
export const BUSY_MESSAGE = ':hourglass: The bot is very busy right now and did not do that. Please try again in a minute.';

interface Job {
  start: () => void;
  refuse: (error: Error) => void;
}

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createWorkQueue(options: { concurrency: number; limit: number; onWaitingChange?: (waiting: number) => void }): WorkQueue {
  // Insertion-ordered: a key goes to the back once served (and comes back at the back when it has work again), so turns go round.
  const queues = new Map<string, Job[]>();
  let waiting = 0;
  let running = 0;
  let closed = false;

  const changed = (delta: number) => {
    waiting += delta;
    options.onWaitingChange?.(waiting);
  };

  function next(): Job | undefined {
    for (const [key, jobs] of queues) {
      const job = jobs.shift();
      queues.delete(key);
      // Back of the line for this key's next piece.
      if (jobs.length > 0) queues.set(key, jobs);
      if (job) return job;
    }
    return undefined;
  }

  function pump() {
    while (running < options.concurrency) {
      const job = next();
      if (!job) return;
      running++;
      changed(-1);
      job.start();
    }
  }

  return {
    full: () => waiting >= options.limit,
    startsAtOnce: () => waiting === 0 && running < options.concurrency,
    othersWait: () => waiting > 0,
    close() {
      closed = true;
      const refused = [...queues.values()].flat();
      queues.clear();
      changed(-refused.length);
      for (const job of refused) job.refuse(new WorkQueueClosed());
    },
    run<T>(key: string, work: () => Promise<T>): Promise<T> {
      if (closed) return Promise.reject(new WorkQueueClosed());
      if (waiting >= options.limit) return Promise.reject(new WorkQueueFull());
      return new Promise<T>((resolve, reject) => {
        const start = () => {
          yieldToIo()
            .then(work)
            .then(resolve, reject)
            .finally(() => {
              running--;
              pump();
            });
        };
        const jobs = queues.get(key);
        const job = { start, refuse: reject };
        if (jobs) jobs.push(job);
        else queues.set(key, [job]);
        changed(1);
        pump();
      });
    },
  };
}

/** True, and counted, when there is no room for more work: the caller then answers with BUSY_MESSAGE instead. */
export function refusedAsBusy(
  deps: { work: WorkQueue; metrics: { workRefused: { inc(labels: { kind: RequestKind }): void } } },
  kind: RequestKind,
): boolean {
  if (!deps.work.full()) return false;
  deps.metrics.workRefused.inc({ kind });
  return true;
}
