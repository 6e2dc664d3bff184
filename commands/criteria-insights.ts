import { activeCriteriaInsights } from '../src/scoring/criteria-service.js';
import { insightsLines } from './insights-format.js';
import { linesToBlocks, n, privately, problem } from './reply.js';
import type { Subcommand } from './types.js';

export const criteriaInsights: Subcommand = {
  words: ['criteria', 'insights'],
  usage: '/mql criteria insights',
  example: '/mql criteria insights',
  summary:
    'evidence for every active rule over stored leads: matches, conversion vs the rest, lift, leads it moves; and the threshold sweep (anyone)',
  async run({ deps, args }) {
    if (args.length) return problem(`\`/mql criteria insights\` takes nothing after it (got \`${args[0]!.text}\`)`, this);
    const { insights, ms } = await activeCriteriaInsights(deps.database.db, deps.now());
    const flagged = insights.rules.filter((r) => r.flags.length).length;
    return privately(
      `Insights: ${n(insights.rules.length)} rules over ${n(insights.evaluated)} stored leads, ${n(flagged)} flagged`,
      linesToBlocks(insightsLines(insights, ms)),
    );
  },
};
