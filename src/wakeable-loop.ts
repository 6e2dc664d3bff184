/** Background work run every `intervalMs` and whenever woken (the outbox worker, the router). */
export interface WakeableLoop {
  /** Run a pass now rather than at the next tick; woken during a pass, another follows right after it. */
  wake(): void;
  /** Stops ticking and waits for the pass in flight. */
  stop(): Promise<void>;
  /** Resolves once no pass is in flight. */
  idle(): Promise<void>;
}

/** Starts ticking at once; passes never overlap. `pass` must not throw (it logs its own failures). */
export function startWakeableLoop(pass: () => Promise<void>, intervalMs: number): WakeableLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let wokenWhileRunning = false;

  const tick = () => {
    clearTimeout(timer);
    running = pass().finally(() => {
      running = null;
      if (stopped) return;
      if (wokenWhileRunning) {
        wokenWhileRunning = false;
        tick();
      } else {
        timer = setTimeout(tick, intervalMs);
      }
    });
  };
  tick();
  return {
    wake() {
      if (stopped) return;
      if (running) wokenWhileRunning = true;
      else tick();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    async idle() {
      await running;
    },
  };
}
