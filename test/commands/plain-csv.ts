/*
 * The real X Education leads read straight from the CSV, and the default criteria as plain predicates over its
 * cells: the independent side of the figure tests (no score.ts, no SQL, no backtest code).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { CSV } from './helpers.js';

export type Row = Record<string, string>;
export const rows: Row[] = parse(readFileSync(CSV), { columns: true, bom: true, skip_empty_lines: true });
export const num = (cell: string | undefined) => (cell === undefined || cell.trim() === '' ? null : Number(cell));

export interface PlainRule {
  name: string;
  points: number;
  hit: (r: Row) => boolean;
  /** Which axis the rule scores on (the default criteria's own). */
  axis?: 'fit' | 'engagement';
}

/** The default criteria's rules that can fire on this CSV (it has no events and no titles). */
export const DEFAULTS: PlainRule[] = [
  { name: 'Inquiry form', points: 40, hit: (r) => r['Lead Origin'] === 'Lead Add Form', axis: 'engagement' },
  { name: 'Engaged on site', points: 30, hit: (r) => (num(r['Total Time Spent on Website']) ?? -1) >= 900, axis: 'engagement' },
  { name: 'Repeat visitor', points: 5, hit: (r) => (num(r.TotalVisits) ?? -1) >= 5, axis: 'engagement' },
  { name: 'Working professional', points: 30, hit: (r) => r['What is your current occupation'] === 'Working Professional', axis: 'fit' },
  { name: 'Opted out of email', points: -20, hit: (r) => r['Do Not Email'] === 'Yes', axis: 'fit' },
  { name: 'Bad contact data', points: -10, hit: (r) => ['Email Bounced', 'Unsubscribed'].includes(r['Last Activity']!), axis: 'fit' },
];

export const converted = (r: Row) => r.Converted === '1';

/** A row's total and per-axis scores under plain rules. */
export function plainScores(rules: PlainRule[], row: Row): { total: number; fit: number; engagement: number; hits: PlainRule[] } {
  const hits = rules.filter((r) => r.hit(row));
  const on = (axis: 'fit' | 'engagement') => hits.filter((r) => r.axis === axis).reduce((sum, r) => sum + r.points, 0);
  return { total: hits.reduce((sum, r) => sum + r.points, 0), fit: on('fit'), engagement: on('engagement'), hits };
}

export const positives = rows.filter(converted).length;

export interface Line {
  at: number;
  qualified: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Precision, recall and F1 when the rows for which `value(row) >= at` (and `also(row)`) qualify. */
function lineAt(values: Array<{ row: Row; value: number; also: boolean }>, at: number): Line {
  const qualified = values.filter((v) => v.also && v.value >= at);
  const tp = qualified.filter((v) => converted(v.row)).length;
  const precision = tp / qualified.length;
  const recall = tp / positives;
  return { at, qualified: qualified.length, precision, recall, f1: (2 * precision * recall) / (precision + recall) };
}

/** The lines current−15 … current+15 allowed, and over every distinct value the best F1 (ties: nearest the current, then lower). */
export function plainSweep(values: Array<{ row: Row; value: number; also: boolean }>, current: number, allowed: (at: number) => boolean) {
  const around = [-15, -10, -5, 0, 5, 10, 15].map((step) => current + step).filter(allowed);
  const distinct = [...new Set(values.filter((v) => v.also).map((v) => v.value))].filter(allowed).sort((a, b) => a - b);
  const candidates = distinct.map((at) => lineAt(values, at));
  const bestF1 = Math.max(...candidates.map((c) => c.f1));
  const best = candidates
    .filter((c) => bestF1 - c.f1 < 1e-12)
    .sort((a, b) => Math.abs(a.at - current) - Math.abs(b.at - current) || a.at - b.at)[0]!;
  return { points: around.map((at) => lineAt(values, at)), best };
}
