import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { eventually } from '../../harness/handoff.js';

/** What the app sends back over the socket: an ack of one envelope, with the listener's answer as `payload`. */
export interface Ack {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

/**
 * Slack's side of Socket Mode on a local WebSocket server: each connection is greeted with `hello`, as Slack
 * greets it; a test sends envelopes down the newest connection and reads the app's acks by envelope_id.
 * The fake Web API (fake-slack.ts) answers apps.connections.open with `url()`. Listens for one test file.
 */
export function useFakeSocketMode() {
  let server: WebSocketServer | undefined;
  const connections: WebSocket[] = [];
  const acks: Ack[] = [];
  const open = () => {
    const socket = connections.at(-1);
    if (!socket || socket.readyState !== socket.OPEN) throw new Error('the app has no open Socket Mode connection');
    return socket;
  };

  beforeAll(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    server.on('connection', (socket) => {
      connections.push(socket);
      socket.on('message', (data) => acks.push(JSON.parse(String(data)) as Ack));
      socket.send(JSON.stringify({ type: 'hello', num_connections: connections.length, connection_info: { app_id: 'A1' } }));
    });
    await new Promise((resolve) => server!.once('listening', resolve));
  });
  afterAll(async () => {
    for (const socket of connections) socket.terminate();
    await new Promise((resolve) => server?.close(resolve));
  });

  return {
    /** Every connection the app opened, oldest first. */
    connections,
    acks,
    /** A fresh WebSocket URL, as apps.connections.open hands out. */
    url() {
      const address = server?.address();
      if (!address || typeof address === 'string') throw new Error('the fake Socket Mode server is not listening');
      return `ws://127.0.0.1:${address.port}/link/?ticket=${randomUUID()}`;
    },
    /** Sends raw text down the newest connection (for malformed messages). */
    sendRaw: (text: string) => open().send(text),
    /** Sends an envelope of `type` carrying `payload`; returns its envelope_id. */
    send(type: 'slash_commands' | 'interactive' | 'events_api', payload: Record<string, unknown>) {
      const envelopeId = randomUUID();
      open().send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api' }));
      return envelopeId;
    },
    /** Asks the app to reconnect, as Slack does before it recycles a connection. */
    requestRefresh: () => open().send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested' })),
    /** The ack of an envelope, once it arrives. */
    ackOf: (envelopeId: string) =>
      eventually(
        () => acks.find((a) => a.envelope_id === envelopeId),
        (ack) => ack !== undefined,
      ) as Promise<Ack>,
  };
}
