import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { connectPgliteThread, queryRows } from '../../db/client.js';
import { migratedPgliteDump, migrationsCurrent } from '../../db/migrate.js';
import { seedFor } from '../../db/pglite-seed.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mql-seed-'));
const seedFile = path.join(dir, 'seed.tar');

describe("a new DATA_DIR starts from the build's seed", () => {
  const opened: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const database of opened) await database.close();
  });

  it('is used only for a directory that holds no database yet, and only when the build made one', async () => {
    const fresh = path.join(dir, 'fresh');
    expect(seedFor(fresh, seedFile)).toBeUndefined();
    writeFileSync(seedFile, await migratedPgliteDump());
    expect(seedFor(fresh, seedFile)?.byteLength).toBeGreaterThan(0);
    const existing = path.join(dir, 'existing');
    mkdirSync(existing);
    writeFileSync(path.join(existing, 'PG_VERSION'), '18\n');
    expect(seedFor(existing, seedFile)).toBeUndefined();
  });

  it('gives a migrated database in the directory, which opens again with its data', async () => {
    const pgliteDir = path.join(dir, 'seeded');
    const first = await connectPgliteThread({ dataDir: pgliteDir, snapshot: seedFor(pgliteDir, seedFile) });
    expect(await migrationsCurrent(first)).toBe(true);
    await first.db.execute(sql`insert into webhook_endpoints (url) values ('https://crm.example/hook')`);
    await first.close();
    const again = await connectPgliteThread({ dataDir: pgliteDir, snapshot: seedFor(pgliteDir, seedFile) });
    opened.push(again);
    expect(await queryRows(again.db, sql`select url from webhook_endpoints`)).toEqual([{ url: 'https://crm.example/hook' }]);
  });
});
