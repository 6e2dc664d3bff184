/** Slack text for criteria and backtests. Pure: every user-supplied string is escaped here. */
import type { CriteriaVersion } from '../db/queries/criteria.js';
import { slackDate } from '../src/slack/mrkdwn.js';
import type { BacktestFigures, BacktestReport, RuleEffect } from '../src/scoring/backtest-report.js';
import { describeChange } from '../src/scoring/changes.js';
import { conditionSyntax } from '../src/scoring/rule-syntax.js';
import type { Criteria, Rule } from '../src/scoring/types.js';
import { code, escapeMrkdwn, n, percent, person, ratio } from './reply.js';

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

/** The changes between two criteria as a diff block (`+` added, `-` removed, threshold a → b). */
export function diffBlock(before: Criteria, after: Criteria): string {
  return `\`\`\`${escapeMrkdwn(describeChange(before, after).join('\n'))}\`\`\``;
}

/** "With this version N of M stored leads would qualify (was K)." */
export function previewLine(report: Pick<BacktestReport, 'qualified' | 'evaluated' | 'baseline'>): string {
  return `With this version *${n(report.qualified)}* of ${n(report.evaluated)} stored leads would qualify (was ${n(report.baseline.qualified)}).`;
}

function effectLine(effect: RuleEffect, rank: number): string {
  const verb = effect.direction === 'lifts' ? 'lifts' : 'holds back';
  const where = effect.direction === 'lifts' ? 'over' : 'under';
  const conversion = effect.conversionRate === null ? '' : `; ${percent(effect.conversionRate)} of the leads it matches converted`;
  return `${rank}. ${ruleLine(effect.rule)} — ${verb} ${n(effect.moved)} leads ${where} the threshold${conversion}`;
}

const outcomeFigures = (f: BacktestFigures) => `precision ${ratio(f.precision)}, recall ${ratio(f.recall)}`;

/** The backtest as lines: qualification, conversion among qualified vs not, precision/recall, top rules. */
export function backtestLines(report: BacktestReport, trial: boolean): string[] {
  const lines = [
    `Would qualify: *${n(report.qualified)}* of ${n(report.evaluated)} (${percent(report.qualifiedRate)}) at threshold ${n(report.threshold)}` +
      (trial ? ` — the active criteria: ${n(report.baseline.qualified)} (${percent(report.baseline.qualifiedRate)})` : ''),
  ];
  if (report.withOutcome === 0) {
    lines.push(
      '_No outcomes are known yet_ (import leads with an outcome column, or accept and reject handoffs): conversion, precision and recall need them.',
    );
  } else {
    lines.push(
      `Known outcomes: ${n(report.withOutcome)} leads, ${n(report.positive)} positive (${n(report.outcomes.imported)} imported, ${n(report.outcomes.fromHandoffs)} from handoff decisions)`,
      `Converted among qualified: *${percent(report.conversionRateQualified)}* (${n(report.positiveAmongQualified)} of ${n(report.qualifiedWithOutcome)}) · among not qualified: *${percent(report.conversionRateNotQualified)}* (${n(report.positiveAmongNotQualified)} of ${n(report.notQualifiedWithOutcome)})`,
      `Precision *${ratio(report.precision)}* · recall *${ratio(report.recall)}*` +
        (trial ? ` — the active criteria: ${outcomeFigures(report.baseline)}` : ''),
    );
  }
  if (report.topRules.length) {
    lines.push('Rules that move the most leads across the threshold:', ...report.topRules.map((r, i) => effectLine(r, i + 1)));
  } else {
    lines.push('No single rule moves a lead across the threshold.');
  }
  return lines;
}
