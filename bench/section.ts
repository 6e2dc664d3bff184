import { fileURLToPath } from 'node:url';
import type { Database } from '../db/client.js';

/** A figure a section measured, with the target it is held to (if any). */
export interface Measurement {
  metric: string;
  value: number;
  unit: string;
  /**
   * The same work done the plainest way (a bare Bolt app, a plain multi-row insert, COPY, one hand-written
   * query…), measured beside it in the same run on the same machine, in the same unit.
   */
  floor?: { value: number; label: string };
  /**
   * Higher is better (`atLeast`) or lower is better (`atMost`). With a floor, the target holds the ratio
   * value ÷ floor (e.g. `{ atMost: 1.2 }`: at most 1.2× the bare Bolt app's p99); without one, the value itself.
   */
  target?: { atLeast: number } | { atMost: number };
  /** How it was measured, e.g. "20 × 1,000 leads". */
  note?: string;
  /** The database it was measured on, named by sections that are not `perDatabase` but spawn a bot on each one. */
  database?: string;
}

/**
 * One benchmark. `perDatabase` sections run once for each database under test, each time on a fresh,
 * migrated and seeded database of their own, so no section's figures depend on another's leftovers.
 * `optIn` sections (those that take many minutes) run only when named: `npm run bench -- scale`.
 */
export type Section = { name: string; optIn?: true } & (
  | { perDatabase: true; run(database: Database): Promise<Measurement[]> }
  | { perDatabase: false; run(): Promise<Measurement[]> }
);

/** value ÷ floor, or null without a floor (or with a floor of zero). */
export function ratioToFloor(m: Measurement): number | null {
  return m.floor && m.floor.value > 0 ? m.value / m.floor.value : null;
}

export function passes(m: Measurement): boolean | null {
  if (!m.target) return null;
  const compared = m.floor ? ratioToFloor(m) : m.value;
  if (compared === null) return null;
  return 'atLeast' in m.target ? compared >= m.target.atLeast : compared <= m.target.atMost;
}

/** The value at quantile `p` of ascending `sorted` values. */
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/** The median time of `runs` runs of `work` in ms, and what the last run returned. */
export async function medianRun<T>(runs: number, work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const times: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    result = await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: percentile(times, 0.5), result: result as T };
}

/** Shared by the sections that read the real leads file. */
export const X_EDUCATION_CSV = fileURLToPath(new URL('../data/x-education-leads.csv', import.meta.url));
export const X_EDUCATION_MAPPING = { source: 'x-education', idColumn: 'Prospect ID', outcomeColumn: 'Converted' };
