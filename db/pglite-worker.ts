import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * The embedded database's own thread: PGlite executes SQL synchronously on whichever thread holds it, so here
 * it never delays the bot's acks. It serves the Postgres wire protocol on a private Unix socket, and the bot
 * talks to it with postgres.js exactly as it talks to a server (db/pglite-thread.ts starts it).
 */
export interface PgliteWorkerData {
  /** Where PGlite keeps its files; absent: in memory. */
  dataDir?: string;
  /** A data directory dump (`dumpDataDir`) to start from, for tests. */
  snapshot?: Uint8Array<ArrayBuffer>;
  socketPath: string;
}

export type PgliteWorkerMessage = { ready: true } | { failed: string } | { closed: true };

const { dataDir, snapshot, socketPath } = workerData as PgliteWorkerData;
const port = parentPort!;

try {
  const db = await PGlite.create(dataDir, snapshot ? { loadDataDir: new Blob([snapshot]) } : {});
  // One connection: PGlite is one backend, and its multiplexer interleaves the messages of several clients'
  // statements, which a client using prepared statements (postgres.js) cannot survive.
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 1 });
  await server.start();
  port.on('message', async (message: 'close') => {
    if (message !== 'close') return;
    await server.stop();
    await db.close();
    port.postMessage({ closed: true } satisfies PgliteWorkerMessage);
    port.close();
  });
  port.postMessage({ ready: true } satisfies PgliteWorkerMessage);
} catch (error) {
  port.postMessage({ failed: error instanceof Error ? error.message : String(error) } satisfies PgliteWorkerMessage);
}
