import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../db/client.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { importCsv } from '../src/leads/import.js';
import { backtestAgainstFloor } from './backtest.js';
import { generatedLeads, timelineEndingNow, type Timeline } from './generated-leads.js';
import { BATCH_SIZE, postLeads, timeIntakeAndFloor } from './intake.js';
import { cloneRealLeads } from './seed-leads.js';
import { X_EDUCATION_CSV, X_EDUCATION_MAPPING, type Measurement, type Section } from './section.js';

/** How many leads each database is measured at: the embedded one is meant for smaller teams. */
const LEADS: Record<Database['kind'], number> = { postgres: 1_000_000, pglite: 100_000 };
/** Intake through the API that would take longer than this stops, and the rest is cloned (BENCH_SCALE_INTAKE_S overrides it). */
const INTAKE_LIMIT_S = Number(process.env.BENCH_SCALE_INTAKE_S ?? 600);
/** How long intake runs before its rate decides whether the whole would fit in INTAKE_LIMIT_S. */
const SAMPLE_S = Math.min(60, INTAKE_LIMIT_S);
/** Batches posted once the table holds the leads, to see what intake does at that size. */
const AT_SCALE_BATCHES = 10;
const RUNS = 3;

const count = (n: number) => n.toLocaleString('en-US');
const minutes = (seconds: number) => `${(seconds / 60).toFixed(1)} min`;

/**
 * The bot with many leads stored: the CSV's real leads, then generated leads through POST /api/leads until the table
 * holds all but AT_SCALE_BATCHES batches — or, when the API would take more than INTAKE_LIMIT_S for that, clones
 * of the real leads for the rest — then those last batches through the API (against the plain insert floor),
 * the backtest and insights (against the hand-written floor), and the bench process's RSS. Opt-in:
 * `npm run bench -- scale` (about 15 minutes on Postgres with intake as it is).
 */
export const scale: Section = {
  name: 'scale',
  perDatabase: true,
  optIn: true,
  async run(database) {
    const total = LEADS[database.kind];
    const timeline = timelineEndingNow(total);
    const app = await startTestApp(database, { env: { SLACK_API_URL: 'http://127.0.0.1:9/api/' } });
    try {
      await importCsv(database.db, { file: X_EDUCATION_CSV, ...X_EDUCATION_MAPPING });
      const growTo = total - AT_SCALE_BATCHES * BATCH_SIZE;
      const { measurement, posted } = await growTable(app, database, growTo, timeline);
      const rows = [measurement, await intakeAtScale(app, database, posted, timeline)];
      const leads = await storedLeads(database);
      if (leads !== total) throw new Error(`expected ${count(total)} leads, have ${count(leads)}`);
      rows.push(...(await backtestAgainstFloor(database, RUNS, 'leads')));
      rows.push({
        metric: `bench process RSS with ${count(total)} leads`,
        value: process.memoryUsage().rss / 2 ** 20,
        unit: 'MiB',
        note: `the bot's app running in the bench process${database.kind === 'pglite' ? ', the embedded database inside it' : ''}, after the figures above`,
      });
      return rows;
    } finally {
      await app.stop();
    }
  },
};

/**
 * Generated leads through POST /api/leads until the table holds `growTo`, unless that would take longer than
 * INTAKE_LIMIT_S: then clones of the real leads for the rest. Returns the intake rate and how many leads were posted.
 */
async function growTable(app: TestApp, database: Database, growTo: number, timeline: Timeline) {
  const imported = await storedLeads(database);
  let next = 0;
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  while (imported + next < growTo) {
    const size = Math.min(BATCH_SIZE, growTo - imported - next);
    await postLeads(app, generatedLeads(next, size, timeline));
    next += size;
    const projected = (elapsed() / next) * (growTo - imported - next);
    if ((elapsed() >= SAMPLE_S && elapsed() + projected > INTAKE_LIMIT_S) || elapsed() >= INTAKE_LIMIT_S) break;
  }
  const intakeSeconds = elapsed();
  const rate = next / intakeSeconds;
  const cloneStarted = performance.now();
  const cloned = await cloneRealLeads(database, growTo);
  const cloneSeconds = (performance.now() - cloneStarted) / 1000;
  const grown: Measurement = {
    metric: `intake up to ${count(growTo)} leads`,
    value: rate,
    unit: 'leads/s',
    note: cloned
      ? `${count(next)} leads through POST /api/leads in ${intakeSeconds.toFixed(0)} s (all ${count(growTo - imported)} would take ~${minutes((growTo - imported) / rate)}), ` +
        `then ${count(cloned)} clones of the real leads by INSERT … SELECT in ${cloneSeconds.toFixed(0)} s`
      : `${count(next)} leads through POST /api/leads in ${intakeSeconds.toFixed(0)} s (and the CSV's ${count(imported)})`,
  };
  return { measurement: grown, posted: next };
}

async function storedLeads(database: Database): Promise<number> {
  const [row] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from leads`);
  return row!.n;
}

/** AT_SCALE_BATCHES batches through the API into the full table, against the same rows into the plain table. */
async function intakeAtScale(app: TestApp, database: Database, first: number, timeline: Timeline): Promise<Measurement> {
  const batches = Array.from({ length: AT_SCALE_BATCHES }, (_, b) => generatedLeads(first + b * BATCH_SIZE, BATCH_SIZE, timeline));
  const { seconds, plainSeconds, driver } = await timeIntakeAndFloor(app, database, batches);
  const leads = AT_SCALE_BATCHES * BATCH_SIZE;
  return {
    metric: 'intake with the table full',
    value: leads / seconds,
    unit: 'leads/s',
    floor: { value: leads / plainSeconds, label: `plain multi-row insert (${driver})` },
    target: { atLeast: 0.5 },
    note: `the last ${AT_SCALE_BATCHES} × ${count(BATCH_SIZE)} leads through POST /api/leads; floor: the same rows into a table without keys`,
  };
}
