import { findActiveCriteriaVersion } from '../db/queries/criteria.js';
import { decayOf, decayText, qualifyingRuleText, reachable, ruleAxis } from '../src/scoring/axes.js';
import { AXES, type Axis, type Rule } from '../src/scoring/types.js';
import { ruleLine, versionLine } from './format.js';
import { code, escapeMrkdwn, linesToBlocks, n, person, privately, problem } from './reply.js';
import type { Subcommand } from './types.js';

const AXIS_HEADING: Record<Axis, string> = {
  fit: '*Fit* — who they are',
  engagement: '*Engagement* — what they did',
};

/** An axis's heading with the most a lead can score on it, then its rules (or that it has none). */
function axisLines(axis: Axis, rules: Rule[], most: number): string[] {
  const own = rules.filter((r) => ruleAxis(r) === axis);
  return [`${AXIS_HEADING[axis]} (at most ${n(most)} points)`, ...(own.length ? own.map(ruleLine) : [`_No ${axis} rules._`])];
}

/** "add, remove, threshold or test": the words that may follow `/mql criteria`. */
function criteriaWords(commands: readonly Subcommand[]): string {
  const words = commands.filter((c) => c.words.length === 2 && c.words[0] === 'criteria').map((c) => c.words[1]!);
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : words.join('');
}

export const criteriaList: Subcommand = {
  words: ['criteria'],
  usage: '/mql criteria',
  example: '/mql criteria',
  summary: 'the active scoring rules by axis, what qualifies a lead, the decay and the version (anyone)',
  async run({ deps, args, commands }) {
    if (args.length) {
      return problem(`unknown criteria subcommand \`${args[0]!.text}\`; use ${criteriaWords(commands)}`, this);
    }
    const active = await findActiveCriteriaVersion(deps.database.db);
    if (!active) throw new Error('no criteria version exists');
    const marketers = deps.roles.describe('marketer');
    const most = reachable(active.rules);
    const lines = [
      `*Scoring criteria* — a lead qualifies at *${escapeMrkdwn(qualifyingRuleText(active))}*`,
      `Decay: ${decayText(decayOf(active))}`,
      versionLine(active),
      ...(active.rules.length ? AXES.flatMap((axis) => axisLines(axis, active.rules, most[axis])) : ['_No rules: every lead scores 0._']),
      `_Evidence per rule: ${code('/mql criteria insights')}. Past versions: ${code('/mql criteria history')}. Try changes without saving: ${code('/mql criteria test threshold 35')}._`,
      `_Marketers (${marketers}) change them with ${code('/mql criteria add|remove|threshold|qualify|decay|revert')}._`,
    ];
    return privately(
      `Scoring criteria version ${active.version}: ${active.rules.length} rules, qualifying at ${qualifyingRuleText(active)}, changed by ${person(active.createdBy)}`,
      linesToBlocks(lines),
    );
  },
};
