/*
 * Migration 0002 gives `contains` its whole-word meaning; rules stored before meant a substring. It turns every
 * stored `contains` (rule rows and every version's rules) into `includes`, so no stored lead's score changes.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { queryRows, wrapPglite } from '../../db/client.js';
import { getActiveCriteria } from '../../db/queries/criteria.js';
import { MIGRATIONS_FOLDER, runMigrations } from '../../db/migrate.js';
import { score } from '../../src/scoring/score.js';
import { makeLead, NOW } from '../scoring/fixtures.js';

/** A copy of the migrations folder that stops before 0002: the schema as issue 12 left it. */
function migrationsBefore0002(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'mql-migrations-'));
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalFile = path.join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: Array<{ tag: string }> };
  journal.entries = journal.entries.filter((e) => e.tag < '0002');
  writeFileSync(journalFile, JSON.stringify(journal));
  return folder;
}

const client = new PGlite();
afterAll(() => client.close());

describe('migration 0002 on criteria stored before it', () => {
  it('turns stored contains rules into includes in every version, so scores stay as they were', async () => {
    await migrate(drizzle(client), { migrationsFolder: migrationsBefore0002() });
    const db = drizzle(client);
    const v1 = [
      { id: 1, field: 'title', op: 'contains', value: 'vp', points: 15, label: 'VP' },
      { id: 2, field: 'country', op: '=', value: 'India', points: 5, label: null },
    ];
    await db.execute(sql`insert into criteria (id, field, op, value, points, label, added_in_version)
      values (1, 'title', 'contains', 'vp', 15, 'VP', 1), (2, 'country', '=', 'India', 5, null, 1)`);
    await db.execute(sql`insert into criteria_versions (version, threshold, rules, change, created_by)
      values (1, 10, ${JSON.stringify(v1)}::jsonb, 'seeded', 'system'), (2, 12, ${JSON.stringify(v1)}::jsonb, 'threshold 10 → 12', 'U1')`);

    const database = wrapPglite(client);
    await runMigrations(database);

    const ops = await queryRows<{ op: string }>(database.db, sql`select op from criteria order by id`);
    expect(ops.map((r) => r.op)).toEqual(['includes', '=']);
    const versions = await queryRows<{ version: number; rules: Array<{ op: string; field: string }>; decay: unknown }>(
      database.db,
      sql`select version, rules, decay from criteria_versions order by version`,
    );
    for (const v of versions) {
      expect(v.rules.map((r) => r.op)).toEqual(['includes', '=']);
      expect(v.decay).toEqual({ kind: 'off' });
    }

    // "Network Engineer (VPN)" kept its +15 from the substring rule: its stored breakdown is still what scoring gives.
    const active = await getActiveCriteria(database.db);
    const result = score(makeLead({ title: 'Network Engineer (VPN)' }), [], active, NOW);
    expect(result.breakdown.map((b) => b.points)).toEqual([15]);
    expect(result.minimums).toBeNull();
  });
});
