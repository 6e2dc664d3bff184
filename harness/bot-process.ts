import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/*
 * The bot as its own process, on a free local port and a fresh DATA_DIR, with the embedded database: for tests
 * that need the real process (signals, crashes, the sandbox in a browser). It runs src/server.ts through tsx, so
 * a test always runs the source as it is, or, with `compiled`, dist/ as `npm start` runs it (built by `npm ci`).
 */

const ROOT = path.resolve(import.meta.dirname, '..');

/** Node's arguments in package.json's `start` script (`node … dist/src/server.js`), so the test runs what users run. */
function npmStartArgs(): string[] {
  const start = String(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts?.start ?? '');
  const [command, ...args] = start.split(/\s+/);
  if (command !== 'node') throw new Error(`npm start runs \`${start}\`, not node on the build`);
  const entry = args.at(-1) ?? '';
  if (!existsSync(path.join(ROOT, entry))) throw new Error(`${entry} is missing: \`npm ci\` builds it, or \`npm run build\``);
  return args;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface BotProcess {
  base: string;
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM, wait for the exit, remove its DATA_DIR. */
  stop(): Promise<void>;
}

export interface BotProcessOptions {
  /** Run what `npm start` runs (node on the build in dist/) instead of the source through tsx. */
  compiled?: boolean;
  timeoutMs?: number;
}

/** Starts the bot with `env` laid over this process's (minus Slack, database and sandbox settings), healthy. */
export async function startBotProcess(env: Record<string, string>, options: BotProcessOptions = {}): Promise<BotProcess> {
  const { compiled = false, timeoutMs = 90_000 } = options;
  const args = compiled ? npmStartArgs() : ['--import', 'tsx', 'src/server.ts'];
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mql-bot-'));
  const inherited: Record<string, string | undefined> = { ...process.env };
  for (const name of [
    'SLACK_BOT_TOKEN',
    'SLACK_SIGNING_SECRET',
    'SLACK_APP_TOKEN',
    'SLACK_API_URL',
    'DATABASE_URL',
    'SANDBOX',
    'LEAD_API_TOKEN',
  ])
    delete inherited[name];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...inherited, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (
    !(await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the bot did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { base, child, output: () => output, stop };
}
