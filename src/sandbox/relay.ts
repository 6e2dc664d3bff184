import { slackCommandText } from './mentions.js';
import { slackSignature } from '../slack/signature.js';
import { SANDBOX_BOT, SANDBOX_CHANNELS, TEAM_ID, userIdOfDm } from './people.js';
import { RESPONSE_URL_USES, type ResponseTarget, type WorkspaceStore } from './store.js';

/*
 * Turns what a person does on the page into the request Slack would send for it, signed with the app's
 * signing secret and posted to the bot's own /slack/events: the bot cannot tell the sandbox from Slack.
 * Replies come back the two ways Slack allows (the ack's body, or later through the response_url) and are
 * shown where Slack would show them.
 */

export type RelayResult = { ok: true; errors?: Record<string, string> } | { ok: false; error: string };

export interface ReplyBody {
  response_type?: string;
  text?: string;
  blocks?: unknown[];
  replace_original?: boolean | string;
  delete_original?: boolean | string;
}

export interface RelayOptions {
  store: WorkspaceStore;
  signingSecret: string;
  /** The bot's own address, known once it listens. */
  baseUrl: () => string;
  now: () => Date;
}

const channelName = (id: string) =>
  Object.values(SANDBOX_CHANNELS).find((c) => c.id === id)?.name ?? (userIdOfDm(id) ? 'directmessage' : id);
const truthy = (value: unknown) => value === true || value === 'true';

