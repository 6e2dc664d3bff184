/**
 * Runs the work that follows a listener's ack. Embedded PGlite executes SQL on the bot's own event loop, so
 * fifty clicks' database work, run side by side, would hold back the acks of clicks still arriving. There
 * each piece runs alone, after yielding to pending I/O, so a new request waits for one piece at most; a
 * Postgres server does the work elsewhere, so there it only yields once.
 */
export type AfterAck = <T>(work: () => Promise<T>) => Promise<T>;

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createAfterAck(databaseKind: 'postgres' | 'pglite'): AfterAck {
  if (databaseKind === 'postgres') {
    return async (work) => {
      await yieldToIo();
      return work();
    };
  }
  let tail: Promise<unknown> = Promise.resolve();
  return (work) => {
    const run = tail.then(yieldToIo).then(work);
    tail = run.catch(() => undefined);
    return run;
  };
}
