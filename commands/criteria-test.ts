import { backtestActiveCriteria } from '../src/scoring/criteria-service.js';
import { backtestLines, diffBlock } from './format.js';
import { parseChanges } from '../src/scoring/change-syntax.js';
import { code, linesToBlocks, n, privately, problem } from './reply.js';
import type { Subcommand } from './types.js';

export const criteriaTest: Subcommand = {
  words: ['criteria', 'test'],
  usage: '/mql criteria test [add <rule> ; remove <id> ; threshold <n> ; qualify <line> ; decay <decay>]',
  example: '/mql criteria test threshold 35; add TotalVisits >= 10 5',
  summary:
    'backtest the criteria, or trial changes to them, over stored leads: what each trial rule matches and moves, and the threshold sweep (nothing is saved)',
  async run({ deps, args }) {
    const changes = parseChanges(args);
    if (!changes.ok) return problem(changes.error, this);
    const result = await backtestActiveCriteria(deps.database.db, changes.value, deps.now());
    if (!result.ok) return problem(result.error, this);
    const { report, active, candidate, ms } = result;
    const trial = changes.value.length > 0;
    const title = trial
      ? `*Backtest of criteria version ${active.version} with trial changes* over ${n(report.evaluated)} stored leads`
      : `*Backtest of the active criteria (version ${active.version})* over ${n(report.evaluated)} stored leads`;
    const lines = [
      title,
      ...(trial ? [diffBlock(active, candidate)] : []),
      ...backtestLines(report, trial, 'full'),
      `_Nothing was saved. Computed in ${n(Math.round(ms))} ms.${trial ? '' : ` Try changes: ${code(this.example)}`}_`,
    ];
    return privately(`Backtest: ${n(report.qualified)} of ${n(report.evaluated)} stored leads would qualify`, linesToBlocks(lines));
  },
};
