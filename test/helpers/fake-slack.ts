import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { FAKE_RESPONSE_URL, FAKE_SLACK_API } from '../../harness/app.js';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
}

/** Scripts an answer; returning undefined lets the call succeed as usual. `token` is the one the call was made with. */
type Responder = (
  args: Record<string, unknown>,
  call: { token: string | undefined },
) => Response | Record<string, unknown> | undefined | Promise<Response | Record<string, unknown> | undefined>;

/** Fields Slack's client sends JSON-encoded inside a form body. */
const JSON_FIELDS = ['blocks', 'attachments', 'view', 'metadata'];

/**
 * A Slack Web API stand-in on msw, at the addresses the test config gives the app: records every call,
 * answers `ok` by default, and lets a test script failures (429s, outages, permanent errors) per method.
 * What the app sends to a response_url is recorded as `responses`.
 */
export function createFakeSlack() {
  const calls: SlackCall[] = [];
  const responses: Array<Record<string, unknown>> = [];
  const responders = new Map<string, Responder>();
  let nextTs = 1_700_000_000;
  /** Messages Slack accepted, per channel, so conversations.history can answer like Slack would. */
  const posted = new Map<string, Array<Record<string, unknown>>>();

  const server = setupServer(
    http.post(`${FAKE_SLACK_API}:method`, async ({ request, params }) => {
      const method = String(params.method);
      const args = await readArgs(request);
      calls.push({ method, args });
      const responder = responders.get(method);
      const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? (args.token as string | undefined);
      const scripted = responder ? await responder(args, { token }) : undefined;
      if (scripted) return scripted instanceof Response ? scripted : HttpResponse.json(scripted);
      const answer = defaultAnswer(method, args, String(nextTs++), posted);
      if (method === 'chat.postMessage') {
        const channel = String(args.channel);
        posted.set(channel, [...(posted.get(channel) ?? []), { ts: answer.ts, text: args.text, metadata: parseMaybe(args.metadata) }]);
      }
      return HttpResponse.json(answer);
    }),
    http.post(`${FAKE_RESPONSE_URL}*`, async ({ request }) => {
      responses.push((await request.json()) as Record<string, unknown>);
      return HttpResponse.text('ok');
    }),
  );

  return {
    calls,
    responses,
    server,
    /** Starts intercepting; call before the app builds its Slack clients. */
    listen: () => server.listen({ onUnhandledRequest: 'bypass' }),
    close: () => server.close(),
    respond: (method: string, responder: Responder) => responders.set(method, responder),
    reset: () => {
      calls.length = 0;
      responses.length = 0;
      posted.clear();
      responders.clear();
    },
    callsTo: (method: string) => calls.filter((c) => c.method === method),
    /** Messages Slack accepted in a channel, oldest first. */
    delivered: (channel: string) => posted.get(channel) ?? [],
    /** Puts a message into a channel as if it had been posted (e.g. by a worker that died before recording it). */
    deliver: (channel: string, message: Record<string, unknown>) => posted.set(channel, [...(posted.get(channel) ?? []), message]),
    /** Waits until `count` responses arrived at the response_url (replies sent after ack). */
    async waitForResponses(count: number, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (responses.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} response_url posts, got ${responses.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return responses.slice(0, count);
    },
  };
}

export type FakeSlack = ReturnType<typeof createFakeSlack>;

async function readArgs(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if ((request.headers.get('content-type') ?? '').includes('application/json')) return JSON.parse(text || '{}');
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    args[key] = JSON_FIELDS.includes(key) ? JSON.parse(value) : value;
  }
  return args;
}

/**
 * Newest first, `limit` at a time (100 by default, like Slack), with a cursor while more remain. `oldest` is
 * not applied: the fake's ts are not tied to the clock the app under test runs on.
 */
function historyPage(messages: Array<Record<string, unknown>>, args: Record<string, unknown>): Record<string, unknown> {
  const limit = Number(args.limit ?? 100) || 100;
  const offset = Number(args.cursor ?? 0) || 0;
  const newestFirst = [...messages].reverse();
  const hasMore = offset + limit < newestFirst.length;
  return {
    ok: true,
    messages: newestFirst.slice(offset, offset + limit),
    has_more: hasMore,
    ...(hasMore ? { response_metadata: { next_cursor: String(offset + limit) } } : {}),
  };
}

function parseMaybe(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function defaultAnswer(
  method: string,
  args: Record<string, unknown>,
  ts: string,
  posted: Map<string, Array<Record<string, unknown>>>,
): Record<string, unknown> {
  switch (method) {
    case 'conversations.history':
      return historyPage(posted.get(String(args.channel)) ?? [], args);
    case 'chat.postMessage':
      return { ok: true, channel: args.channel, ts, message: { ts } };
    case 'chat.update':
      return { ok: true, channel: args.channel, ts: args.ts };
    case 'chat.postEphemeral':
      return { ok: true, message_ts: ts };
    case 'conversations.open':
      return { ok: true, channel: { id: `D${String(args.users).replace(/,/g, '')}` } };
    case 'chat.getPermalink':
      return { ok: true, permalink: `https://example.slack.com/archives/${args.channel}/p${String(args.message_ts).replace('.', '')}` };
    case 'views.open':
      return { ok: true, view: { id: 'V1', ...(args.view as object) } };
    case 'usergroups.users.list':
      return { ok: true, users: [] };
    case 'users.info':
      // Like Slack: the bot's own user (UBOT, see auth.test) is a bot; script others with `respond`.
      return { ok: true, user: { id: args.user, name: String(args.user).toLowerCase(), is_bot: args.user === 'UBOT', deleted: false } };
    case 'auth.test':
      return { ok: true, user: 'mql-bot', user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' };
    case 'conversations.info':
      return { ok: true, channel: { id: args.channel, name: String(args.channel).toLowerCase(), is_member: true, is_archived: false } };
    default:
      return { ok: true };
  }
}
