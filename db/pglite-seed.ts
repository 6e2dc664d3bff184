import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * A new embedded database starts from a dump of one made and migrated at build time, instead of running
 * PGlite's initdb at the user's first start (about half the time to a first healthy answer). Only the compiled
 * bot has one (dist/pglite-seed.tar, written by `npm run build` with migratedPgliteDump in migrate.ts); from source, a new DATA_DIR is made from scratch.
 */
export const PGLITE_SEED = fileURLToPath(new URL('../pglite-seed.tar', import.meta.url));

/** The seed to start `pgliteDir` from: only when it holds no database yet and the seed exists. */
export function seedFor(pgliteDir: string, seedFile = PGLITE_SEED): Uint8Array<ArrayBuffer> | undefined {
  if (existsSync(path.join(pgliteDir, 'PG_VERSION')) || !existsSync(seedFile)) return undefined;
  return new Uint8Array(readFileSync(seedFile));
}
