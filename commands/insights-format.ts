/** Slack text for `/mql criteria insights`: a line per active rule with its evidence and flags, then the sweep. Pure. */
import { qualifyingRuleText } from '../src/scoring/axes.js';
import { FLAG_TEXT, type Insights, type RuleInsight } from '../src/scoring/insights.js';
import { outcomeSourcesText, ruleLine } from './format.js';
import { sweepLines } from './sweep-format.js';
import { code, escapeMrkdwn, n, percent } from './reply.js';

const times = (lift: number | null) => (lift === null ? 'n/a' : `${lift.toFixed(2)}×`);

function conversionText(r: RuleInsight): string {
  if (r.matchesWithOutcome === 0) return 'no known outcome among them';
  return `${percent(r.conversionIn)} converted (${n(r.matchesConverted)} of ${n(r.matchesWithOutcome)}) vs ${percent(r.conversionOut)} of the rest (lift ${times(r.lift)})`;
}

/** "`#3` … *+40* Inquiry form — matches 718 · 92.5% converted vs 34.4% of the rest (lift 2.69×) · alone moves 718", then its flags. */
export function ruleInsightLines(r: RuleInsight): string[] {
  const matches =
    r.matches === 0 ? 'matches no stored lead' : `matches ${n(r.matches)} · ${conversionText(r)} · alone moves ${n(r.movedAlone)}`;
  const flags = r.flags.filter((f) => f !== 'matches-nothing').map((f) => `      :warning: ${FLAG_TEXT[f]}`);
  return [`${r.matches === 0 ? ':warning: ' : ''}${ruleLine(r.rule)} — ${matches}`, ...flags];
}

/** The whole reply: figures, a line per rule, the flagged count, the sweep. */
export function insightsLines(insights: Insights, ms: number): string[] {
  const flagged = insights.rules.filter((r) => r.flags.length).length;
  const outcomes =
    insights.withOutcome === 0
      ? '_No outcomes are known yet_ (send CRM outcomes to /api/outcomes, import leads with an outcome column, or accept and reject handoffs): conversion and lift need them.'
      : `Known outcomes: ${n(insights.withOutcome)} leads, ${n(insights.converted)} converted (${percent(insights.converted / insights.withOutcome)}; ${outcomeSourcesText(insights.outcomes)})`;
  return [
    `*Evidence for the active rules (version ${insights.criteriaVersion})* over ${n(insights.evaluated)} stored leads`,
    `A lead qualifies at *${escapeMrkdwn(qualifyingRuleText(insights))}*: ${n(insights.qualified)} do. ${outcomes}`,
    `_“Alone moves”: leads that would land on the other side of the line without the rule._`,
    ...insights.rules.flatMap(ruleInsightLines),
    flagged ? `:warning: ${n(flagged)} of ${n(insights.rules.length)} rules flagged.` : 'No rule is flagged.',
    ...(insights.withOutcome ? insights.sweeps.flatMap(sweepLines) : []),
    `_Computed in ${n(Math.round(ms))} ms. Try a change without saving: ${code('/mql criteria test threshold 35')}._`,
  ];
}
