import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DatabaseInUseError, openDatabase, type Database } from '../../db/client.js';
import { prepareDatabase } from '../prepare-database.js';
import { ConfigError, flagWord, isYes } from '../config.js';
import { loadDatabaseConfig } from '../config-db.js';
import { openCsvFile } from './csv-leads.js';
import { DEFAULT_BATCH_SIZE, ImportError, importCsv, MAX_BATCH_SIZE, type ImportProgress, type ImportSummary } from './import.js';

// The only place in the import that touches the process: argv, env, signals, exit codes.

const USAGE = `Usage: npm run import -- <file.csv> --source <name> --id-column <column> [options]

Imports leads from a CSV file (header row first), scores them and stores known outcomes.
Re-importing a file is safe: unchanged rows change nothing.

  --source <name>            the leads' source, e.g. x-education (identifies them with the id)
  --id-column <column>       the column holding each lead's id
  --outcome-column <column>  a column with the known outcome: 1/0, yes/no, true/false, converted/not_converted
  --post                     queue qualifying leads for posting to the sales channel (off: historic data)
  --batch-size <n>           rows per transaction, 1-${MAX_BATCH_SIZE} (default ${DEFAULT_BATCH_SIZE})
  -h, --help                 show this text

Columns named email, name, company, title or country fill those fields; every other column becomes an attribute.
The database is the bot's: DATABASE_URL, or the embedded one in DATA_DIR (not while the bot runs on it).`;

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
/** What shells report for a process ended by Ctrl-C (128 + SIGINT). */
const EXIT_INTERRUPTED = 130;

const argsSchema = z.object({
  file: z.string().min(1),
  source: z.string({ error: '--source is required' }).trim().min(1, '--source is required'),
  idColumn: z.string({ error: '--id-column is required' }).trim().min(1, '--id-column is required'),
  outcomeColumn: z.string().trim().min(1, '--outcome-column needs a column name').optional(),
  post: z.boolean().default(false),
  batchSize: z.coerce
    .number({ error: '--batch-size must be a number' })
    .int('--batch-size must be a whole number')
    .min(1, `--batch-size must be from 1 to ${MAX_BATCH_SIZE}`)
    .max(MAX_BATCH_SIZE, `--batch-size must be from 1 to ${MAX_BATCH_SIZE}`)
    .default(DEFAULT_BATCH_SIZE),
});

function usageError(problem: string): never {
  console.error(`${problem}\n\n${USAGE}`);
  process.exit(EXIT_USAGE);
}

const readArgs = (argv: string[]) =>
  parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      source: { type: 'string' },
      'id-column': { type: 'string' },
      'outcome-column': { type: 'string' },
      post: { type: 'boolean' },
      'batch-size': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });

function parseCommandLine(argv: string[]): z.output<typeof argsSchema> {
  let parsed: ReturnType<typeof readArgs>;
  try {
    parsed = readArgs(argv);
  } catch (error) {
    usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (positionals.length !== 1) usageError(positionals.length ? `one file at a time, got ${positionals.join(', ')}` : 'which CSV file?');
  const args = argsSchema.safeParse({
    file: positionals[0],
    source: values.source,
    idColumn: values['id-column'],
    outcomeColumn: values['outcome-column'],
    post: values.post,
    batchSize: values['batch-size'],
  });
  if (!args.success) usageError(args.error.issues.map((i) => i.message).join('\n'));
  return args.data;
}

const count = new Intl.NumberFormat('en-US');

function report(file: string, source: string, s: ImportSummary, post: boolean): string {
  const lines = [
    `Imported ${file} as source "${source}" in ${s.seconds.toFixed(1)} s`,
    `  rows read         ${count.format(s.rowsRead)}`,
    `  inserted          ${count.format(s.inserted)}`,
    `  updated           ${count.format(s.updated)}`,
    `  unchanged         ${count.format(s.unchanged)}`,
    `  duplicate ids     ${count.format(s.duplicateIds)} (the later row wins)`,
    `  rejected          ${count.format(s.rejected)}`,
    `  qualified         ${count.format(s.qualified)}`,
    `  queued for sales  ${count.format(s.queuedForSales)}${post ? '' : ' (use --post to queue qualifying leads)'}`,
  ];
  if (s.rejected > 0) {
    lines.push(
      `Rejected rows${s.rejected > s.rejectedRows.length ? ` (first ${s.rejectedRows.length} of ${count.format(s.rejected)})` : ''}:`,
    );
    lines.push(...s.rejectedRows.map((r) => `  line ${r.line}: ${r.reason}`));
  }
  return lines.join('\n');
}

/** Which leads are one person is the bot's setting: the import stores the same email keys the bot would. */
const peopleEnv = z.object({ MERGE_PLUS_ADDRESSES: flagWord.default('false').transform(isYes) });

function loadMergePlusAddresses(env: Record<string, string | undefined>): boolean {
  const parsed = peopleEnv.safeParse(env);
  if (!parsed.success) throw ConfigError.from(parsed.error);
  return parsed.data.MERGE_PLUS_ADDRESSES;
}

const args = parseCommandLine(process.argv.slice(2));
// Same database settings as the server (src/server.ts), including a local .env file.
if (existsSync('.env')) process.loadEnvFile('.env');

let database: Database | undefined;
let progress: ImportProgress = { rowsRead: 0, seconds: 0 };
const interrupt = new AbortController();
// Ctrl-C finishes the batch in flight, so the database (an embedded one especially) is closed cleanly.
process.once('SIGINT', () => {
  console.error('stopping after the current batch (Ctrl-C again to quit at once)');
  interrupt.abort();
  process.once('SIGINT', () => process.exit(EXIT_INTERRUPTED));
});

try {
  // The file first: a mistyped name should not create, migrate or lock a database.
  const stream = await openCsvFile(args.file);
  const mergePlusAddresses = loadMergePlusAddresses(process.env);
  database = await openDatabase(loadDatabaseConfig(process.env));
  await prepareDatabase(database, { info: (message) => console.error(message) });
  const summary = await importCsv(database.db, {
    stream,
    name: args.file,
    source: args.source,
    idColumn: args.idColumn,
    outcomeColumn: args.outcomeColumn,
    post: args.post,
    mergePlusAddresses,
    batchSize: args.batchSize,
    now: new Date(),
    signal: interrupt.signal,
    onProgress: (p) => {
      progress = p;
      console.error(`${count.format(p.rowsRead)} rows read, ${count.format(Math.round(p.rowsRead / p.seconds))} rows/s`);
    },
  });
  console.log(report(args.file, args.source, summary, args.post));
} catch (error) {
  const done = progress.rowsRead ? ` (the first ${count.format(progress.rowsRead)} rows were imported; re-running is safe)` : '';
  // Expected failures (the file, the settings, the database being unreachable or in use) need no stack trace.
  const expected =
    error instanceof ImportError ||
    error instanceof ConfigError ||
    error instanceof DatabaseInUseError ||
    (error instanceof Error && 'code' in error);
  if (interrupt.signal.aborted) console.error(`Import interrupted${done}.`);
  else if (expected) console.error(`Import failed: ${(error as Error).message}${done}`);
  // A database error's message carries the query and every value of the batch (names, emails): its cause is enough.
  else console.error(`Import failed${done}:`, error instanceof Error && error.cause instanceof Error ? error.cause : error);
  process.exitCode = interrupt.signal.aborted ? EXIT_INTERRUPTED : EXIT_FAILED;
} finally {
  await database?.close();
}
