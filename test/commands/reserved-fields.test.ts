/*
 * Field and key names that are also names of Object.prototype's members (`constructor`, `__proto__`,
 * `toString`) are plain data: rules on them are stored, scored and backtested like any other attribute.
 * The API refuses `__proto__` as a key (JavaScript objects drop it silently); leads may still hold it
 * (stored before, or written by other means), and rules on it must match them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import { getActiveCriteria } from '../../db/queries/criteria.js';
import { backtestTotals, saveCriteriaChange } from '../../src/scoring/criteria-service.js';
import { leads } from '../../db/schema.js';
import { ImportError, importCsv } from '../../src/leads/import.js';
import { score } from '../../src/scoring/score.js';
import { NOW } from '../scoring/fixtures.js';
import { ask, count, readable } from './helpers.js';
import { resetDatabase } from '../helpers/db.js';
import { useTestApp } from '../helpers/use-test-app.js';

const app = useTestApp();
const FIELDS = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

beforeAll(async () => {
  await resetDatabase(app.database);
  // Attributes as jsonb text: in a JS object written as a literal, `__proto__` would set the prototype, not a key.
  const attributes = [...FIELDS.map((f) => `{"${f}": "yes"}`), '{"__proto__": "yes", "other": 1}', '{"other": "yes"}'];
  for (const [i, json] of attributes.entries()) {
    await app.database.db.execute(sql`insert into leads (source, external_id, attributes) values ('seed', ${`lead-${i}`}, ${json}::jsonb)`);
  }
});

describe('rules on prototype member names', () => {
  it('backtests a trial rule on each through the API without breaking, and it matches the leads that have it', async () => {
    for (const field of FIELDS) {
      const res = await app.t.api(`/api/criteria/backtest?changes=${encodeURIComponent(`add "${field}" = yes 50`)}`);
      expect(res.status, `${field}: ${JSON.stringify(res.body)}`).toBe(200);
      const added = res.body.rules.find((r: { field: string }) => r.field === field);
      expect(added.hits, field).toBe(field === '__proto__' ? 2 : 1);
    }
    const reply = readable(await ask(app.t, app.fakeSlack, 'criteria test add constructor = yes 50'));
    expect(reply).toContain('*Backtest of criteria version 1 with trial changes*');
  });

  it('stores a rule on constructor and on __proto__, and the active backtest, /mql criteria test and scoring agree', async () => {
    const now = new Date();
    for (const field of ['constructor', '__proto__']) {
      const saved = await saveCriteriaChange(
        app.database.db,
        { kind: 'add', rule: { field, op: '=', value: 'yes', points: 50, label: null } },
        'UMARKETER',
        now,
      );
      expect(saved.ok).toBe(true);
    }
    const res = await app.t.api('/api/criteria/backtest');
    expect(res.status).toBe(200);
    expect(
      res.body.rules.filter((r: { field: string }) => ['constructor', '__proto__'].includes(r.field)).map((r: { hits: number }) => r.hits),
    ).toEqual([1, 2]);
    const reply = readable(await ask(app.t, app.fakeSlack, 'criteria test'));
    expect(reply).toContain('*Backtest of the active criteria');

    // The SQL backtest and score() give every lead the same total, and the holders of the keys qualify.
    const criteria = await getActiveCriteria(app.database.db);
    const totals = await backtestTotals(app.database.db, criteria, NOW);
    const rows = await app.database.db.select().from(leads);
    for (const row of rows) {
      const scored = score(row, [], criteria, NOW);
      expect(totals.get(row.id)?.total, row.externalId).toBe(scored.total);
      expect(scored.total >= 50, row.externalId).toBe(['lead-0', 'lead-1', 'lead-4'].includes(row.externalId));
    }
  });

  it('scores a lead sent with a constructor attribute by the API', async () => {
    const res = await app.t.api('/api/leads', { source: 'web', externalId: 'api-ctor', attributes: { constructor: 'yes' } });
    expect(res.status).toBe(200);
    expect(res.body.leads[0].breakdown.map((b: { reason: string }) => b.reason)).toContain('+50 constructor: yes');
    const [row] = await queryRows<{ attributes: unknown }>(
      app.database.db,
      sql`select attributes from leads where external_id = 'api-ctor'`,
    );
    expect(row!.attributes).toEqual({ constructor: 'yes' });
  });

  it('scores events whose type is a prototype member name, and explains them', async () => {
    for (const type of ['__proto__', 'constructor']) {
      const rule = { field: `events.${type}`, op: '>=' as const, value: '1', points: 5, label: null };
      expect((await saveCriteriaChange(app.database.db, { kind: 'add', rule }, 'UMARKETER', new Date())).ok).toBe(true);
    }
    const occurredAt = new Date().toISOString();
    const res = await app.t.api('/api/leads', {
      source: 'web',
      externalId: 'api-proto-events',
      email: 'proto-events@example.com',
      events: [
        { type: '__proto__', occurredAt },
        { type: 'constructor', occurredAt },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.leads[0].breakdown.map((b: { reason: string }) => b.reason)).toEqual(
      expect.arrayContaining(['+5 Proto', '+5 Constructor']),
    );
    expect(readable(await ask(app.t, app.fakeSlack, 'score proto-events@example.com'))).toContain('+5 Constructor');
  });
});

describe('__proto__ as a key in the lead API', () => {
  it.each([
    ['an attribute', '{"source":"web","externalId":"p1","attributes":{"__proto__":"x"}}', 'attributes.__proto__'],
    [
      'event data',
      '{"source":"web","externalId":"p2","events":[{"type":"t","occurredAt":"2026-11-20T10:00:00Z","data":{"__proto__":{"a":1}}}]}',
      'events.0.data.__proto__',
    ],
    [
      'nested event data',
      '{"source":"web","externalId":"p3","events":[{"type":"t","occurredAt":"2026-11-20T10:00:00Z","data":{"a":{"__proto__":1}}}]}',
      'events.0.data.a.__proto__',
    ],
  ])('answers 400 saying it is reserved for %s, never a silent drop', async (_, body, path) => {
    const before = await count(app.database.db, 'leads');
    const res = await app.t.api('/api/leads', body);
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ path, message: expect.stringContaining('reserved') }]);
    expect(await count(app.database.db, 'leads')).toBe(before);
  });
});

describe('__proto__ as a CSV column', () => {
  it('refuses the file naming the column, rather than dropping it from every lead', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'mql-reserved-')), 'leads.csv');
    writeFileSync(file, 'id,__proto__,constructor\nc1,x,y\n');
    const importing = importCsv(app.database.db, { file, source: 'csv', idColumn: 'id' });
    await expect(importing).rejects.toThrow(ImportError);
    await expect(importCsv(app.database.db, { file, source: 'csv', idColumn: 'id' })).rejects.toThrow(/"__proto__" has a reserved name/);
  });
});
