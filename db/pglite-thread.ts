import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PgliteWorkerData, PgliteWorkerMessage } from './pglite-worker.js';

export interface PgliteThread {
  /** The Unix socket it serves the Postgres protocol on (a private folder of its own). */
  socketPath: string;
  /** Closes the database cleanly and ends the thread. */
  stop(): Promise<void>;
}

/**
 * Compiled, the worker is the .js file beside this one. Run from source (tsx, vitest), it is the .ts file, loaded
 * through tsx's API: Node 20 does not apply `--import` loaders to a worker's own entry file.
 */
function spawnWorker(workerData: PgliteWorkerData): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./pglite-worker.js', import.meta.url), { workerData });
  const entry = new URL('./pglite-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/**
 * Starts PGlite on a thread of its own (db/pglite-worker.ts). `onLost` hears if the thread dies unasked: the
 * database is gone then, and the process should end rather than answer every request with an error.
 */
export async function startPgliteThread(
  source: { dataDir?: string; snapshot?: Uint8Array<ArrayBuffer> },
  onLost: (error: Error) => void = () => {},
): Promise<PgliteThread> {
  // Short, private and ours alone: Unix socket paths are limited to ~100 bytes, and the database has no password.
  const socketDir = mkdtempSync(path.join(tmpdir(), 'mql-pglite-'));
  const socketPath = path.join(socketDir, 'db.sock');
  const workerData: PgliteWorkerData = { ...source, socketPath };
  const worker = spawnWorker(workerData);
  let stopping = false;
  let exited = false;
  const removeSocketDir = () => rmSync(socketDir, { recursive: true, force: true });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (message: PgliteWorkerMessage) =>
        'ready' in message
          ? resolve()
          : reject(new Error(`the embedded database did not start: ${'failed' in message ? message.failed : 'no answer'}`)),
      );
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the embedded database's thread exited (code ${code}) while starting`)));
    });
  } catch (error) {
    await worker.terminate();
    removeSocketDir();
    throw error;
  }
  worker.on('error', (error) => {
    if (!stopping) onLost(error);
  });
  worker.on('exit', (code) => {
    exited = true;
    removeSocketDir();
    if (!stopping) onLost(new Error(`the embedded database's thread exited (code ${code})`));
  });
  return {
    socketPath,
    async stop() {
      if (stopping) return;
      stopping = true;
      // Already gone (it died, and onLost was told): nothing is left to close.
      if (exited) return;
      const closed = new Promise<void>((resolve) => {
        worker.on('message', (message: PgliteWorkerMessage) => {
          if ('closed' in message) resolve();
        });
        worker.once('exit', () => resolve());
      });
      worker.postMessage('close');
      await closed;
      await worker.terminate();
      removeSocketDir();
    },
  };
}
