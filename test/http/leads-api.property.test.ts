/*
 * Arbitrary bodies for POST /api/leads: any JSON, lead-shaped bodies with hostile values (lone surrogates,
 * NUL, ~1 MB strings, `__proto__`/`constructor` keys, wrong types), and nesting up to 100,000 deep. Never a
 * 5xx; a 400 always says why (and names the field when it has one) and writes nothing.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import type { TestDatabase } from '../helpers/db.js';
import type { TestApp } from '../../harness/app.js';
import { useTestApp } from '../helpers/use-test-app.js';

const app = useTestApp();
let database: TestDatabase;
let t: TestApp;
beforeAll(() => {
  ({ database, t } = app);
});

/** A JSON value kept as entries, so keys such as `__proto__` survive to the text; `raw` is JSON text as is. */
type Node = string | number | boolean | null | { arr: Node[] } | { obj: Array<[string, Node]> } | { raw: string };

function text(node: Node): string {
  if (node === null || typeof node !== 'object') return JSON.stringify(node);
  if ('raw' in node) return node.raw;
  if ('arr' in node) return `[${node.arr.map(text).join(',')}]`;
  return `{${node.obj.map(([k, v]) => `${JSON.stringify(k)}:${text(v)}`).join(',')}}`;
}

// JSON.stringify escapes lone surrogates as \udXXX, so they reach the server as they would from a broken client.
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const clean = fc.string({ unit: 'grapheme', maxLength: 12 });
/** Mostly printable text; sometimes any code point (NUL and controls included), a lone surrogate, or ~1 MB. */
const hostileString = fc.oneof(
  { weight: 60, arbitrary: clean },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.tuple(clean, loneSurrogate, clean).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(1_000_000), 'é'.repeat(300_000), '🚀'.repeat(2_600)) },
);
const key = fc.oneof(
  { weight: 12, arbitrary: hostileString.filter((s) => s.length < 100) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype') },
);
const scalar: fc.Arbitrary<Node> = fc.oneof(hostileString, fc.double(), fc.integer(), fc.boolean(), fc.constant(null));
/** `[[[…]]]` or `{"a":{"a":…}}` as text: too deep for JSON.stringify to build, and for a recursive check to survive. */
const deep: fc.Arbitrary<Node> = fc
  .tuple(fc.constantFrom(31, 33, 5_000, 100_000), fc.boolean())
  .map(([n, arrays]) => ({ raw: arrays ? `${'['.repeat(n)}${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}` }));

const { node: anyNode } = fc.letrec<{ node: Node; arr: Node; obj: Node }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('arr'), tie('obj')),
  arr: fc.array(tie('node'), { maxLength: 4 }).map((arr) => ({ arr })),
  obj: fc.array(fc.tuple(key, tie('node')), { maxLength: 4 }).map((obj) => ({ obj })),
}));
const value: fc.Arbitrary<Node> = fc.oneof({ weight: 8, arbitrary: anyNode }, { weight: 1, arbitrary: deep });

/**
 * A lead-shaped body. Wild: any field may hold any value and strings may be hostile. Tame: well-typed fields
 * with printable text and keys such as `constructor`, so enough bodies reach the database to matter.
 */
function leadOf(wild: boolean): fc.Arbitrary<Node> {
  const text = wild ? hostileString : clean;
  const keyOf = wild
    ? key
    : fc.oneof(
        { weight: 6, arbitrary: clean.filter((k) => k.trim() !== '') },
        { weight: 1, arbitrary: fc.constantFrom('constructor', 'toString', 'prototype') },
      );
  const mostly = (valid: fc.Arbitrary<Node>) => (wild ? fc.oneof({ weight: 8, arbitrary: valid }, { weight: 1, arbitrary: value }) : valid);
  const flat = fc
    .array(fc.tuple(keyOf, mostly(fc.oneof(text, fc.integer(), fc.boolean()))), { maxLength: 5 })
    .map((obj): Node => ({ obj }));
  const event = fc
    .record({
      type: mostly(fc.constantFrom('form_submit', 'page_view', 'email_click')),
      occurredAt: mostly(fc.constantFrom('2026-11-20T10:00:00Z', '2026-11-21T09:30:00+01:00')),
      data: fc.option(wild ? fc.oneof(flat, value) : flat, { nil: undefined }),
    })
    .map((e): Node => ({ obj: Object.entries(e).filter(([, v]) => v !== undefined) as Array<[string, Node]> }));
  return fc
    .record(
      {
        source: mostly(fc.constantFrom('web', 'crm')),
        externalId: mostly(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).filter((id) => id.trim() !== '')),
        email: mostly(
          fc.oneof({ weight: 8, arbitrary: fc.constant('ada@example.com') }, { weight: 1, arbitrary: fc.constantFrom('not-an-email', '') }),
        ),
        name: mostly(text),
        company: mostly(text),
        attributes: mostly(flat),
        events: mostly(fc.array(event, { maxLength: 3 }).map((arr) => ({ arr }))),
        // A key the API does not know, now and then.
        extra: wild
          ? fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.tuple(key, value) })
          : fc.constant(undefined),
      },
      { requiredKeys: ['source', 'externalId'] },
    )
    .map(({ extra, ...fields }) => {
      const entries = Object.entries(fields) as Array<[string, Node]>;
      return { obj: extra ? [...entries, extra] : entries };
    });
}

const lead = fc.oneof(leadOf(true), leadOf(false));
const body: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: lead.map(text) },
  { weight: 2, arbitrary: fc.array(lead, { maxLength: 3 }).map((arr) => text({ obj: [['leads', { arr }]] })) /* [] is a 400 too */ },
  { weight: 2, arbitrary: value.map(text) },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
);

async function stored(): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    database.db,
    sql`select (select count(*) from leads) + (select count(*) from lead_events) as n`,
  );
  return Number(row!.n);
}

describe('POST /api/leads with arbitrary bodies', () => {
  it('never answers 5xx; a 400 says why and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        const before = await stored();
        const res = await t.api('/api/leads', raw);
        expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBeOneOf([200, 400]);
        if (res.status === 200) {
          expect(Array.isArray(res.body.leads)).toBe(true);
          return;
        }
        expect(res.body.error).toEqual(expect.stringMatching(/\S/));
        for (const field of res.body.fields ?? []) {
          expect(field.path).toEqual(expect.stringMatching(/\S/));
          expect(field.message).toEqual(expect.stringMatching(/\S/));
        }
        expect(await stored()).toBe(before);
      }),
      { numRuns: 200 },
    );
  });
});
