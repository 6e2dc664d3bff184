/* `/mql back [@rep]`: ends an away spell (away.ts), so routing offers the rep leads again. */
import { recordAudit } from '../db/queries/audit-log.js';
import { clearAway, findAwayReps } from '../db/queries/rep-away.js';
import { dm, queueMessages } from '../src/outbox/messages.js';
import { occasion, refusalForOthers, splitTarget } from './away.js';
import { privately, problem } from './reply.js';
import type { Subcommand, Usage } from './types.js';

const USAGE: Usage = {
  usage: '/mql back [@rep]',
  example: '/mql back',
  summary: 'end an away spell: leads are offered to you (or, managers, to the rep) again',
};

export const back: Subcommand = {
  words: ['back'],
  ...USAGE,
  async run({ deps, userId, args }) {
    const split = splitTarget(args, userId);
    if ('error' in split) return problem(split.error, USAGE);
    const { target, rest } = split;
    if (rest.length > 0) return problem(`\`/mql back\` takes no time or words, only an optional @rep`, USAGE);
    const refused = await refusalForOthers(deps, userId, target, 'mark someone else back');
    if (refused) return refused;
    const now = deps.now();
    const forOther = target !== userId;

    const wasAway = await deps.database.db.transaction(async (tx) => {
      const spell = (await findAwayReps(tx, [target], now)).get(target);
      // A spell that already ran out is cleared too, but nothing changes for routing: no audit, no DM.
      await clearAway(tx, target);
      if (!spell) return false;
      const audit = {
        actor: userId,
        action: 'rep.back',
        entity: 'rep',
        entityId: target,
        fromState: 'away',
        toState: 'available',
        details: { until: spell.awayUntil?.toISOString() ?? null, since: spell.since.toISOString() },
      };
      await recordAudit(tx, [audit], now);
      if (forOther) {
        const told = `<@${userId}> marked you back: leads will be offered to you again.`;
        await queueMessages(tx, [dm(null, target, told, occasion('rep.back'))], now);
      }
      return true;
    });

    if (!wasAway) {
      return privately(forOther ? `<@${target}> was not away: nothing changed.` : "You weren't away: leads are offered to you as usual.");
    }
    if (!forOther) return privately('Welcome back: leads will be offered to you again.');
    deps.wakeOutbox();
    return privately(`<@${target}> is back: leads will be offered to them again; they were told.`);
  },
};
