import { SANDBOX_BOT, SANDBOX_CHANNELS, SANDBOX_GROUPS, SANDBOX_USERS, TEAM_ID, dmIdOf, isSandboxUser, userIdOfDm } from './people.js';
import { newId, type StoredMessage, type WorkspaceStore } from './store.js';

/*
 * The Slack Web API methods the bot calls, answered the way Slack answers them: the same shapes, the same
 * error codes, and the same limits (50 blocks, 3-second trigger ids), so a bug the sandbox lets through is
 * one Slack would let through too.
 */

type Args = Record<string, unknown>;
export type Answer = Record<string, unknown> & { ok: boolean };

const fail = (error: string, extra: Record<string, unknown> = {}): Answer => ({ ok: false, error, ...extra });
/** Slack's arguments are strings; anything else (an object, a number) reads as missing, never as "[object Object]". */
const str = (value: unknown) => (typeof value === 'string' ? value : '');

const MAX_BLOCKS = 50;
/** Modals and Home tabs take up to 100 blocks. */
const MAX_VIEW_BLOCKS = 100;
const MAX_TEXT = 40_000;
const CHANNEL_IDS = new Set<string>(Object.values(SANDBOX_CHANNELS).map((c) => c.id));

/** A channel id, a DM id, or a user id (a post to a user lands in the bot's DM with them). */
function conversationOf(target: string): string | null {
  if (CHANNEL_IDS.has(target)) return target;
  if (SANDBOX_USERS.some((u) => u.id === target)) return dmIdOf(target);
  if (userIdOfDm(target)) return target;
  return null;
}

function checkContent(args: Args): Answer | null {
  const blocks = args.blocks;
  if (blocks !== undefined && !Array.isArray(blocks)) return fail('invalid_blocks_format');
  if (Array.isArray(blocks) && blocks.length > MAX_BLOCKS)
    return fail('invalid_blocks', { errors: [`must be at most ${MAX_BLOCKS} blocks`] });
  if (args.text !== undefined && typeof args.text !== 'string') return fail('invalid_arguments', { errors: ['text must be a string'] });
  if (!str(args.text) && !(Array.isArray(blocks) && blocks.length)) return fail('no_text');
  if (str(args.text).length > MAX_TEXT) return fail('msg_too_long');
  return null;
}

