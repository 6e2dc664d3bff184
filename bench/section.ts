import { fileURLToPath } from 'node:url';
import type { Database } from '../db/client.js';

/** A figure a section measured, with the target it is held to (if any). */
export interface Measurement {
  metric: string;
  value: number;
  unit: string;
  /** Higher is better (`atLeast`) or lower is better (`atMost`). */
  target?: { atLeast: number } | { atMost: number };
  /** How it was measured, e.g. "20 × 1,000 leads". */
  note?: string;
}

/**
 * One benchmark. `perDatabase` sections run once for each database under test, each time on a fresh,
 * migrated and seeded database of their own, so no section's figures depend on another's leftovers.
 */
export type Section =
  | { name: string; perDatabase: true; run(database: Database): Promise<Measurement[]> }
  | { name: string; perDatabase: false; run(): Promise<Measurement[]> };

export function passes(m: Measurement): boolean | null {
  if (!m.target) return null;
  return 'atLeast' in m.target ? m.value >= m.target.atLeast : m.value <= m.target.atMost;
}

/** Shared by the sections that read the real leads file. */
export const X_EDUCATION_CSV = fileURLToPath(new URL('../data/x-education-leads.csv', import.meta.url));
export const X_EDUCATION_MAPPING = { source: 'x-education', idColumn: 'Prospect ID', outcomeColumn: 'Converted' };
