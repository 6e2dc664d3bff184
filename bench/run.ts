import { loadDatabaseConfig } from '../src/config-db.js';
import { benchDatabases } from './databases.js';
import { importX } from './import-csv.js';
import { ingestHttp } from './ingest-http.js';
import { scoring } from './scoring.js';
import { acks } from './acks.js';
import { coldStart } from './cold-start.js';
import { importCli } from './import-cli.js';
import { outboxDrain } from './outbox-drain.js';
import { digest } from './digest.js';
import { backtest } from './backtest.js';
import { routingOffer } from './routing.js';
import { webhookDelivery } from './webhooks.js';
import { scale } from './scale.js';
import type { Measurement, Section } from './section.js';
import { loadAverages, machineLine, markdownTable, textTable, type Row } from './table.js';

/**
 * `npm run bench`: every section against the embedded PGlite and, when DATABASE_URL is set, against a
 * temporary database on that Postgres server. Add a benchmark by adding a section file and listing it here.
 * `npm run bench -- routing outbox` runs only the sections whose names contain those words; opt-in sections
 * (scale) run only when named; `--markdown` prints the table in Markdown too, for the README.
 */
const SECTIONS: Section[] = [
  ingestHttp,
  importX,
  scoring,
  acks,
  coldStart,
  importCli,
  outboxDrain,
  routingOffer,
  webhookDelivery,
  backtest,
  digest,
  scale,
];

const rows: Row[] = [];
let crashed = false;
const record = async (database: string, section: Section, measure: () => Promise<Measurement[]>) => {
  console.error(`running ${section.name} (${database})…`);
  try {
    rows.push(...(await measure()).map((m) => ({ ...m, database: m.database ?? database, section: section.name })));
  } catch (error) {
    crashed = true;
    console.error(`${section.name} (${database}) failed:`, error);
  }
};

const args = process.argv.slice(2);
const markdown = args.includes('--markdown');
const only = args.filter((a) => !a.startsWith('--')).map((a) => a.toLowerCase());
const chosen = only.length
  ? SECTIONS.filter((s) => only.some((name) => s.name.toLowerCase().includes(name)))
  : SECTIONS.filter((s) => !s.optIn);
if (chosen.length === 0) {
  console.error(`no section named ${only.join(', ')}; there are: ${SECTIONS.map((s) => s.name).join(', ')}`);
  process.exit(1);
}

const loadAtStart = loadAverages();
const databases = benchDatabases(loadDatabaseConfig(process.env).url);
for (const section of chosen) {
  if (!section.perDatabase) {
    await record('-', section, () => section.run());
    continue;
  }
  for (const target of databases) {
    await record(target.label, section, async () => {
      const database = await target.open();
      try {
        return await section.run(database);
      } finally {
        await database.close();
      }
    });
  }
}

const machine = machineLine(loadAtStart);
console.log(`${machine}\n\n${textTable(rows)}`);
if (markdown) console.log(`\n${machine}\n\n${markdownTable(rows)}`);
// Missed targets are reported, not fatal; a section that could not measure at all is.
process.exit(crashed ? 1 : 0);
