import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migratedPgliteDump } from '../../db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
  }
}

/** Migrates one PGlite once and hands every test file a snapshot: loading it is ~5× faster than migrating. */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), 'mql-pglite-'));
  const file = path.join(dir, 'migrated.tar');
  writeFileSync(file, await migratedPgliteDump());
  project.provide('pgliteSnapshot', file);
  if (!process.env.DATABASE_URL) {
    console.log('\nDATABASE_URL is not set: tests run on embedded PGlite; Postgres-only tests are skipped.\n');
  }
  // The snapshot is 40 MB: removed when the run ends.
  return () => rmSync(dir, { recursive: true, force: true });
}
