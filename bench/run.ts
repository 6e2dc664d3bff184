import { availableParallelism, loadavg } from 'node:os';
import { loadDatabaseConfig } from '../src/config-db.js';
import { benchDatabases } from './databases.js';
import { importX } from './import-csv.js';
import { ingestHttp } from './ingest-http.js';
import { scoring } from './scoring.js';
import { claimAck } from './claim-ack.js';
import { outboxDrain } from './outbox-drain.js';
import { digest } from './digest.js';
import { backtest } from './backtest.js';
import { routingOffer } from './routing.js';
import { webhookDelivery } from './webhooks.js';
import { passes, type Measurement, type Section } from './section.js';

/**
 * `npm run bench`: every section against the embedded PGlite and, when DATABASE_URL is set, against a
 * temporary database on that Postgres server. Add a benchmark by adding a section file and listing it here.
 */
const SECTIONS: Section[] = [ingestHttp, importX, scoring, claimAck, outboxDrain, routingOffer, webhookDelivery, backtest, digest];

interface Row extends Measurement {
  database: string;
  section: string;
}

const number = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: value >= 100 ? 0 : value >= 10 ? 1 : 2 });

function targetText(m: Measurement): string {
  if (!m.target) return '';
  return 'atLeast' in m.target ? `≥ ${number(m.target.atLeast)} ${m.unit}` : `≤ ${number(m.target.atMost)} ${m.unit}`;
}

function table(rows: Row[]): string {
  const cells = rows.map((r) => {
    const verdict = passes(r);
    return [
      r.database,
      `${r.section}: ${r.metric}`,
      `${number(r.value)} ${r.unit}`,
      targetText(r),
      verdict === null ? '' : verdict ? 'PASS' : 'FAIL',
      r.note ?? '',
    ];
  });
  const header = ['database', 'measurement', 'value', 'target', 'result', 'how'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((text, i) => text.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

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

// `npm run bench -- routing outbox` runs only the sections named.
const only = process.argv.slice(2);
const chosen = only.length ? SECTIONS.filter((s) => only.some((name) => s.name.startsWith(name))) : SECTIONS;
if (chosen.length === 0) {
  console.error(`no section named ${only.join(', ')}; there are: ${SECTIONS.map((s) => s.name).join(', ')}`);
  process.exit(1);
}

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

// Figures swing with whatever else the machine is doing; the load says how far to trust them.
const load = loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
console.log(`node ${process.version}, ${availableParallelism()} CPUs, load average ${load} (1, 5, 15 min) at the end\n`);
console.log(table(rows));
// Missed targets are reported, not fatal; a section that could not measure at all is.
process.exit(crashed ? 1 : 0);
