import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

/*
 * The bot as its own process (as `npm start` runs it, with Slack settings): a signed `payload=null`, which
 * once threw inside Bolt's receiver and ended the process, is answered with a 400 and the bot keeps serving.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const SECRET = 'process-test-signing-secret';
let bot: ChildProcess;
let base: string;
let dataDir: string;
let output = '';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  dataDir = mkdtempSync(path.join(tmpdir(), 'mql-null-'));
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    SLACK_BOT_TOKEN: 'xoxb-process-test',
    SLACK_SIGNING_SECRET: SECRET,
    // Slack is nowhere: a closed local port, so nothing leaves this machine.
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
    SLACK_SALES_CHANNEL: 'C0SALES',
    LEAD_API_TOKEN: 'process-test-lead-api-token',
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  delete env.SANDBOX;
  bot = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  bot.stdout!.on('data', (d) => (output += d));
  bot.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 60_000;
  while (!(await fetch(`${base}/healthz`).then((r) => r.ok, () => false))) {
    if (bot.exitCode !== null || Date.now() > deadline) throw new Error(`the bot did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 90_000);

afterAll(async () => {
  bot?.kill('SIGTERM');
  await new Promise((r) => (bot?.exitCode !== null ? r(null) : bot.once('exit', r)));
  rmSync(dataDir, { recursive: true, force: true });
});

it('answers a signed payload=null with a 400 and keeps serving', async () => {
  const body = 'payload=null';
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const res = await fetch(`${base}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
    body,
  });
  expect(res.status).toBe(400);
  await new Promise((r) => setTimeout(r, 200));
  expect(bot.exitCode).toBeNull();
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
});