/** Posts a body to the bot's /slack/events signed as Slack signs it; returns the status and the ack's body. */
export async function sendToBot(
  options: Pick<RelayOptions, 'signingSecret' | 'baseUrl'>,
  body: string,
  contentType: string,
): Promise<{ status: number; reply: ReplyBody | null }> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = slackSignature(options.signingSecret, timestamp, body);
  const res = await fetch(`${options.baseUrl()}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let reply: ReplyBody | null = null;
  try {
    reply = text.trim() ? (JSON.parse(text) as ReplyBody) : null;
  } catch {
    reply = { text };
  }
  return { status: res.status, reply };
}

/** An interactivity payload as Slack sends it: form-encoded `payload=<json>`. */
export const sendInteraction = (options: Pick<RelayOptions, 'signingSecret' | 'baseUrl'>, payload: Record<string, unknown>) =>
  sendToBot(options, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');

export const userOf = (id: string) => ({ id, username: id.toLowerCase(), name: id.toLowerCase(), team_id: TEAM_ID });

/** What every `block_actions` payload Slack sends starts with: who clicked, the app and team, a fresh trigger id. */
export const blockActionsFrom = (store: WorkspaceStore, user: string) => ({
  type: 'block_actions',
  user: userOf(user),
  api_app_id: 'A0SANDBOX',
  token: 'sandbox',
  team: { id: TEAM_ID, domain: 'mql-sandbox' },
  trigger_id: store.issueTrigger(user),
});

export function createRelay(options: RelayOptions) {
  const { store } = options;
  const send = (body: string, contentType: string) => sendToBot(options, body, contentType);

  const interaction = (payload: Record<string, unknown>) => sendInteraction(options, payload);

  const responseUrl = (target: Omit<ResponseTarget, 'uses' | 'expiresAt'>) =>
    `${options.baseUrl()}/sandbox/response/${store.issueResponseTarget(target)}`;

  const refused = (status: number): RelayResult => ({ ok: false, error: `the bot answered HTTP ${status}` });

  return {
    /** `/mql <text>` typed by `user` in `channel`. */
    async command(user: string, channel: string, text: string): Promise<RelayResult> {
      const body = new URLSearchParams({
        token: 'sandbox',
        team_id: TEAM_ID,
        team_domain: 'mql-sandbox',
        channel_id: channel,
        channel_name: channelName(channel),
        user_id: user,
        user_name: user.toLowerCase(),
        command: '/mql',
        text: slackCommandText(text),
        api_app_id: 'A0SANDBOX',
        response_url: responseUrl({ user, channel }),
        trigger_id: store.issueTrigger(user),
      }).toString();
      const { status, reply } = await send(body, 'application/x-www-form-urlencoded');
      if (status !== 200) return refused(status);
      if (reply) deliverReply(store, { user, channel }, reply, options.now(), `/mql ${text}`);
      return { ok: true };
    },

    /** A button clicked in a message (`ts`) or in an ephemeral (`ephemeralId`). */
    async click(input: {
      user: string;
      channel: string;
      ts?: string;
      ephemeralId?: string;
      actionId: string;
      blockId: string;
      value: string;
    }): Promise<RelayResult> {
      const message = input.ts ? store.findMessage(input.channel, input.ts) : undefined;
      const ephemeral = input.ephemeralId ? store.ephemerals.find((e) => e.id === input.ephemeralId && e.user === input.user) : undefined;
      if (!message && !ephemeral) return { ok: false, error: 'that message is gone' };
      const ts = message?.ts ?? store.nextTs(options.now());
      const { status } = await interaction({
        ...blockActionsFrom(store, input.user),
        channel: { id: input.channel, name: channelName(input.channel) },
        container: { type: 'message', channel_id: input.channel, message_ts: ts, is_ephemeral: Boolean(ephemeral) },
        message: message ? { type: 'message', ts: message.ts, user: message.user, text: message.text, blocks: message.blocks } : undefined,
        response_url: responseUrl({ user: input.user, channel: input.channel, messageTs: message?.ts, ephemeralId: ephemeral?.id }),
        actions: [
          { type: 'button', action_id: input.actionId, block_id: input.blockId, value: input.value, action_ts: String(Date.now() / 1000) },
        ],
      });
      return status === 200 ? { ok: true } : refused(status);
    },

    /** A modal's Submit: the bot answers in the ack (errors, update, push, clear) or closes it by saying nothing. */
    async submit(user: string, viewId: string, values: Record<string, unknown>): Promise<RelayResult> {
      const stack = store.modals.get(user) ?? [];
      const entry = stack.find((m) => m.id === viewId);
      if (!entry) return { ok: false, error: 'that dialog is no longer open' };
      const { status, reply } = await interaction({
        type: 'view_submission',
        user: userOf(user),
        api_app_id: 'A0SANDBOX',
        token: 'sandbox',
        team: { id: TEAM_ID, domain: 'mql-sandbox' },
        trigger_id: store.issueTrigger(user),
        view: { ...entry.view, id: entry.id, team_id: TEAM_ID, hash: entry.id, state: { values } },
      });
      if (status !== 200) return refused(status);
      const answer = (reply ?? {}) as { response_action?: string; errors?: Record<string, string>; view?: Record<string, unknown> };
      if (answer.response_action === 'errors' && answer.errors) {
        entry.errors = answer.errors;
        store.changed();
        return { ok: true, errors: answer.errors };
      }
      if (answer.response_action === 'update' && answer.view) entry.view = answer.view;
      else if (answer.response_action === 'push' && answer.view)
        store.modals.set(user, [...stack, { id: `${entry.id}P`, view: answer.view }]);
      else if (answer.response_action === 'clear') store.modals.delete(user);
      else
        store.modals.set(
          user,
          stack.filter((m) => m !== entry),
        );
      store.changed();
      return { ok: true };
    },

    close(user: string, viewId: string): void {
      const stack = store.modals.get(user) ?? [];
      store.modals.set(
        user,
        stack.filter((m) => m.id !== viewId),
      );
      store.changed();
    },
  };
}

export type Relay = ReturnType<typeof createRelay>;

/**
 * Shows a reply where Slack would: in place of the clicked message, in the channel for everyone
 * (`in_channel`, after the command that asked for it), or to the asking user alone (the default).
 */
export function deliverReply(
  store: WorkspaceStore,
  target: Pick<ResponseTarget, 'user' | 'channel' | 'messageTs' | 'ephemeralId'>,
  reply: ReplyBody,
  now: Date,
  commandText?: string,
): void {
  const blocks = Array.isArray(reply.blocks) ? reply.blocks : undefined;
  const text = typeof reply.text === 'string' ? reply.text : '';
  const original = target.messageTs ? store.findMessage(target.channel, target.messageTs) : undefined;
  const ephemeral = target.ephemeralId ? store.ephemerals.find((e) => e.id === target.ephemeralId) : undefined;
  if (truthy(reply.delete_original) && (original || ephemeral)) {
    if (original) store.conversation(target.channel).splice(store.conversation(target.channel).indexOf(original), 1);
    if (ephemeral) store.ephemerals = store.ephemerals.filter((e) => e !== ephemeral);
    store.changed();
    return;
  }
  if (truthy(reply.replace_original) && (original || ephemeral)) {
    const replaced = (original ?? ephemeral)!;
    replaced.text = text;
    if (blocks) replaced.blocks = blocks;
    else delete replaced.blocks;
    if (original) original.edited = true;
    store.changed();
    return;
  }
  if (!text && !blocks) return;
  if (reply.response_type === 'in_channel') {
    if (commandText)
      store.addMessage({ ts: store.nextTs(now), channel: target.channel, user: target.user, text: commandText, edited: false });
    store.addMessage({
      ts: store.nextTs(now),
      channel: target.channel,
      user: SANDBOX_BOT.id,
      text,
      ...(blocks ? { blocks } : {}),
      edited: false,
    });
    return;
  }
  store.addEphemeral({ user: target.user, channel: target.channel, text, ...(blocks ? { blocks } : {}), at: now.toISOString() });
}

/** A response_url answers five times within 30 minutes, like Slack's; then it is spent. */
export function useResponseTarget(store: WorkspaceStore, id: string): ResponseTarget | null {
  const target = store.responseTargets.get(id);
  if (!target || target.expiresAt < Date.now() || target.uses >= RESPONSE_URL_USES) return null;
  target.uses++;
  return target;
}
