import type { Measurement, Section } from './section.js';
import { startSlackStub } from './slack-stub.js';
import { bareBolt, botEnv, onEachDatabase, entryArgs, median, startServer, type DatabaseKind } from './spawn.js';

const STARTS = 3;

/** Spawns a server, waits for its first /healthz 200 and stops it: how long the start took. */
async function timedStart(args: string[], env: Record<string, string>): Promise<number> {
  const server = await startServer(args, env);
  await server.stop();
  return server.startMs;
}

/**
 * Spawn → first /healthz 200 of the bot on a database nobody has touched (created and migrated at start-up),
 * again on the same database (a restart), and of a bare Bolt app.
 */
async function coldStartOn(database: DatabaseKind): Promise<Measurement[]> {
  const stub = await startSlackStub();
  try {
    const entry = await entryArgs('src/server.ts');
    const floor = bareBolt(stub.apiUrl);
    const first: number[] = [];
    const restart: number[] = [];
    const bare: number[] = [];
    // Taken in turns, so a busy moment of the machine falls on both rather than on one.
    for (let i = 0; i < STARTS; i++) {
      bare.push(await timedStart(floor.args, floor.env));
      const fresh = await database.fresh();
      try {
        const env = { ...botEnv(stub.apiUrl), ...fresh.env };
        first.push(await timedStart(entry.args, env));
        restart.push(await timedStart(entry.args, env));
      } finally {
        await fresh.remove();
      }
    }
    const row = (metric: string, times: number[], on: string): Measurement => ({
      database: database.label,
      metric,
      value: median(times),
      unit: 'ms',
      floor: { value: median(bare), label: 'bare Bolt' },
      target: { atMost: 3 },
      note: `median of ${STARTS}, ${on}; bot ${entry.how} (${times.map(Math.round).join(', ')} ms)`,
    });
    return [
      row('spawn → /healthz 200', first, `each on a fresh ${database.freshWhat}`),
      row('restart: spawn → /healthz 200', restart, `each on the ${database.freshWhat} the first start made`),
    ];
  } finally {
    await stub.close();
  }
}

/** How long the bot takes to start as `npm start` starts it, against a bare Bolt app spawned the same way. */
export const coldStart: Section = {
  name: 'cold start',
  perDatabase: false,
  run: () => onEachDatabase(coldStartOn),
};
