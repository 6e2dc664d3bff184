import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonProblem, pathText } from '../text/json-check.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.error ?? status));
  }
}

/** A 413 leaves the rest of the body unread on the socket: the connection is closed, not reused for a next request. */
export const closeIfTooLarge = (status: number) => (status === 413 ? { connection: 'close' } : {});

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...closeIfTooLarge(status) });
  res.end(JSON.stringify(body));
}

export function sendText(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType });
  res.end(body);
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** A request's body, or null as soon as it grows past `maxBytes` (the rest is not buffered). */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads a JSON body; a body that is too large or not JSON is the caller's error (413 / 400). */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req, MAX_BODY_BYTES);
  if (!raw) throw new HttpError(413, { error: `body larger than ${MAX_BODY_BYTES} bytes` });
  const text = raw.toString('utf8');
  if (!text.trim()) throw new HttpError(400, { error: 'body is empty; send JSON' });
  // Postgres cannot store NUL in text or jsonb; refuse it here rather than fail the write with a 500.
  if (/\\u0000/i.test(text)) throw new HttpError(400, { error: 'body contains a NUL character (\\u0000), which cannot be stored' });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, { error: 'body is not valid JSON' });
  }
  // Checked whole, before any schema: what Postgres cannot store would fail the write (500) later.
  const problem = jsonProblem(body);
  if (problem)
    throw new HttpError(400, {
      error: 'body cannot be stored; nothing was written',
      fields: [{ path: pathText(problem.path), message: problem.message }],
    });
  return body;
}

/** Checks `Authorization: Bearer <token>` in constant time. */
export function requireBearer(req: IncomingMessage, token: string): void {
  const header = req.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7).trim() : '');
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpError(401, { error: 'missing or wrong Bearer token (LEAD_API_TOKEN)' });
  }
}
