import { importCsv } from '../src/leads/import.js';
import { createTextTable, csvWidth, plainClient } from './plain-client.js';
import { X_EDUCATION_CSV, X_EDUCATION_MAPPING, type Section } from './section.js';

/**
 * The real 9,240-row file through importCsv (what `npm run import` does, minus process start-up), then the floor:
 * the same file loaded into a table of text columns the fastest way the database takes it (COPY).
 */
export const importX: Section = {
  name: 'CSV import',
  perDatabase: true,
  async run(database) {
    const summary = await importCsv(database.db, { file: X_EDUCATION_CSV, ...X_EDUCATION_MAPPING });
    if (summary.inserted !== summary.rowsRead) {
      throw new Error(`expected every row inserted, got ${JSON.stringify({ ...summary, rejectedRows: summary.rejectedRows.slice(0, 3) })}`);
    }
    const plain = plainClient(database);
    await createTextTable(plain, 'bench_plain_csv', await csvWidth(X_EDUCATION_CSV));
    const started = performance.now();
    const how = await plain.loadCsv('bench_plain_csv', X_EDUCATION_CSV);
    const floorSeconds = (performance.now() - started) / 1000;
    const [loaded] = await plain.query<{ n: number }>('select count(*)::int as n from bench_plain_csv');
    if (loaded!.n !== summary.rowsRead) throw new Error(`the floor loaded ${loaded!.n} rows, the import read ${summary.rowsRead}`);

    const rows = summary.rowsRead;
    return [
      {
        metric: `import of ${rows.toLocaleString('en-US')} rows`,
        value: rows / summary.seconds,
        unit: 'rows/s',
        floor: { value: rows / floorSeconds, label: how },
        target: { atLeast: 0.3 },
        note: `${summary.seconds.toFixed(2)} s (floor ${floorSeconds.toFixed(2)} s), into an empty database; the floor's table has text columns, no keys`,
      },
    ];
  },
};
