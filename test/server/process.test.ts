import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBlackHole } from '../helpers/tcp-proxy.js';

// The bot as `npm start` runs it, in a child process: what it logs, whether it listens, how it exits.
const ROOT = path.resolve(import.meta.dirname, '../..');
const TOKEN = 'process-test-token-0123';

interface Child {
  process: ChildProcess;
  lines: Array<Record<string, any>>;
  exited: Promise<number | null>;
}

function startBot(env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_BOT_TOKEN: 'xoxb-process-test',
      SLACK_SIGNING_SECRET: 'process-test-secret',
      SLACK_SALES_CHANNEL: 'CSALES',
      // Nothing listens on port 9 (discard): Slack is unreachable unless a test says otherwise.
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      LEAD_API_TOKEN: TOKEN,
      PORT: '0',
      // Set, so a developer's .env cannot point the child at their own database (it does not override).
      DATABASE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Child['lines'] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop()!;
    for (const line of complete) {
      try {
        lines.push(JSON.parse(line));
      } catch {
        lines.push({ msg: line });
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => lines.push({ stderr: chunk.toString() }));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  running.add(child);
  return { process: child, lines, exited };
}

const running = new Set<ChildProcess>();
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  running.clear();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Resolves with `what` when it happens, or rejects after `ms` (the test's deadline, not a measurement). */
function within<T>(ms: number, what: Promise<T>, label: string): Promise<T> {
  return Promise.race([what, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${label}: not within ${ms} ms`)), ms))]);
}

async function waitFor<T>(probe: () => T | undefined, ms: number, label: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${label}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('start-up with the database away', () => {
  it('logs each attempt, never listens, and exits 1 after DB_STARTUP_TIMEOUT (host that never answers)', async () => {
    const hole = await startBlackHole();
    cleanups.push(() => hole.close());
    const bot = startBot({ DATABASE_URL: `postgres://bot@127.0.0.1:${hole.port}/mql`, DB_STARTUP_TIMEOUT: '5s' });
    const code = await within(30_000, bot.exited, 'exit');

    expect(code).toBe(1);
    const retries = bot.lines.filter((l) => l.level === 40 && /database is not reachable \(attempt \d+/.test(l.msg));
    expect(retries.length).toBeGreaterThanOrEqual(2);
    const fatal = bot.lines.find((l) => l.level === 60);
    expect(fatal?.msg).toMatch(/the database did not answer within \d+ s .*DB_STARTUP_TIMEOUT/);
    expect(bot.lines.some((l) => l.msg === 'MQL handoff bot started')).toBe(false);
  }, 60_000);

  it('exits 1 the same way when the port refuses connections', async () => {
    const bot = startBot({ DATABASE_URL: 'postgres://bot@127.0.0.1:9/mql', DB_STARTUP_TIMEOUT: '3s' });
    expect(await within(30_000, bot.exited, 'exit')).toBe(1);
    expect(bot.lines.filter((l) => /ECONNREFUSED/.test(l.reason ?? '')).length).toBeGreaterThanOrEqual(2);
  }, 60_000);
});

describe('SIGTERM with a long outbox queue', () => {
  it('finishes the post in flight, leaves the rest queued and exits 0 within the grace period', async () => {
    // A slow Slack on 127.0.0.1: each post takes 200 ms, so the 150 queued would take 30 s to send.
    const posts: string[] = [];
    const slack: Server = createServer((req, res) => {
      const method = (req.url ?? '').replace(/^\/api\//, '');
      req.resume();
      setTimeout(() => {
        if (method === 'chat.postMessage') posts.push(String(posts.length));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, channel: 'CSALES', ts: `1700000000.${String(posts.length).padStart(6, '0')}`, messages: [] }));
      }, 200);
    });
    await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', () => resolve()));
    cleanups.push(() => new Promise((resolve) => slack.close(resolve)));
    const dataDir = mkdtempSync(path.join(tmpdir(), 'mql-sigterm-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));

    const bot = startBot({ DATA_DIR: dataDir, SLACK_API_URL: `http://127.0.0.1:${(slack.address() as AddressInfo).port}/api/` });
    const port = await waitFor(
      () => bot.lines.find((l) => l.msg === 'MQL handoff bot started')?.port as number | undefined,
      60_000,
      'start',
    );
    const leads = Array.from({ length: 150 }, (_, i) => ({
      source: 'web',
      externalId: `sigterm-${i}`,
      name: `Lead ${i}`,
      events: [{ type: 'form_submit', occurredAt: '2026-11-23T09:00:00Z' }],
    }));
    const res = await fetch(`http://127.0.0.1:${port}/api/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ leads }),
    });
    expect(res.status).toBe(200);
    await waitFor(() => (posts.length >= 3 ? true : undefined), 20_000, 'first posts');

    bot.process.kill('SIGTERM');
    // Within the orchestrator's usual 10 s grace (the bot's own hard deadline is 8 s; it should not need it).
    expect(await within(9_000, bot.exited, 'exit after SIGTERM')).toBe(0);
    expect(posts.length).toBeLessThan(50);
    expect(bot.lines.some((l) => l.msg === 'stopped')).toBe(true);
  }, 90_000);
});
