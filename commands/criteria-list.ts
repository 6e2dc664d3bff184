import { findActiveCriteriaVersion } from '../db/queries/criteria.js';
import { ruleLine, versionLine } from './format.js';
import { code, linesToBlocks, n, person, privately, problem } from './reply.js';
import type { Subcommand } from './types.js';

export const criteriaList: Subcommand = {
  words: ['criteria'],
  usage: '/mql criteria',
  example: '/mql criteria',
  summary: 'the active scoring rules, threshold and version (anyone)',
  async run({ deps, args }) {
    if (args.length) {
      return problem(`unknown criteria subcommand \`${args[0]!.text}\`; use add, remove, threshold or test`, this);
    }
    const active = await findActiveCriteriaVersion(deps.database.db);
    if (!active) throw new Error('no criteria version exists');
    const marketers = deps.roles.describe('marketer');
    const lines = [
      `*Scoring criteria* — a lead qualifies at *${n(active.threshold)}* points`,
      versionLine(active),
      ...(active.rules.length ? active.rules.map(ruleLine) : ['_No rules: every lead scores 0._']),
      `_Try changes without saving: ${code('/mql criteria test threshold 35')}. Marketers (${marketers}) change them with ${code('/mql criteria add|remove|threshold')}._`,
    ];
    return privately(
      `Scoring criteria version ${active.version}: ${active.rules.length} rules, threshold ${active.threshold}, changed by ${person(active.createdBy)}`,
      linesToBlocks(lines),
    );
  },
};
