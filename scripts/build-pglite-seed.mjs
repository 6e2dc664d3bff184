import { writeFileSync } from 'node:fs';
import { migratedPgliteDump } from '../dist/db/migrate.js';
import { PGLITE_SEED } from '../dist/db/pglite-seed.js';

// The last step of `npm run build`: the migrated empty database a new DATA_DIR starts from (db/pglite-seed.ts).
writeFileSync(PGLITE_SEED, await migratedPgliteDump());
