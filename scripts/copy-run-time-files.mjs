import { cpSync, rmSync } from 'node:fs';

/*
 * The second half of `npm run build`: tsc compiles src/, db/ and commands/ into dist/ laid out as the repository
 * is, and the files the code finds by path at run time (beside itself, `new URL('../x', import.meta.url)`) are
 * copied to the same places, so those paths hold from the source tree (tsx, vitest) and from dist/ alike.
 * Each is replaced whole, so a file deleted from the source does not live on in dist/.
 */
const RUN_TIME_FILES = [
  'drizzle', // migrations, applied at start-up (db/migrate.ts)
  'src/sandbox/page', // the sandbox page's scripts and styles (src/sandbox/routes.ts)
  'data/x-education-leads.csv', // "Load demo leads" in the sandbox (src/sandbox/demo.ts)
];

for (const file of RUN_TIME_FILES) {
  rmSync(`dist/${file}`, { recursive: true, force: true });
  // The page's type declarations are for the tests' type checks only.
  cpSync(file, `dist/${file}`, { recursive: true, filter: (path) => !path.endsWith('.d.ts') });
}
