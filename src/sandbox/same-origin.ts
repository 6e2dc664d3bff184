import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http/respond.js';

/*
 * Listening on 127.0.0.1 keeps other machines out, not other web pages: a page open in the same browser can
 * POST to 127.0.0.1, and a rebound DNS name can even read the answers. So what the page does must come from
 * the page itself: JSON (a cross-site form cannot send it without asking first), from this origin, to this host.
 */

const LOCAL_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

/** The Host header names this machine (a rebound DNS name does not). */
export function refuseForeignHost(req: IncomingMessage): void {
  if (!LOCAL_HOST.test(req.headers.host ?? ''))
    throw new HttpError(403, { ok: false, error: 'the sandbox answers only at 127.0.0.1 or localhost' });
}

/** An action from the page: JSON, and from the page's own origin when the browser says where it came from. */
export function refuseCrossSite(req: IncomingMessage): void {
  refuseForeignHost(req);
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new HttpError(415, { ok: false, error: 'send JSON (content-type: application/json)' });
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host}`) {
    throw new HttpError(403, { ok: false, error: 'actions come only from the sandbox page itself' });
  }
}
