import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseInUseError, lockDataDir, openPglite, processStartTime } from '../../db/client.js';

const hasProc = existsSync('/proc/self/stat');
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataDir(lock?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mql-lock-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  if (lock !== undefined) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'bot.lock'), lock);
  }
  return dir;
}

/** Takes the lock as opening the database does (opening PGlite itself is tested once, below). */
function lock(dir: string): void {
  cleanups.push(lockDataDir(dir));
}

/** Another Node process, alive until the test ends. */
async function otherNode(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('spawn', resolve));
  cleanups.push(() => child.kill('SIGKILL'));
  return child;
}

const lockOf = (dir: string) => readFileSync(path.join(dir, 'bot.lock'), 'utf8');
const ours = hasProc ? `${process.pid} ${processStartTime(process.pid)}` : String(process.pid);

describe('the DATA_DIR lock', () => {
  it('records the pid and, where /proc exists, the process start time', () => {
    const dir = dataDir();
    lock(dir);
    expect(lockOf(dir)).toBe(ours);
    if (hasProc) expect(lockOf(dir)).toMatch(/^\d+ \d+$/);
  });

  it.skipIf(!hasProc)(
    'takes over a lock naming an unrelated live process (pid 1, as an old lock file or with another start time)',
    async () => {
      for (const stale of ['1', `1 ${Number(processStartTime(1)) + 1}`]) {
        const dir = dataDir(stale);
        lock(dir);
        expect(lockOf(dir)).toBe(ours);
      }
    },
  );

  it.skipIf(!hasProc)('takes over a lock whose pid now belongs to another process (a recycled pid)', async () => {
    const child = await otherNode();
    const dir = dataDir(`${child.pid} ${Number(processStartTime(child.pid!)) + 1}`);
    lock(dir);
    expect(lockOf(dir)).toBe(ours);
  });

  it('takes over the lock of a bot that died', async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('spawn', resolve));
    const started = processStartTime(child.pid!);
    await new Promise((resolve) => child.once('exit', resolve));
    const dir = dataDir(started ? `${child.pid} ${started}` : String(child.pid));
    lock(dir);
    expect(lockOf(dir)).toBe(ours);
  });

  it('refuses while another running bot holds it: same pid and start time', async () => {
    const child = await otherNode();
    const started = processStartTime(child.pid!);
    const lock = started ? `${child.pid} ${started}` : String(child.pid);
    const dir = dataDir(lock);
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by another process \\(pid ${child.pid}\\)`));
    expect(() => lockDataDir(dir)).toThrow(DatabaseInUseError);
    expect(lockOf(dir)).toBe(lock);
  });

  it.skipIf(!hasProc)('refuses an old-style lock (pid only) that names a running Node process, to be safe during an upgrade', async () => {
    const child = await otherNode();
    const dir = dataDir(String(child.pid));
    expect(() => lockDataDir(dir)).toThrow(DatabaseInUseError);
  });

  it('refuses a second open of the same directory in this process while the first is open, and allows it after close', async () => {
    const dir = dataDir();
    const first = await openPglite(dir);
    cleanups.push(() => first.close().catch(() => {}));
    await expect(openPglite(dir)).rejects.toThrow(/in use by this process/);
    expect(lockOf(dir)).toBe(ours);
    await first.close();
    expect(existsSync(path.join(dir, 'bot.lock'))).toBe(false);
    lock(dir);
    expect(lockOf(dir)).toBe(ours);
  });

  it("takes over this process's own lock when it no longer holds it (left by a database never closed)", async () => {
    const dir = dataDir(ours);
    lock(dir);
    expect(lockOf(dir)).toBe(ours);
  });
});
