import { parseHowMany } from './parse.js';
import { listCriteriaVersions, type CriteriaVersion } from '../db/queries/criteria.js';
import { storedDiffBlock, versionHeading } from './format.js';
import { code, linesToBlocks, n, privately, problem } from './reply.js';
import type { Subcommand } from './types.js';

const DEFAULT_SHOWN = 10;
const MAX_SHOWN = 50;

/** One version: its number, who and when, and its diff — one line for linesToBlocks, so a version is never split. */
function versionEntry(version: CriteriaVersion, active: boolean): string {
  return `${versionHeading(version, active)}\n${storedDiffBlock(version.change)}`;
}

/** "…and 3 older versions (before version 4)", and the command that shows them while it can. */
function olderLine(older: number, oldestShown: number, total: number): string {
  const more = `…and ${n(older)} older ${older === 1 ? 'version' : 'versions'} (before version ${oldestShown})`;
  return total - older < MAX_SHOWN
    ? `${more}: ${code(`/mql criteria history ${Math.min(total, MAX_SHOWN)}`)}`
    : `${more}; at most ${MAX_SHOWN} are shown`;
}

export const criteriaHistory: Subcommand = {
  words: ['criteria', 'history'],
  usage: '/mql criteria history [n]',
  example: '/mql criteria history 5',
  summary: `the criteria versions, newest first, with who changed what and when (the last ${DEFAULT_SHOWN}, or n of them up to ${MAX_SHOWN}) (anyone)`,
  async run({ deps, args }) {
    const howMany = parseHowMany(args, DEFAULT_SHOWN, MAX_SHOWN);
    if (!howMany.ok) return problem(howMany.error, this);
    const { versions, total } = await listCriteriaVersions(deps.database.db, howMany.value);
    const newest = versions[0];
    if (!newest) throw new Error('no criteria version exists');
    const oldest = versions[versions.length - 1]!;
    const lines = [
      `*Criteria history* — ${versions.length === total ? `all ${n(total)} versions` : `the newest ${n(versions.length)} of ${n(total)} versions`}, newest first`,
      ...versions.map((v) => versionEntry(v, v.version === newest.version)),
      ...(total > versions.length ? [olderLine(total - versions.length, oldest.version, total)] : []),
      `_To go back: ${code('/mql criteria revert <version>')} (marketers) makes a new version equal to that one, previewed (and confirmed, if it moves many leads) like any change._`,
    ];
    return privately(
      `Criteria history: versions ${oldest.version} to ${newest.version} of ${total}, the active one is ${newest.version}`,
      linesToBlocks(lines),
    );
  },
};
