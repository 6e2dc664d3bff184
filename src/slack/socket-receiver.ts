import type { IncomingMessage, ServerResponse } from 'node:http';
import { LogLevel, SocketModeReceiver } from '@slack/bolt';
import { sendJson } from '../http/respond.js';
import type { Logger } from '../logger.js';
import { boltLogger } from './bolt-logger.js';
import type { RefusalReason } from './request-guard.js';
import { checkEnvelope } from './socket-envelope.js';
import type { RequestKind } from './payload-shape.js';
import type { AckObserver } from '../http/server.js';

/*
 * Socket Mode (SLACK_APP_TOKEN): the bot asks Slack for a WebSocket URL (apps.connections.open, at the
 * configured Slack API URL) and Slack sends commands, clicks and events over that socket, each acked by its
 * envelope_id; the client opens a new socket when Slack asks it to or the old one drops. The HTTP API stays
 * on the app's own server (src/http/server.ts), so this receiver serves no routes. As the HTTP guard does for
 * /slack/events, every message is checked (socket-envelope.ts) before the client reads it.
 */

export interface SocketReceiverOptions {
  appToken: string;
  /** Where apps.connections.open is called: config.slack.apiUrl. */
  apiUrl: string;
  logger: Logger;
  onRefused: (reason: RefusalReason) => void;
  /** Told how long each envelope waited for its ack, by kind, as src/http/server.ts is for HTTP requests. */
  observeAck: AckObserver;
}

type SocketModeClient = SocketModeReceiver['client'];

/** Starting fails with what to check: the client's own error names neither the setting nor where to fix it. */
class SocketReceiver extends SocketModeReceiver {
  override start() {
    return super.start().catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `Socket Mode could not connect to Slack (${reason}). SLACK_APP_TOKEN must be an app-level token with ` +
          'connections:write (api.slack.com/apps → the app → Basic Information → App-Level Tokens) and Socket Mode on for the app',
        { cause: error },
      );
    });
  }
}

export function createSocketReceiver(options: SocketReceiverOptions): SocketModeReceiver {
  const logger = boltLogger(options.logger);
  // The client's debug lines print whole envelopes and acks (verification token, response URLs): never written.
  logger.setLevel(LogLevel.INFO);
  const receiver = new SocketReceiver({
    appToken: options.appToken,
    logger,
    // Only its Web API client's options; no port or routes, so Bolt starts no HTTP server of its own.
    installerOptions: { clientOptions: { slackApiUrl: options.apiUrl } },
  });
  guardEnvelopes(receiver.client, options, timeAcks(receiver.client, options.observeAck));
  return receiver;
}

/** Puts the envelope check in front of the client's own reader of socket messages. */
function guardEnvelopes(client: SocketModeClient, options: SocketReceiverOptions, arrived: (ack: AwaitedAck) => void) {
  const log = options.logger.child({ component: 'socket-mode' });
  const readers = client.listeners('ws_message');
  // Fails at start-up, not silently, if a new @slack/socket-mode reads its messages some other way.
  if (readers.length !== 1) throw new Error(`expected one Socket Mode message reader, found ${readers.length}`);
  const read = readers[0]!;
  client.removeAllListeners('ws_message');
  client.on('ws_message', (data: unknown, isBinary: boolean) => {
    // Binary frames (none expected) and everything after the check stay the client's to handle.
    const verdict = isBinary ? null : checkEnvelope(String(data));
    if (verdict && !verdict.ok) {
      // Not acked, as a refused HTTP request gets a 400: Slack may retry an event, and is refused again.
      options.onRefused('malformed');
      log.warn({ problem: verdict.problem, type: verdict.type, envelopeId: verdict.envelopeId }, 'refused a Socket Mode envelope');
      return;
    }
    if (verdict?.awaitsAck) arrived(verdict.awaitsAck);
    Promise.resolve(read(data, isBinary)).catch((error: unknown) => log.error({ err: error }, 'reading a Socket Mode message failed'));
  });
}

type AwaitedAck = { envelopeId: string; kind: RequestKind };
/** Envelopes waiting for their ack, oldest first; bounded, since an envelope Bolt never acks would stay. */
const MAX_AWAITED = 1_000;

/** Times each envelope from its arrival to the ack the client sends for it (its private `send`, checked at start-up). */
function timeAcks(client: SocketModeClient, observeAck: AckObserver): (ack: AwaitedAck) => void {
  const awaited = new Map<string, { kind: RequestKind; at: number }>();
  const sender = client as unknown as { send?: (id: string, body?: object) => Promise<void> };
  const send = sender.send?.bind(client);
  if (typeof send !== 'function') throw new Error('expected the Socket Mode client to ack through send(envelopeId, body)');
  sender.send = (id, body) => {
    const waiting = awaited.get(id);
    if (waiting) {
      awaited.delete(id);
      observeAck(waiting.kind, (performance.now() - waiting.at) / 1000);
    }
    return send(id, body);
  };
  return ({ envelopeId, kind }) => {
    if (awaited.size >= MAX_AWAITED) awaited.delete(awaited.keys().next().value!);
    awaited.set(envelopeId, { kind, at: performance.now() });
  };
}

/** In Socket Mode nothing comes to /slack/events: a request there (the app in Slack still set to request URLs) is refused, saying why. */
export function refuseSlackOverHttp(logger: Logger) {
  const problem = 'this bot receives Slack over Socket Mode (SLACK_APP_TOKEN is set): turn Socket Mode on for the app in Slack';
  return async (_req: IncomingMessage, res: ServerResponse): Promise<null> => {
    logger.warn({ component: 'socket-mode' }, `refused a request to /slack/events: ${problem}`);
    sendJson(res, 404, { error: problem });
    return null;
  };
}
