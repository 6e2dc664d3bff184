import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HTTPReceiverDeferredRequestError, type HTTPReceiver } from '@slack/bolt';
import type { Logger } from '../logger.js';
import { sendJson } from './respond.js';
import type { RequestKind } from '../slack/payload-shape.js';

/*
 * The HTTP server in front of Bolt's receiver: it refuses what Bolt would choke on (a path with broken
 * percent-encoding, a Slack request that fails the guard) and turns anything unexpected into a logged 500,
 * so no request can stop or wedge the process.
 */

export type AdmitSlackRequest = (req: IncomingMessage, res: ServerResponse) => Promise<{ body: Buffer; kind: RequestKind } | null>;

/** Told how long each admitted Slack request took to be answered (its ack), by kind. */
export type AckObserver = (kind: RequestKind, seconds: number) => void;

/** The path, or null when it cannot be decoded or decodes to a NUL (nothing we serve has one). */
export function decodablePath(url: string | undefined): string | null {
  try {
    const { pathname } = new URL(url ?? '/', 'http://localhost');
    return decodeURIComponent(pathname).includes('\0') ? null : pathname;
  } catch {
    return null;
  }
}

export function createHttpServer(
  receiver: HTTPReceiver,
  admitSlackRequest: AdmitSlackRequest,
  logger: Logger,
  observeAck: AckObserver = () => {},
): Server {
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = decodablePath(req.url);
    if (path === null) return sendJson(res, 400, { error: 'malformed percent-encoding in the path' });
    if (req.method === 'POST' && path === '/slack/events') {
      const arrived = performance.now();
      const admitted = await admitSlackRequest(req, res);
      if (!admitted) return;
      res.once('finish', () => observeAck(admitted.kind, (performance.now() - arrived) / 1000));
      // Bolt reads an already-buffered body from here instead of the consumed stream.
      Object.assign(req, { rawBody: admitted.body });
    }
    try {
      receiver.requestListener(req, res);
    } catch (error) {
      if (!(error instanceof HTTPReceiverDeferredRequestError)) throw error;
      sendJson(res, 404, { error: 'not found' });
    }
  }
  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error, method: req.method, path: decodablePath(req.url) }, 'HTTP request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error; it has been logged' });
      else res.end();
    });
  });
}
