import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { freePort } from '../harness/bot-process.js';
import { loadDatabaseConfig } from '../src/config-db.js';
import { percentile, type Measurement } from './section.js';

/*
 * The bot, the import and the floors as processes of their own, started the way a user starts them, for the
 * sections that time start-up or load the bot from outside. Nothing here knows the bot's internals.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);

export const BENCH_SIGNING_SECRET = 'bench-signing-secret';
export const BENCH_LEAD_API_TOKEN = 'bench-lead-api-token-0123';

/** The bot's settings against a stand-in Slack at `apiUrl` (bench/slack-stub.ts), over HTTP. */
export const botEnv = (apiUrl: string): Record<string, string> => ({
  SLACK_BOT_TOKEN: 'xoxb-bench-0000000000',
  SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
  SLACK_API_URL: apiUrl,
  SLACK_SALES_CHANNEL: 'CSALES',
  LEAD_API_TOKEN: BENCH_LEAD_API_TOKEN,
});

/** The floor: a bare Bolt app (bench/floors/bare-bolt.mjs), with the same Slack settings as the bot. */
export const bareBolt = (apiUrl: string) => ({
  args: [path.join(ROOT, 'bench/floors/bare-bolt.mjs')],
  env: { SLACK_BOT_TOKEN: 'xoxb-bench-0000000000', SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET, SLACK_API_URL: apiUrl },
});

let built: Promise<void> | undefined;
/** Builds once per bench run when the project has a build, so a stale dist/ is never what gets measured. */
function buildOnce(): Promise<void> {
  const scripts = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts ?? {};
  built ??= scripts.build
    ? run('npm', ['run', 'build'], { cwd: ROOT, maxBuffer: 10 * 1024 * 1024 }).then(() => undefined)
    : Promise.resolve();
  return built;
}

/** Node's arguments for a TypeScript entry as the npm scripts run it: compiled from dist/ when built, else through tsx. */
export async function entryArgs(entry: string): Promise<{ args: string[]; how: string }> {
  await buildOnce();
  const compiled = path.join(ROOT, 'dist', entry.replace(/\.ts$/, '.js'));
  return existsSync(compiled)
    ? { args: ['--enable-source-maps', compiled], how: 'compiled' }
    : { args: ['--import', 'tsx', entry], how: 'tsx' };
}

/** A database nobody has touched yet, for one process: its settings, and how to remove it afterwards. */
export interface FreshDatabase {
  env: Record<string, string>;
  remove(): Promise<void>;
}

export interface DatabaseKind {
  label: string;
  /** What `fresh` makes, for notes: "DATA_DIR" or "database". */
  freshWhat: string;
  fresh(): Promise<FreshDatabase>;
}

async function onServer(serverUrl: string, statement: string) {
  const client = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await client.unsafe(statement);
  } finally {
    await client.end();
  }
}

/** The embedded PGlite in a new DATA_DIR and, with DATABASE_URL, a new database on that server. */
function databaseKinds(serverUrl: string | undefined): DatabaseKind[] {
  const pglite: DatabaseKind = {
    label: 'PGlite',
    freshWhat: 'DATA_DIR',
    async fresh() {
      const dir = mkdtempSync(path.join(tmpdir(), 'mql-bench-process-'));
      return { env: { DATA_DIR: dir }, remove: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  };
  if (!serverUrl) return [pglite];
  const server: DatabaseKind = {
    label: 'Postgres',
    freshWhat: 'database',
    async fresh() {
      const name = `mql_bench_${randomBytes(6).toString('hex')}`;
      await onServer(serverUrl, `create database ${name}`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return { env: { DATABASE_URL: url.toString() }, remove: () => onServer(serverUrl, `drop database if exists ${name} with (force)`) };
    },
  };
  return [pglite, server];
}

/** `measure` on each database under test in turn: PGlite, then Postgres when the bench has DATABASE_URL. */
export async function onEachDatabase(measure: (database: DatabaseKind) => Promise<Measurement[]>): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  for (const database of databaseKinds(loadDatabaseConfig(process.env).url)) rows.push(...(await measure(database)));
  return rows;
}

/** This process's environment without the settings a spawned bot or import must get only from the section. */
function inheritedEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(SLACK_|WEBHOOK_)/.test(name) || ['DATABASE_URL', 'DATA_DIR', 'SANDBOX', 'LEAD_API_TOKEN', 'PORT', 'LOG_LEVEL'].includes(name)) {
      delete env[name];
    }
  }
  return env;
}

function started(args: string[], env: Record<string, string>): { child: ChildProcess; output(): string } {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...inheritedEnv(), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return { child, output: () => output };
}

export interface Server {
  base: string;
  /** Milliseconds from spawning it to its first /healthz 200. */
  startMs: number;
  output(): string;
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<void>;
}

/** Spawns `node <args>` on a free port and waits for /healthz to answer 200, polling every few milliseconds. */
export async function startServer(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const begun = performance.now();
  const { child, output } = started(args, { ...env, PORT: String(port) });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const healthy = () =>
    fetch(`${base}/healthz`).then(
      async (r) => {
        await r.arrayBuffer();
        return r.ok;
      },
      () => false,
    );
  while (!(await healthy())) {
    if (child.exitCode !== null || performance.now() - begun > timeoutMs) {
      await stop();
      throw new Error(`node ${args.join(' ')} did not become healthy:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return { base, startMs: performance.now() - begun, output, stop };
}

/** Spawns `node <args>` and waits for it to exit; how long that took and what it printed. */
export async function runToExit(args: string[], env: Record<string, string>): Promise<{ ms: number; code: number | null; output: string }> {
  const begun = performance.now();
  const { child, output } = started(args, env);
  // 'close', not 'exit': by then everything it printed has been read.
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { ms: performance.now() - begun, code, output: output() };
}

export const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
