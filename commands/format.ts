/** Slack text for criteria and backtests. Pure: every user-supplied string is escaped here. */
import type { CriteriaVersion } from '../db/queries/criteria.js';
import { LIMITS } from '../src/slack/blocks.js';
import { slackDate } from '../src/slack/mrkdwn.js';
import type { BacktestFigures, BacktestReport, RuleEffect } from '../src/scoring/backtest-report.js';
import type { OutcomeSources } from '../src/scoring/backtest-counts.js';
import { qualifyingRuleText } from '../src/scoring/axes.js';
import { describeChange } from '../src/scoring/changes.js';
import { conditionSyntax } from '../src/scoring/rule-syntax.js';
import type { Criteria, Rule } from '../src/scoring/types.js';
import { code, escapeMrkdwn, n, percent, person, ratio } from './reply.js';
import { sweepLines, sweepSummary } from './sweep-format.js';

const signed = (points: number) => (points < 0 ? `−${n(-points)}` : `+${n(points)}`);

/** `#3` `"Lead Origin" = "Lead Add Form"` *+40* Inquiry form */
export function ruleLine(rule: Rule): string {
  const id = rule.id > 0 ? `#${rule.id}` : 'new';
  const label = rule.label ? ` ${escapeMrkdwn(rule.label)}` : '';
  return `${code(id)} ${code(conditionSyntax(rule))} *${signed(rule.points)}*${label}`;
}

export function versionLine(active: CriteriaVersion): string {
  return `Version ${active.version}, changed by ${person(active.createdBy)} ${slackDate(active.createdAt)}: ${escapeMrkdwn(active.change)}`;
}

/** Room for a code block in one section, with the rest of its line and a last "…and N more" line. */
const CODE_BLOCK_CHARS = LIMITS.sectionText - 250;

/** Lines as a code block that fits one section: lines past the room are counted, not cut (a cut would lose the closing fence). */
function codeBlock(lines: string[]): string {
  const shown: string[] = [];
  let size = 0;
  for (const line of lines.map(escapeMrkdwn)) {
    if (size + line.length + 1 > CODE_BLOCK_CHARS) break;
    shown.push(line);
    size += line.length + 1;
  }
  const left = lines.length - shown.length;
  return `\`\`\`${[...shown, ...(left ? [`…and ${n(left)} more`] : [])].join('\n')}\`\`\``;
}

/** The changes between two criteria as a diff block (`+` added, `-` removed, threshold a → b). */
export function diffBlock(before: Criteria, after: Criteria): string {
  return codeBlock(describeChange(before, after));
}

