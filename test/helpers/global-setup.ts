import { PGlite } from '@electric-sql/pglite';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { wrapPglite } from '../../db/client.js';
import { runMigrations } from '../../db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
  }
}

/** Migrates one PGlite once and hands every test file a snapshot: loading it is ~5× faster than migrating. */
export default async function setup(project: TestProject) {
  const client = await PGlite.create();
  await runMigrations(wrapPglite(client));
  const dump = await client.dumpDataDir('none');
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'mql-pglite-')), 'migrated.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await client.close();
  project.provide('pgliteSnapshot', file);
  if (!process.env.DATABASE_URL) {
    console.log('\nDATABASE_URL is not set: tests run on embedded PGlite; Postgres-only tests are skipped.\n');
  }
}
