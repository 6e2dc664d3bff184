import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { queryRows } from '../db/client.js';
import { getActiveCriteria } from '../db/queries/criteria.js';
import { activeCriteriaInsights, backtestActiveCriteria, backtestCounts } from '../src/scoring/criteria-service.js';
import type { CriteriaChange } from '../src/scoring/types.js';
import { importCsv } from '../src/leads/import.js';
import { checkSameCounts, handWrittenCounts } from './backtest-floor.js';
import { cloneRealLeads } from './seed-leads.js';
import { medianRun, X_EDUCATION_CSV, X_EDUCATION_MAPPING, type Measurement, type Section } from './section.js';

const GENERATED_TOTAL = 100_000;
const RUNS = 5;
/** The goal: the backtest (and the insights, made from the same counts) at most 2× one hand-written query. */
const FLOOR_RATIO = 2;

async function backtestOnce(database: Database, changes: CriteriaChange[], now: Date) {
  const result = await backtestActiveCriteria(database.db, changes, now);
  if (!result.ok) throw new Error(result.error);
  return { qualified: result.report.qualified, evaluated: result.report.evaluated };
}

async function insightsOnce(database: Database, now: Date) {
  const { insights } = await activeCriteriaInsights(database.db, now);
  return { qualified: insights.qualified, evaluated: insights.evaluated };
}

/**
 * `/mql criteria test` (the backtest) and `/mql criteria insights` of the active (default) criteria over the stored
 * leads, each the median of `runs`, against the hand-written query measured the same way at the same `now`; the
 * query's counts are checked against the backtest's first. `what` names the leads ("real leads").
 */
export async function backtestAgainstFloor(database: Database, runs: number, what: string): Promise<Measurement[]> {
  const now = new Date();
  const active = await getActiveCriteria(database.db);
  const floor = await medianRun(runs, () => handWrittenCounts(database, now));
  checkSameCounts(floor.result, await backtestCounts(database.db, { candidate: active, baseline: active, now }), active);
  const floorOf = { value: floor.ms, label: 'one hand-written count(*) filter (…) query' };
  const row = (metric: string, r: { ms: number; result: { qualified: number; evaluated: number } }): Measurement => ({
    metric: `${metric} over ${r.result.evaluated.toLocaleString('en-US')} ${what}`,
    value: r.ms,
    unit: 'ms',
    floor: floorOf,
    target: { atMost: FLOOR_RATIO },
    note: `median of ${runs} (floor too), default criteria, ${r.result.qualified.toLocaleString('en-US')} qualify; the floor's counts checked equal`,
  });
  return [
    row('backtest', await medianRun(runs, () => backtestOnce(database, [], now))),
    row('insights', await medianRun(runs, () => insightsOnce(database, now))),
  ];
}

const HALF_LIFE: CriteriaChange[] = [{ kind: 'decay', decay: { kind: 'half-life', days: 30 } }];

/** The backtest over the 9,240 real leads, then over 100,000 (the real ones and clones); the default criteria decay with a 30-day window. */
export const backtest: Section = {
  name: 'backtest',
  perDatabase: true,
  async run(database) {
    await importCsv(database.db, { file: X_EDUCATION_CSV, ...X_EDUCATION_MAPPING });
    const results = await backtestAgainstFloor(database, RUNS, 'real leads');
    await cloneRealLeads(database, GENERATED_TOTAL);
    const [stored] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from leads`);
    if (stored!.n !== GENERATED_TOTAL) throw new Error(`expected ${GENERATED_TOTAL} leads, have ${stored!.n}`);
    results.push(...(await backtestAgainstFloor(database, RUNS, 'leads (real + cloned)')));
    // A trial decay computes two criteria sets; the hand-written floor knows only the defaults, so this one keeps a plain target.
    const trial = await medianRun(RUNS, () => backtestOnce(database, HALF_LIFE, new Date()));
    results.push({
      metric: `backtest, trial half-life 30 days, over ${trial.result.evaluated.toLocaleString('en-US')} leads (real + cloned)`,
      value: trial.ms,
      unit: 'ms',
      target: { atMost: 1000 },
      note: `median of ${RUNS}, trial change decay half-life 30 days (nothing saved), ${trial.result.qualified.toLocaleString('en-US')} qualify`,
    });
    return results;
  },
};
