/*
 * The read API with hostile requests: path ids and query strings holding lone surrogates, NUL, broken
 * percent-encoding, `__proto__`, forged cursors and times Postgres cannot hold. Never a 5xx; an error says
 * why (and names the field when it has one).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/use-test-app.js';
import type { TestApp } from '../../harness/app.js';
import { qualifyLead } from '../../harness/handoff.js';
import { encodeCursor } from '../../src/read-api/cursor.js';

const app = useTestApp();
let t: TestApp;
beforeAll(async () => {
  t = app.t;
  await qualifyLead(t, 'known');
});

const enc = (s: string) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
/** Written into the URL as is: broken percent-encoding, encoded NUL and lone surrogates, reserved names. */
const raw = fc.constantFrom('%', '%E0%A4%A', '%00', '%ED%A0%80', '%ZZ', '%C0%AF', '__proto__', 'constructor', '..', '%2F', '+', '');
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }).map(enc) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }).map(enc) },
  { weight: 2, arbitrary: raw },
);
const instant = fc.date({ min: new Date('-000100-01-01T00:00:00Z'), max: new Date('+010000-01-01T00:00:00Z'), noInvalidDate: true });
const value = fc.oneof(
  text,
  fc.constantFrom('web', 'known', '1', '0', '500', '501', '-1', '1e2', '0000-06-01T00:00:00Z', '0001-01-01T00:30:00%2B01:00'),
  instant.map((d) => enc(d.toISOString())),
  // Cursors of our form, some for times Postgres has no room for.
  fc.tuple(instant, fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })).map(([d, id]) => {
    const at = d.toISOString();
    return encodeCursor({ at: at.replace(/Z$/, '123Z'), id });
  }),
);
const name = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('source', 'updatedSince', 'cursor', 'limit') },
  { weight: 1, arbitrary: text },
);
const query = fc.array(fc.tuple(name, value), { maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
const path = fc.oneof(
  fc.constant('/api/handoffs'),
  fc.oneof(text, fc.constant('known')).map((id) => `/api/leads/${id}`),
);

describe('GET /api/leads/:externalId and /api/handoffs with hostile requests', () => {
  it('never answer 5xx; an error says why', async () => {
    await fc.assert(
      fc.asyncProperty(path, query, async (p, q) => {
        const res = await t.api(`${p}?${q}`);
        expect(res.status, `${p}?${q}: ${JSON.stringify(res.body).slice(0, 300)}`).toBeOneOf([200, 400, 404]);
        if (res.status === 200) return;
        expect(res.body.error).toEqual(expect.stringMatching(/\S/));
        for (const field of res.body.fields ?? []) {
          expect(field.path).toMatch(/^(query|path)\b/);
          expect(field.message).toEqual(expect.stringMatching(/\S/));
        }
      }),
      { numRuns: 300 },
    );
  });
});
