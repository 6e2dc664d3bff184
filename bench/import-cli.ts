import type { Measurement, Section } from './section.js';
import { onEachDatabase, entryArgs, median, runToExit, type DatabaseKind } from './spawn.js';

const RUNS = 3;
// The README's "CSV import" command line.
const ARGS = ['data/x-education-leads.csv', '--source', 'x-education', '--id-column', 'Prospect ID', '--outcome-column', 'Converted'];

/** One import into a database nobody has touched: spawn to exit, and how many rows it says it inserted. */
async function importOnce(entry: string[], database: DatabaseKind): Promise<{ ms: number; inserted: number }> {
  const fresh = await database.fresh();
  try {
    const run = await runToExit([...entry, ...ARGS], fresh.env);
    const inserted = Number(/inserted\s+([\d,]+)/.exec(run.output)?.[1]?.replaceAll(',', ''));
    if (run.code !== 0 || !inserted) throw new Error(`npm run import failed (exit ${run.code}):\n${run.output.slice(-2000)}`);
    return { ms: run.ms, inserted };
  } finally {
    await fresh.remove();
  }
}

async function importOn(database: DatabaseKind): Promise<Measurement[]> {
  const entry = await entryArgs('src/leads/import-cli.ts');
  const runs: { ms: number; inserted: number }[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await importOnce(entry.args, database));
  const times = runs.map((r) => r.ms);
  const row: Measurement = {
    database: database.label,
    metric: `${runs[0]!.inserted.toLocaleString('en-US')} rows, spawn to exit`,
    value: median(times),
    unit: 'ms',
    target: { atMost: 3000 },
    note: `median of ${RUNS}, each into a fresh ${database.freshWhat}; ${entry.how} (${times.map(Math.round).join(', ')} ms)`,
  };
  return [row];
}

/** The README's CSV import as a user runs it: process start, migrations, the import and exit. */
export const importCli: Section = {
  name: 'npm run import',
  perDatabase: false,
  run: () => onEachDatabase(importOn),
};
