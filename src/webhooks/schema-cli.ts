/** `npm run schemas`: rewrites docs/webhook-events.schema.json from the zod types in src/webhooks/events.ts. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { SCHEMA_DOC_PATH, webhookEventsJsonSchema } from './schema-doc.js';

writeFileSync(SCHEMA_DOC_PATH, `${JSON.stringify(webhookEventsJsonSchema(), null, 2)}\n`);
// Laid out as the repository's formatter lays out JSON, so `biome check` (npm run lint) passes on it as written.
execFileSync('npx', ['biome', 'format', '--write', SCHEMA_DOC_PATH], { stdio: 'ignore' });
console.log(`wrote ${SCHEMA_DOC_PATH}`);
