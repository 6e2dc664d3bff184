/** Slack text for the threshold sweep (src/scoring/sweep.ts), in full for insights and in short for trials. Pure. */
import type { Sweep, SweepPoint } from '../src/scoring/sweep.js';
import { escapeMrkdwn, n, ratio } from './reply.js';

/** "total >= 30", "fit >= 20": the line a point stands for. */
const lineText = (sweep: Sweep, at: number) => escapeMrkdwn(`${sweep.on} >= ${n(at)}`);

const figures = (p: SweepPoint) => `precision ${ratio(p.precision)} · recall ${ratio(p.recall)} · F1 ${ratio(p.f1)}`;

/** "the total threshold", or "the fit minimum (engagement held at >= 30)". */
function subject(sweep: Sweep): string {
  if (!sweep.fixed) return 'the total threshold';
  return escapeMrkdwn(`the ${sweep.on} minimum (${sweep.fixed.axis} held at >= ${n(sweep.fixed.minimum)})`);
}

function bestText(sweep: Sweep): string {
  const best = sweep.bestF1;
  if (!best) return 'no line has a qualified lead that converted, so none maximises F1';
  const where = best.at === sweep.current ? ' — the current line' : '';
  return `best F1 at *${lineText(sweep, best.at)}*${where}: ${n(best.qualified)} qualify, ${figures(best)}`;
}

/** A heading, a line per swept threshold (the current one marked) and the line with the best F1. */
export function sweepLines(sweep: Sweep): string[] {
  return [
    `*Sweep of ${subject(sweep)}* — precision: converted share of the qualified; recall: share of the converted that qualify`,
    ...sweep.points.map((p) => {
      const mark = p.at === sweep.current ? ' *(current)*' : '';
      return `• ${lineText(sweep, p.at)}${mark}: ${n(p.qualified)} qualify · ${figures(p)}`;
    }),
    `• ${bestText(sweep)}`,
  ];
}

/** One line: the current line's figures and the line with the best F1. */
export function sweepSummary(sweep: Sweep): string {
  const current = sweep.points.find((p) => p.at === sweep.current);
  const now = current ? `at ${lineText(sweep, sweep.current)}: ${figures(current)}` : '';
  return `Sweep of ${subject(sweep)}: ${now}${now ? '; ' : ''}${bestText(sweep)}`;
}
