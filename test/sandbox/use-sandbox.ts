import { createServer } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { createApp, type MqlApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createSandbox, sandboxSettings, SANDBOX_HOST, type SandboxSettings } from '../../src/sandbox/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { eventually } from '../../harness/handoff.js';

/** A free port: the sandbox must know its own address before it listens. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, SANDBOX_HOST, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The bot in sandbox mode, wired as `npm start` wires it with no Slack settings, on a test database. */
export function useSandbox() {
  let started:
    | { database: TestDatabase; app: MqlApp; sandbox: ReturnType<typeof createSandbox>; settings: SandboxSettings; base: string }
    | undefined;
  const get = () => {
    if (!started) throw new Error('the sandbox starts in beforeAll');
    return started;
  };
  beforeAll(async () => {
    const port = await freePort();
    const settings = sandboxSettings({ PORT: String(port), LOG_LEVEL: 'silent' })!;
    const database = await createTestDatabase();
    const sandbox = createSandbox(settings, null);
    const app = await createApp({
      config: loadConfig(settings.env),
      database,
      logger: createLogger('silent'),
      now: sandbox.now,
      extraRoutes: sandbox.routes,
    });
    await app.start(port, SANDBOX_HOST);
    sandbox.attach(app, port);
    app.startWorkers();
    started = { database, app, sandbox, settings, base: `http://${SANDBOX_HOST}:${port}` };
  });
  afterAll(async () => {
    started?.sandbox.stop();
    await started?.app.stop();
    await started?.database.close();
  });

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${get().base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const state = async () => (await (await fetch(`${get().base}/sandbox/state`)).json()) as Record<string, any>;
  /** What the page does: POST /sandbox/do/<action>. */
  const act = (action: string, body: Record<string, unknown> = {}) => post(`/sandbox/do/${action}`, body);
  return {
    get: get,
    post,
    state,
    act,
    /** Clicks the button labelled `text` in a message's actions block, as `user`. */
    clickOn: (message: Record<string, any>, user: string, text: string) => {
      const block = message.blocks.find((b: any) => b.type === 'actions');
      const button = block.elements.find((e: any) => e.text.text === text);
      return act('click', {
        user,
        channel: message.channel,
        ts: message.ts,
        actionId: button.action_id,
        blockId: block.block_id,
        value: button.value,
      });
    },
    /** Waits until the workspace state satisfies `ok`. */
    until: (ok: (s: Record<string, any>) => boolean, timeoutMs = 8000) => eventually(state, ok, timeoutMs),
  };
}

export const SANDBOX_SALES = 'C0SBSALES';
/** #sales's messages in a workspace state, oldest first. */
export const salesOf = (state: Record<string, any>) => (state.messages[SANDBOX_SALES] ?? []) as Array<Record<string, any>>;
/** The MQL posts in #sales. */
export const postsOf = (state: Record<string, any>) => salesOf(state).filter((m) => m.text.startsWith('New MQL'));
/** The labels of a message's buttons. */
export const buttonsOf = (message: Record<string, any>) =>
  (message.blocks ?? []).filter((b: any) => b.type === 'actions').flatMap((b: any) => b.elements.map((e: any) => e.text.text));
