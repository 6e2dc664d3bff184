/*
 * Arbitrary bodies for POST /api/outcomes and POST /api/leads/:externalId/outcome: any JSON, outcome-shaped bodies
 * with hostile values (lone surrogates, NUL, huge or odd numbers, wrong types, unknown keys). Never a 5xx; a 400
 * names the field and writes nothing.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../harness/handoff.js';
import { useTestApp } from '../helpers/use-test-app.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const app = useTestApp({ now: () => NOW });
beforeAll(async () => {
  expect((await app.t.api('/api/leads', { leads: [{ source: 'web', externalId: 'ada' }] })).status).toBe(200);
});

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const clean = fc.string({ unit: 'grapheme', maxLength: 12 });
const hostileString = fc.oneof(
  { weight: 20, arbitrary: clean },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.tuple(clean, loneSurrogate).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.constant('x'.repeat(100_000)) },
);
const anyValue = fc.oneof(hostileString, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
/** Mostly a valid value, now and then anything. */
const mostly = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: valid as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: anyValue });

const outcomeFields = {
  stage: mostly(fc.constantFrom('opportunity', 'won', 'lost', 'WON', '')),
  amount: mostly(
    fc.oneof(fc.double({ min: -1, max: 2e15 }), fc.integer({ min: 0, max: 1e9 }), fc.constantFrom(0.1, 0.29, 1.005, 1e15 - 1)),
  ),
  currency: mostly(fc.constantFrom('EUR', 'usd', 'EUX', 'EURO', ' gbp ')),
  occurredAt: mostly(
    fc.oneof(
      fc
        .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2027-01-01T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      fc.constantFrom('2026-11-20T10:00:00', '2026-11-20T10:00:00+01:00', 'yesterday'),
    ),
  ),
  reason: mostly(hostileString),
};
const withExtra = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc
    .tuple(
      fc.record(fields, { requiredKeys: [] }),
      fc.option(fc.tuple(fc.constantFrom('ammount', '__proto__', 'constructor', 'note'), anyValue), { nil: undefined }),
    )
    .map(([o, extra]) => {
      const entries = Object.entries(o).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`);
      if (extra) entries.push(`${JSON.stringify(extra[0])}:${JSON.stringify(extra[1]) ?? 'null'}`);
      return `{${entries.join(',')}}`;
    });

const single = withExtra(outcomeFields);
const item = withExtra({
  source: mostly(fc.constantFrom('web', 'crm')),
  externalId: mostly(fc.constantFrom('ada', 'ghost')),
  ...outcomeFields,
});
const batch = fc.oneof(
  { weight: 4, arbitrary: fc.array(item, { maxLength: 4 }).map((items) => `{"outcomes":[${items.join(',')}]}`) },
  { weight: 1, arbitrary: anyValue.map((v) => JSON.stringify(v) ?? 'null') },
);

const stored = async () => Number((await rows(app.database, 'select count(*)::int as n from lead_outcomes'))[0]!.n);

async function check(path: string, raw: string, ok: (body: any) => void) {
  const before = await stored();
  const res = await app.t.api(path, raw);
  expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBeOneOf([200, 400, 404]);
  if (res.status === 200) {
    ok(res.body);
    return;
  }
  expect(res.body.error).toEqual(expect.stringMatching(/\S/));
  for (const field of res.body.fields ?? [])
    expect(field).toEqual({ path: expect.stringMatching(/\S/), message: expect.stringMatching(/\S/) });
  expect(await stored()).toBe(before);
}

describe('outcome endpoints with arbitrary bodies', () => {
  it('POST /api/outcomes never answers 5xx; a 400 says why and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(batch, (raw) => check('/api/outcomes', raw, (body) => expect(Array.isArray(body.outcomes)).toBe(true))),
      { numRuns: 150 },
    );
  });

  it('POST /api/leads/:externalId/outcome never answers 5xx; a 400 says why and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(single, (raw) =>
        check('/api/leads/ada/outcome?source=web', raw, (body) => expect(body.outcome.status).toMatch(/recorded|duplicate/)),
      ),
      { numRuns: 150 },
    );
  });
});
