import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { passes, ratioToFloor, type Measurement } from './section.js';

/** A measurement as the table shows it: which database, which section. */
export interface Row extends Measurement {
  database: string;
  section: string;
}

const number = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: value >= 100 ? 0 : value >= 10 ? 1 : 2 });

/** With a floor the goal is a ratio to it ("≤ 1.2×"); without, a plain target in the measurement's unit. */
function goalText(m: Measurement): string {
  if (!m.target) return '';
  const [sign, bound] = 'atLeast' in m.target ? ['≥', m.target.atLeast] : ['≤', m.target.atMost];
  return m.floor ? `${sign} ${number(bound)}×` : `${sign} ${number(bound)} ${m.unit}`;
}

const HEADER = ['database', 'measurement', 'value', 'floor', 'ratio', 'goal', 'result', 'how'];

function cells(r: Row): string[] {
  const verdict = passes(r);
  const ratio = ratioToFloor(r);
  return [
    r.database,
    `${r.section}: ${r.metric}`,
    `${number(r.value)} ${r.unit}`,
    r.floor ? `${number(r.floor.value)} ${r.unit} (${r.floor.label})` : '',
    ratio === null ? '' : `${ratio.toFixed(2)}×`,
    goalText(r),
    verdict === null ? '' : verdict ? 'PASS' : 'FAIL',
    r.note ?? '',
  ];
}

/** Aligned columns for the terminal. */
export function textTable(rows: Row[]): string {
  const body = rows.map(cells);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...body.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((text, i) => text.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(HEADER), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** The same table in Markdown, for the README. */
export function markdownTable(rows: Row[]): string {
  const line = (c: string[]) => `| ${c.map((text) => text.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(HEADER), line(HEADER.map(() => '---')), ...rows.map((r) => line(cells(r)))].join('\n');
}

/** The 1, 5 and 15 minute load averages. */
export const loadAverages = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/**
 * The machine the figures are from. Figures swing with whatever else the machine is doing; the load averages
 * (taken when the run started and when it ended) say how far to trust them.
 */
export function machineLine(loadAtStart: string): string {
  const gib = (totalmem() / 2 ** 30).toFixed(1);
  return (
    `${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown model'}), node ${process.version}, ${gib} GiB memory, ` +
    `load average ${loadAtStart} at the start, ${loadAverages()} at the end (1, 5, 15 min)`
  );
}
