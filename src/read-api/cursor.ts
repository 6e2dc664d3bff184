/**
 * The opaque cursor of `GET /api/handoffs`: base64url of the last row's `updated_at` (to the microsecond, as
 * stored) and id. Anything else a caller sends as a cursor decodes to null, never to a query that could fail.
 */
export interface HandoffCursor {
  at: string;
  id: number;
}

/** Postgres has no year 0: an earlier time in a query would fail there rather than be refused here. */
export const EARLIEST_TIME = Date.parse('0001-01-01T00:00:00Z');

const PLAIN = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([1-9]\d{0,15})$/;

export const encodeCursor = (c: HandoffCursor) => Buffer.from(`${c.at}|${c.id}`).toString('base64url');

export function decodeCursor(text: string): HandoffCursor | null {
  // Buffer skips characters that are not base64url; a cursor with any is not one of ours.
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(text)) return null;
  const match = PLAIN.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) return null;
  const [, at, id] = match as unknown as [string, string, string];
  // A date that does not exist (Feb 30) would fail in the database: it must survive a round trip.
  const ms = Date.parse(at);
  if (Number.isNaN(ms) || ms < EARLIEST_TIME || new Date(ms).toISOString().slice(0, 23) !== at.slice(0, 23)) return null;
  return Number.isSafeInteger(Number(id)) ? { at, id: Number(id) } : null;
}
