import type { WorkspaceStore } from './store.js';

/**
 * The bot's clock in the sandbox: real time plus an offset that only moves forward, so SLA reminders and
 * digests can be seen without waiting. The offset is saved with the workspace: a restart keeps the bot's time.
 */
export function createSandboxClock(store: WorkspaceStore) {
  return {
    now: () => new Date(Date.now() + store.clockOffsetMs),
    advance(ms: number) {
      store.clockOffsetMs += ms;
      store.changed();
    },
  };
}

export type SandboxClock = ReturnType<typeof createSandboxClock>;
