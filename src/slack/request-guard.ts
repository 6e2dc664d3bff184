import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import { readBody } from '../http/respond.js';
import { checkSlackBody, type RequestKind } from './payload-shape.js';
import { closeIfTooLarge } from '../http/respond.js';
import { slackSignature } from './signature.js';

/*
 * Checks a request to /slack/events before Bolt sees it: its size, its signature, that its timestamp is
 * within five minutes of now in either direction (Bolt only refuses old ones), that it is not a replay of a
 * request already taken, and that its payload has a shape Bolt can route. Bolt verifies the signature again;
 * this guard refuses what Bolt would accept, never the reverse.
 */

export type RefusalReason = 'too_large' | 'unsigned' | 'bad_signature' | 'stale_timestamp' | 'replay' | 'malformed';

export interface SlackGuardOptions {
  signingSecret: string;
  logger: Logger;
  onRefused: (reason: RefusalReason) => void;
  /** Wall-clock milliseconds: signatures are about real time, never the app's (possibly moved) clock. */
  clock?: () => number;
}

const MAX_BODY_BYTES = 1024 * 1024;
const WINDOW_SECONDS = 5 * 60;
/** Signatures remembered for replay detection; each is forgotten when its timestamp leaves the window. */
const MAX_REMEMBERED = 50_000;

const STATUS: Record<RefusalReason, number> = {
  too_large: 413,
  unsigned: 401,
  bad_signature: 401,
  stale_timestamp: 401,
  replay: 401,
  malformed: 400,
};

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
};

export function createSlackGuard(options: SlackGuardOptions) {
  const clock = options.clock ?? Date.now;
  const remembered = new Map<string, number>();
  const log = options.logger.child({ component: 'slack-guard' });

  function forgetExpired(nowSeconds: number) {
    // Insertion order is close to timestamp order, so expired entries sit at the front.
    for (const [signature, expires] of remembered) {
      if (expires > nowSeconds && remembered.size <= MAX_REMEMBERED) break;
      remembered.delete(signature);
    }
  }

  function verdict(body: Buffer, req: IncomingMessage): { reason: RefusalReason; problem: string } | { kind: RequestKind } {
    const signature = header(req, 'x-slack-signature');
    const timestamp = Number(header(req, 'x-slack-request-timestamp'));
    if (!signature || !Number.isInteger(timestamp)) return { reason: 'unsigned', problem: 'missing Slack signature headers' };
    const nowSeconds = Math.floor(clock() / 1000);
    if (Math.abs(nowSeconds - timestamp) > WINDOW_SECONDS)
      return { reason: 'stale_timestamp', problem: 'timestamp more than 5 minutes from now' };
    const expected = Buffer.from(slackSignature(options.signingSecret, timestamp, body));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return { reason: 'bad_signature', problem: 'signature does not match' };
    forgetExpired(nowSeconds);
    if (remembered.has(signature)) return { reason: 'replay', problem: 'this exact request was already taken' };
    const shape = checkSlackBody(body.toString('utf8'), header(req, 'content-type') ?? '');
    if (!shape.ok) return { reason: 'malformed', problem: shape.problem };
    remembered.set(signature, timestamp + WINDOW_SECONDS);
    return { kind: shape.kind };
  }

  /** The request's body and kind when it may go on to Bolt; otherwise the request has been answered. */
  return async function admit(req: IncomingMessage, res: ServerResponse): Promise<{ body: Buffer; kind: RequestKind } | null> {
    const body = await readBody(req, MAX_BODY_BYTES);
    const refusal = body ? verdict(body, req) : { reason: 'too_large' as const, problem: `body larger than ${MAX_BODY_BYTES} bytes` };
    if ('kind' in refusal) return { body: body!, kind: refusal.kind };
    options.onRefused(refusal.reason);
    log.warn({ reason: refusal.reason, problem: refusal.problem }, 'refused a request to /slack/events');
    res.writeHead(STATUS[refusal.reason], {
      'content-type': 'application/json; charset=utf-8',
      ...closeIfTooLarge(STATUS[refusal.reason]),
    });
    res.end(JSON.stringify({ error: refusal.problem }));
    return null;
  };
}