// saveCriteriaChange stores describeChange's lines joined by "; ": split only where a change line starts, so a "; " inside a quoted value or label stays.
const STORED_LINE_BREAK = /; (?=[+-] (?:#\d+|new) |threshold |qualify |decay: |revert to version )/;

/** A version's stored change (its diff when it was made) as a diff block. */
/** "*Version 3* (active) — @mia, Mon 30 Nov 10:00": a criteria or routing version in a history list. */
export function versionHeading(version: { version: number; createdBy: string; createdAt: Date }, active: boolean): string {
  return `*Version ${version.version}*${active ? ' (active)' : ''} — ${person(version.createdBy)}, ${slackDate(version.createdAt)}`;
}

export function storedDiffBlock(change: string): string {
  return codeBlock(change.split(STORED_LINE_BREAK));
}

/** "With this version N of M stored leads would qualify (was K)." */
export function previewLine(report: Pick<BacktestReport, 'qualified' | 'evaluated' | 'baseline'>): string {
  return `With this version *${n(report.qualified)}* of ${n(report.evaluated)} stored leads would qualify (was ${n(report.baseline.qualified)}).`;
}

/** Where leads land: "the threshold" on the total, "the line" of minimums per axis. */
const lineName = (report: Pick<BacktestReport, 'minimums'>) => (report.minimums ? 'the line' : 'the threshold');

function effectLine(effect: RuleEffect, rank: number, report: BacktestReport): string {
  const verb = effect.direction === 'lifts' ? 'lifts' : 'holds back';
  const where = effect.direction === 'lifts' ? 'over' : 'under';
  const conversion = effect.conversionRate === null ? '' : `; ${percent(effect.conversionRate)} of the leads it matches converted`;
  return `${rank}. ${ruleLine(effect.rule)} — ${verb} ${n(effect.moved)} leads ${where} ${lineName(report)}${conversion}`;
}

/** A rule added on trial: what it matches and moves, even when that is nothing. */
function trialRuleLine(effect: RuleEffect, report: BacktestReport): string {
  const conversion = effect.conversionRate === null ? '' : ` (${percent(effect.conversionRate)} converted)`;
  const moves = effect.moved ? `moves ${n(effect.moved)} across ${lineName(report)}` : 'moves none';
  const warning = effect.hits === 0 ? ':warning: ' : '';
  return `${warning}Trial rule ${ruleLine(effect.rule)} — matches ${n(effect.hits)} leads${conversion}, ${moves}`;
}

/** "at threshold 30", or "at fit >= 20 and engagement >= 30". */
const atLine = (report: BacktestReport) =>
  report.minimums ? `at ${escapeMrkdwn(qualifyingRuleText(report))}` : `at threshold ${n(report.threshold)}`;

/** "2 from the CRM, 9,240 imported, 0 from handoff decisions": where known outcomes came from, in precedence order. */
export const outcomeSourcesText = (o: OutcomeSources) =>
  `${n(o.crm)} from the CRM, ${n(o.imported)} imported, ${n(o.fromHandoffs)} from handoff decisions`;

const outcomeFigures = (f: BacktestFigures) => `precision ${ratio(f.precision)}, recall ${ratio(f.recall)}`;

/**
 * The backtest as lines: qualification, what trial changes move and each trial rule does, conversion among
 * qualified vs not, precision/recall, top rules, and the sweep: in full for `criteria test`, in short for the Home tab.
 */
export function backtestLines(report: BacktestReport, trial: boolean, sweep: 'full' | 'short' = 'short'): string[] {
  const lines = [
    `Would qualify: *${n(report.qualified)}* of ${n(report.evaluated)} (${percent(report.qualifiedRate)}) ${atLine(report)}` +
      (trial ? ` — the active criteria: ${n(report.baseline.qualified)} (${percent(report.baseline.qualifiedRate)})` : ''),
  ];
  if (trial) {
    lines.push(
      `Against the active criteria: *+${n(report.moved.newlyQualified)}* newly qualify / *−${n(report.moved.droppedOut)}* drop out`,
      ...report.rules.filter((r) => r.rule.id < 0).map((r) => trialRuleLine(r, report)),
    );
  }
  if (report.withOutcome === 0) {
    lines.push(
      '_No outcomes are known yet_ (send CRM outcomes to /api/outcomes, import leads with an outcome column, or accept and reject handoffs): conversion, precision and recall need them.',
    );
  } else {
    lines.push(
      `Known outcomes: ${n(report.withOutcome)} leads, ${n(report.positive)} positive (${outcomeSourcesText(report.outcomes)})`,
      `Converted among qualified: *${percent(report.conversionRateQualified)}* (${n(report.positiveAmongQualified)} of ${n(report.qualifiedWithOutcome)}) · among not qualified: *${percent(report.conversionRateNotQualified)}* (${n(report.positiveAmongNotQualified)} of ${n(report.notQualifiedWithOutcome)})`,
      `Precision *${ratio(report.precision)}* · recall *${ratio(report.recall)}*` +
        (trial ? ` — the active criteria: ${outcomeFigures(report.baseline)}` : ''),
    );
  }
  if (report.topRules.length) {
    lines.push(
      `Rules that move the most leads across ${lineName(report)}:`,
      ...report.topRules.map((r, i) => effectLine(r, i + 1, report)),
    );
  } else {
    lines.push(`No single rule moves a lead across ${lineName(report)}.`);
  }
  if (report.withOutcome > 0) lines.push(...report.sweeps.flatMap((s) => (sweep === 'full' ? sweepLines(s) : [sweepSummary(s)])));
  return lines;
}