export function createWebApi(store: WorkspaceStore, now: () => Date) {
  const methods: Record<string, (args: Args) => Answer> = {
    'auth.test': () => ({
      ok: true,
      url: 'http://127.0.0.1/sandbox',
      team: 'MQL sandbox',
      team_id: TEAM_ID,
      user: 'mql-bot',
      user_id: SANDBOX_BOT.id,
      bot_id: 'B0SBBOT',
    }),

    'chat.postMessage'(args) {
      const channel = conversationOf(str(args.channel));
      if (!channel) return fail('channel_not_found');
      const problem = checkContent(args);
      if (problem) return problem;
      const threadTs = str(args.thread_ts) || undefined;
      if (threadTs && !store.findMessage(channel, threadTs)) return fail('thread_not_found');
      const message: StoredMessage = {
        ts: store.nextTs(now()),
        channel,
        user: SANDBOX_BOT.id,
        text: str(args.text),
        ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
        ...(args.metadata ? { metadata: args.metadata } : {}),
        ...(threadTs ? { threadTs } : {}),
        edited: false,
      };
      store.addMessage(message);
      return { ok: true, channel, ts: message.ts, message: { ts: message.ts, text: message.text, user: message.user } };
    },

    'chat.update'(args) {
      const channel = conversationOf(str(args.channel));
      const message = channel ? store.findMessage(channel, str(args.ts)) : undefined;
      if (!channel) return fail('channel_not_found');
      if (!message) return fail('message_not_found');
      const problem = checkContent(args);
      if (problem) return problem;
      message.text = str(args.text);
      if (Array.isArray(args.blocks)) message.blocks = args.blocks;
      message.edited = true;
      store.changed();
      return { ok: true, channel, ts: message.ts, text: message.text };
    },

    'chat.postEphemeral'(args) {
      const channel = conversationOf(str(args.channel));
      if (!channel) return fail('channel_not_found');
      if (!SANDBOX_USERS.some((u) => u.id === str(args.user))) return fail('user_not_in_channel');
      const problem = checkContent(args);
      if (problem) return problem;
      const blocks = Array.isArray(args.blocks) ? args.blocks : undefined;
      store.addEphemeral({ user: str(args.user), channel, text: str(args.text), ...(blocks ? { blocks } : {}), at: now().toISOString() });
      return { ok: true, message_ts: store.nextTs(now()) };
    },

    'chat.getPermalink'(args) {
      const channel = conversationOf(str(args.channel));
      if (!channel || !store.findMessage(channel, str(args.message_ts))) return fail('message_not_found');
      return { ok: true, channel, permalink: `https://slack.com/archives/${channel}/p${str(args.message_ts).replace('.', '')}` };
    },

    'conversations.history': (args) => history(store, args),

    'conversations.open'(args) {
      const users = str(args.users).split(',').filter(Boolean);
      const [user] = users;
      if (users.length !== 1 || !user || !conversationOf(user)) return fail('user_not_found');
      return { ok: true, channel: { id: dmIdOf(user) } };
    },

    'conversations.info'(args) {
      const channel = Object.values(SANDBOX_CHANNELS).find((c) => c.id === str(args.channel));
      if (!channel) return fail('channel_not_found');
      return { ok: true, channel: { id: channel.id, name: channel.name, is_channel: true, is_member: true, is_archived: false } };
    },

    'users.info'(args) {
      // The bot is a user too, as in Slack: a picker offers it, and the bot must be able to tell it is one.
      if (str(args.user) === SANDBOX_BOT.id) {
        return { ok: true, user: { id: SANDBOX_BOT.id, name: 'mql-bot', real_name: SANDBOX_BOT.name, deleted: false, is_bot: true } };
      }
      const user = SANDBOX_USERS.find((u) => u.id === str(args.user));
      if (!user) return fail('user_not_found');
      return {
        ok: true,
        user: {
          id: user.id,
          name: user.name.toLowerCase(),
          real_name: user.name,
          deleted: false,
          is_bot: false,
          // Everyone here lives where the sandbox runs: the page shows `<!date^…>` in the browser's zone, usually
          // the same, so `/mql away until 17:00` reads and shows 17:00 alike.
          tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
          profile: { title: user.title, real_name: user.name, display_name: user.name },
        },
      };
    },

    'usergroups.users.list'(args) {
      const group = SANDBOX_GROUPS.find((g) => g.id === str(args.usergroup));
      return group ? { ok: true, users: [...group.users] } : fail('no_such_subteam');
    },

    // Nobody in the sandbox is ever in Do Not Disturb; the answer has Slack's shape for someone who is not.
    'dnd.info'(args) {
      if (!isSandboxUser(str(args.user))) return fail('user_not_found');
      return { ok: true, dnd_enabled: false, next_dnd_start_ts: 1, next_dnd_end_ts: 1, snooze_enabled: false };
    },

    'views.open'(args) {
      const trigger = store.triggers.get(str(args.trigger_id));
      if (!trigger) return fail('invalid_trigger_id');
      if (trigger.expiresAt < Date.now()) return fail('expired_trigger_id');
      store.triggers.delete(str(args.trigger_id));
      return openView(store, trigger.user, args.view, 'open');
    },

    'views.push'(args) {
      const trigger = store.triggers.get(str(args.trigger_id));
      if (!trigger || trigger.expiresAt < Date.now()) return fail(trigger ? 'expired_trigger_id' : 'invalid_trigger_id');
      return openView(store, trigger.user, args.view, 'push');
    },

    'views.update'(args) {
      for (const stack of store.modals.values()) {
        const entry = stack.find((m) => m.id === str(args.view_id));
        if (entry && isView(args.view)) {
          entry.view = args.view;
          delete entry.errors;
          store.changed();
          return { ok: true, view: { id: entry.id, ...args.view } };
        }
      }
      return fail('not_found');
    },

    'views.publish'(args) {
      const user = str(args.user_id);
      if (!SANDBOX_USERS.some((u) => u.id === user)) return fail('user_not_found');
      if (!isView(args.view) || args.view.type !== 'home') return fail('invalid_arguments');
      if (Array.isArray(args.view.blocks) && args.view.blocks.length > MAX_VIEW_BLOCKS)
        return fail('invalid_arguments', { errors: [`must be at most ${MAX_VIEW_BLOCKS} blocks`] });
      store.homes.set(user, args.view);
      store.changed();
      return { ok: true, view: { id: `VH${user}`, ...args.view } };
    },
  };

  return (method: string, args: Args): Answer => {
    const handler = Object.hasOwn(methods, method) ? methods[method] : undefined;
    return handler ? handler(args) : fail('unknown_method');
  };
}

const isView = (view: unknown): view is Record<string, unknown> => typeof view === 'object' && view !== null && !Array.isArray(view);

function openView(store: WorkspaceStore, user: string, view: unknown, how: 'open' | 'push'): Answer {
  if (!isView(view) || view.type !== 'modal') return fail('invalid_arguments');
  if (Array.isArray(view.blocks) && view.blocks.length > MAX_VIEW_BLOCKS)
    return fail('invalid_arguments', { errors: [`must be at most ${MAX_VIEW_BLOCKS} blocks`] });
  const entry = { id: newId('V'), view };
  const stack = how === 'push' ? (store.modals.get(user) ?? []) : [];
  store.modals.set(user, [...stack, entry]);
  store.changed();
  return { ok: true, view: { id: entry.id, ...view } };
}

/** Top-level messages, newest first, between `oldest` and `latest`, in pages with a cursor, like Slack. */
function history(store: WorkspaceStore, args: Args): Answer {
  const channel = conversationOf(str(args.channel));
  if (!channel) return fail('channel_not_found');
  const oldest = Number(args.oldest ?? 0) || 0;
  const latest = Number(args.latest ?? 0) || Number.POSITIVE_INFINITY;
  const limit = Math.min(999, Math.max(1, Number(args.limit ?? 100) || 100));
  const offset = Math.max(0, Math.floor(Number(Buffer.from(str(args.cursor), 'base64url').toString() || 0) || 0));
  const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
  const matching = store
    .conversation(channel)
    .filter((m) => !m.threadTs && Number(m.ts) > oldest && Number(m.ts) < latest)
    .reverse();
  const page = matching.slice(offset, offset + limit);
  const hasMore = offset + limit < matching.length;
  return {
    ok: true,
    messages: page.map((m) => ({
      type: 'message',
      ts: m.ts,
      user: m.user,
      text: m.text,
      ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
    })),
    has_more: hasMore,
    ...(hasMore ? { response_metadata: { next_cursor: Buffer.from(String(offset + limit)).toString('base64url') } } : {}),
  };
}
