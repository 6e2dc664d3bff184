import { parseVersionNumber } from './parse.js';
import { findActiveCriteriaVersion, findCriteriaVersion } from '../db/queries/criteria.js';
import { fail, ok, type Parsed, type Token } from '../src/scoring/rule-tokens.js';
import type { CriteriaChange } from '../src/scoring/types.js';
import { criteriaChangeCommand } from './criteria-change.js';
import type { CommandContext } from './types.js';

const WHERE_LISTED = '`/mql criteria history` lists the versions';

/** The old version as the change to make: its rules, qualifying rule and decay (criteriaChangeCommand saves it as a new version). */
async function parseRevert(args: Token[], { deps }: CommandContext): Promise<Parsed<CriteriaChange>> {
  const wanted = parseVersionNumber(args, WHERE_LISTED);
  if (!wanted.ok) return wanted;
  const db = deps.database.db;
  const [old, active] = await Promise.all([findCriteriaVersion(db, wanted.value), findActiveCriteriaVersion(db)]);
  if (!active) throw new Error('no criteria version exists');
  if (!old) return fail(`there is no version ${wanted.value}; the versions are 1 to ${active.version} (${WHERE_LISTED})`);
  if (old.version === active.version) return fail(`version ${old.version} is the active version; name an earlier one (${WHERE_LISTED})`);
  const { version, threshold, minimums, decay, rules } = old;
  return ok({ kind: 'revert', to: { version, threshold, minimums, decay, rules } });
}

export const criteriaRevert = criteriaChangeCommand({
  words: ['criteria', 'revert'],
  usage: '/mql criteria revert <version>',
  example: '/mql criteria revert 3',
  summary: 'make a new version equal to an earlier one: its rules (with their ids), what qualifies and the decay (marketers)',
  parse: parseRevert,
});
