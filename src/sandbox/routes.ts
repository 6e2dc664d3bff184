import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CustomRoute } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { HttpError, readBody, sendJson, sendText } from '../http/respond.js';
import { route as plainRoute, type RouteHandler, type RouteRequest } from '../http/route.js';
import { refuseForeignHost } from './same-origin.js';
import { SANDBOX_BOT, SANDBOX_CHANNELS, SANDBOX_GROUPS, SANDBOX_USERS, dmIdOf } from './people.js';
import { deliverReply, useResponseTarget, type ReplyBody } from './relay.js';
import type { StoredMessage, WorkspaceStore } from './store.js';
import type { createWebApi } from './web-api.js';
import { jsonProblem, pathText } from '../text/json-check.js';

/** The page, its scripts, the state it renders, the stream that tells it to re-render, and Slack's side. */

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
const require = createRequire(import.meta.url);
/** Preact and htm as ES modules, from node_modules: the page fetches nothing from outside this server. */
const VENDOR: Record<string, string> = {
  'preact.js': path.join(path.dirname(require.resolve('preact')), 'preact.module.js'),
  'hooks.js': path.join(path.dirname(require.resolve('preact/hooks')), 'hooks.module.js'),
  'htm.js': path.join(path.dirname(require.resolve('htm')), 'htm.module.js'),
};
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};
/** Fields Slack's client sends JSON-encoded inside a form body. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata']);
const MESSAGES_SHOWN = 200;
const MAX_BODY = 2 * 1024 * 1024;

async function sendFile(res: ServerResponse, file: string): Promise<void> {
  const body = await readFile(file).catch(() => null);
  if (!body) throw new HttpError(404, { error: 'not found' });
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
  res.end(body);
}

async function readText(req: RouteRequest): Promise<string> {
  const raw = await readBody(req, MAX_BODY);
  if (!raw) throw new HttpError(413, { ok: false, error: 'request_too_large' });
  return raw.toString('utf8');
}

/** Web API arguments as Slack reads them: a form (JSON-encoded fields inside) or a JSON body. */
export function parseWebApiArgs(body: string, contentType: string): Record<string, unknown> {
  const parseJson = (text: string): unknown => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return text;
    }
    // Slack refuses absurd blocks and metadata (answering 200 with ok: false); here they would also break
    // saving the workspace.
    const problem = jsonProblem(value);
    if (problem)
      throw new HttpError(200, { ok: false, error: 'invalid_arguments', errors: [`${pathText(problem.path)} ${problem.message}`] });
    return value;
  };
  if (contentType.includes('application/json')) {
    const parsed = parseJson(body || '{}');
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  }
  const args: Record<string, unknown> = Object.create(null);
  for (const [key, value] of new URLSearchParams(body)) args[key] = JSON_FIELDS.has(key) ? parseJson(value) : value;
  return args;
}

function threaded(messages: StoredMessage[]) {
  const top = messages.filter((m) => !m.threadTs).slice(-MESSAGES_SHOWN);
  const present = ({ threadTs: _thread, metadata: _metadata, ...m }: StoredMessage) => m;
  return top.map((m) => ({ ...present(m), replies: messages.filter((r) => r.threadTs === m.ts).map(present) }));
}

export function workspaceState(store: WorkspaceStore, now: Date) {
  return {
    version: store.version,
    clock: { now: now.toISOString(), offsetMs: store.clockOffsetMs },
    bot: SANDBOX_BOT,
    users: SANDBOX_USERS,
    channels: Object.values(SANDBOX_CHANNELS),
    groups: SANDBOX_GROUPS.map((g) => ({ id: g.id, handle: g.handle })),
    dms: SANDBOX_USERS.map((u) => ({ id: dmIdOf(u.id), user: u.id })),
    messages: Object.fromEntries([...store.messages].map(([id, list]) => [id, threaded(list)])),
    ephemerals: store.ephemerals,
    modals: Object.fromEntries(store.modals),
    homes: Object.fromEntries(store.homes),
  };
}

/** Server-sent events: one `change` per burst of changes; the page then fetches the state. */
function streamChanges(store: WorkspaceStore, streams: Set<ServerResponse>, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = () => res.write(`event: change\ndata: ${JSON.stringify({ version: store.version })}\n\n`);
  send();
  let pending: NodeJS.Timeout | undefined;
  const unsubscribe = store.onChange(() => {
    pending ??= setTimeout(() => {
      pending = undefined;
      send();
    }, 50);
  });
  const heartbeat = setInterval(() => res.write(': still here\n\n'), 15_000);
  streams.add(res);
  res.on('close', () => {
    unsubscribe();
    clearInterval(heartbeat);
    clearTimeout(pending);
    streams.delete(res);
  });
}

export interface SandboxRouteOptions {
  store: WorkspaceStore;
  webApi: ReturnType<typeof createWebApi>;
  botToken: string;
  streams: Set<ServerResponse>;
}

export function pageRoutes(deps: Deps, options: SandboxRouteOptions): CustomRoute[] {
  const { store, webApi, streams } = options;
  // Every sandbox answer is for this machine's own pages only (see same-origin.ts).
  const route = (method: string, path: string, handler: RouteHandler) =>
    plainRoute(deps, method, path, async (req, res) => {
      refuseForeignHost(req);
      await handler(req, res);
    });
  return [
    route('GET', '/sandbox', (_req, res) => sendFile(res, path.join(PAGE_DIR, 'index.html'))),
    route('GET', '/sandbox/assets/:file', async (req, res) => {
      const file = String(req.params?.file ?? '');
      if (!/^[a-z0-9-]+\.(js|css)$/.test(file)) throw new HttpError(404, { error: 'not found' });
      await sendFile(res, path.join(PAGE_DIR, file));
    }),
    route('GET', '/sandbox/vendor/:file', async (req, res) => {
      const file = VENDOR[String(req.params?.file ?? '')];
      if (!file || !Object.hasOwn(VENDOR, String(req.params?.file))) throw new HttpError(404, { error: 'not found' });
      await sendFile(res, file);
    }),
    route('GET', '/sandbox/state', async (_req, res) => sendJson(res, 200, workspaceState(store, deps.now()))),
    route('GET', '/sandbox/stream', async (_req, res) => streamChanges(store, streams, res)),
    route('POST', '/sandbox/api/:method', async (req, res) => {
      const body = await readText(req);
      if (req.headers.authorization !== `Bearer ${options.botToken}`) {
        const args = parseWebApiArgs(body, req.headers['content-type'] ?? '');
        if (args.token !== options.botToken) return sendJson(res, 200, { ok: false, error: 'invalid_auth' });
      }
      sendJson(res, 200, webApi(String(req.params?.method ?? ''), parseWebApiArgs(body, req.headers['content-type'] ?? '')));
    }),
    route('POST', '/sandbox/response/:id', async (req, res) => {
      const target = useResponseTarget(store, String(req.params?.id ?? ''));
      if (!target) return sendText(res, 404, 'text/plain', 'used_url');
      const reply = parseWebApiArgs(await readText(req), 'application/json') as ReplyBody;
      deliverReply(store, target, reply, deps.now());
      sendText(res, 200, 'text/plain', 'ok');
    }),
  ];
}
